/**
 * @module One process of a test cluster (`CLUSTER_ROLE` = api | worker), configured from the environment like
 * `agenthuman api` / `agenthuman worker` (no dashboard build). Prints one JSON line `{url, owner?}` once it
 * listens; SIGTERM closes it gracefully.
 */
import { loadConfig } from '../config/config.js';
import { createServer } from '../server.js';

const role = process.env.CLUSTER_ROLE === 'worker' ? 'worker' : 'api';
const config = loadConfig();
const server = await createServer(config, {
  role,
  logger: process.env.CLUSTER_LOG ? { level: process.env.CLUSTER_LOG } : false,
});
const url = await server.listen();
process.stdout.write(`${JSON.stringify({ url, role })}\n`);
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
