/**
 * @module A server in a child process for crash tests (kill -9). Settings come from the environment like
 * `agenthuman serve`. It creates a free account and a session that starts at create (media runs here), waits
 * until its media heartbeat has been written a few times, prints one JSON line
 * `{sessionId, key, accountId}` and keeps running until killed. TEST_RECORD=1 records the session.
 */
import { loadConfig } from '../config/config.js';
import { createServer } from '../server.js';

const adminKey = process.env.AGENTHUMAN_BOOTSTRAP_KEY;
if (!adminKey) throw new Error('serve-child-main needs AGENTHUMAN_BOOTSTRAP_KEY');
const server = await createServer(loadConfig(), {
  sweep: false,
  mediaHeartbeat: { intervalMs: Number(process.env.TEST_HEARTBEAT_MS ?? 200) },
});
const account = await server.app.inject({
  method: 'POST',
  url: '/v1/admin/accounts',
  headers: { 'x-api-key': adminKey },
  payload: { plan: 'free', name: 'crash test' },
});
const { api_key, account: created } = account.json();
const session = await server.app.inject({
  method: 'POST',
  url: '/v1/sessions',
  headers: { 'x-api-key': api_key.key },
  payload: { avatar: 'PUBLIC/Avatars/ada', ...(process.env.TEST_RECORD === '1' && { record: true }) },
});
if (session.statusCode !== 200) throw new Error(`create failed: ${session.statusCode} ${session.body}`);
const sessionId: string = session.json().session.session_id;
let beats = new Set<number>();
const deadline = Date.now() + 30_000;
while (beats.size < 3) {
  if (Date.now() > deadline) throw new Error('no media heartbeat within 30 s');
  const row = await server.deps.store.sessions.findById(sessionId);
  if (row?.mediaHeartbeatAt) beats = new Set([...beats, row.mediaHeartbeatAt.getTime()]);
  await new Promise((resolve) => setTimeout(resolve, 50));
}
process.stdout.write(`${JSON.stringify({ sessionId, key: api_key.key, accountId: created.account_id })}\n`);
setInterval(() => undefined, 60_000);
