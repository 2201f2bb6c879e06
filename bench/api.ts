/**
 * `npm run bench:api`: the API server as `npm start` runs it (embedded PGlite store, its own process), loaded
 * with autocannon over a real port. Measures GET /v1/sessions/{id} and the create+end pair. The last line is
 * one JSON object. Target on the 2-core reference machine: GET ≥ 1500 req/s at p99 < 25 ms.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon, { type Result } from 'autocannon';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const base62 = (n: number) =>
  Array.from(
    randomBytes(n),
    (b) => '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'[b % 62],
  ).join('');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitForHealth(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not become healthy');
}

const summarize = (result: Result) => ({
  req_per_s: Math.round(result.requests.average),
  p50_ms: result.latency.p50,
  p99_ms: result.latency.p99,
  errors: result.errors + result.non2xx + result.timeouts,
});

const dataDir = mkdtempSync(join(tmpdir(), 'agenthuman-bench-'));
const port = await freePort();
const key = `ah_test_${base62(32)}`;
const url = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, ['packages/cli/bin/agenthuman.js', 'serve'], {
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    AGENTHUMAN_DATA_DIR: dataDir,
    AGENTHUMAN_BOOTSTRAP_KEY: key,
    AGENTHUMAN_RATE_LIMIT: '100000000',
    AGENTHUMAN_LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});

try {
  await waitForHealth(url, 60_000);
  const headers = { 'x-api-key': key, 'content-type': 'application/json' };
  const created = await fetch(`${url}/v1/sessions`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ avatar: 'PUBLIC/Avatars/eileen', metadata: { bench: true } }),
  }).then((r) => r.json() as Promise<{ session: { session_id: string } }>);
  const getUrl = `${url}/v1/sessions/${created.session.session_id}`;

  await autocannon({ url: getUrl, headers, connections: 10, duration: 2 }); // warm-up (JIT, caches)
  console.error(`GET /v1/sessions/{id} for ${DURATION_S} s…`);
  const get = await autocannon({ url: getUrl, headers, connections: 10, duration: DURATION_S });

  console.error(`create+end for ${DURATION_S} s…`);
  const createEnd = await autocannon({
    url,
    headers,
    connections: 4,
    duration: DURATION_S,
    requests: [
      {
        method: 'POST',
        path: '/v1/sessions',
        body: JSON.stringify({ avatar: 'PUBLIC/Avatars/eileen' }),
        onResponse: (_status, body, context) => {
          context.sessionId = (JSON.parse(body) as { session: { session_id: string } }).session.session_id;
        },
      },
      {
        method: 'POST',
        setupRequest: (request, context) => ({
          ...request,
          path: `/v1/sessions/${String(context.sessionId)}/end`,
        }),
      },
    ],
  });

  const pair = summarize(createEnd);
  const report = {
    bench: 'api',
    store: 'pglite',
    duration_s: DURATION_S,
    get_session: { connections: 10, ...summarize(get) },
    create_end: {
      connections: 4,
      ...pair,
      pairs_per_s: Math.round(pair.req_per_s / 2),
      note: 'req_per_s and latency count each request of the create+end pair',
    },
    target: { get_req_per_s: 1500, get_p99_ms: 25 },
    meets_target: get.requests.average >= 1500 && get.latency.p99 < 25,
  };
  console.log(JSON.stringify(report));
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
