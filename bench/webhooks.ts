/**
 * `npm run bench:webhooks`: webhook delivery on the embedded store (PGlite), in-process server, real HTTP
 * receiver on 127.0.0.1 answering 200 at once. Measures (1) session end → `session.ended` at the receiver,
 * sequentially (the dispatcher is woken by the commit; the poll is the default 1 s), and (2) throughput: a
 * burst of test events spread over several endpoints until all are delivered. The last line is one JSON object.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { startTestServer } from '@agenthuman/server/testing';
import { percentile } from './stats.js';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 30);
const BURST = Number(process.env.BENCH_BURST ?? 400);
const ENDPOINTS = Number(process.env.BENCH_ENDPOINTS ?? 8);

const arrivals = new Map<string, number>();
let waiting: { type: string; resolve: () => void } | undefined;
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => {
    body += chunk.toString();
  });
  req.on('end', () => {
    arrivals.set(req.headers['webhook-id'] as string, performance.now());
    res.end();
    if (waiting && body.includes(`"type":"${waiting.type}"`)) waiting.resolve();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

const t = await startTestServer('pglite', { env: { AGENTHUMAN_ALLOWED_PRIVATE_HOSTS: '127.0.0.1' } });
const { key } = await t.newAccount('enterprise');
const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
  const res = await t.request({ method, url, key, ...(payload && { payload }) });
  if (res.statusCode !== 200) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
};

// (1) end → delivered, one at a time.
await call('POST', '/v1/webhooks', { url: `${receiverUrl}/ended`, events: ['session.ended'] });
const latencies: number[] = [];
for (let i = 0; i < SESSIONS; i++) {
  const { session } = await call('POST', '/v1/sessions', { avatar: 'PUBLIC/Avatars/ada' });
  const arrived = new Promise<void>((resolve) => {
    waiting = { type: 'session.ended', resolve };
  });
  const sent = performance.now();
  await call('POST', `/v1/sessions/${session.session_id}/end`);
  await arrived;
  latencies.push(performance.now() - sent);
}

// (2) a burst of events over several endpoints.
const hooks = [];
for (let i = 0; i < ENDPOINTS; i++)
  hooks.push(
    (await call('POST', '/v1/webhooks', { url: `${receiverUrl}/burst/${i}`, events: ['avatar.ready'] }))
      .webhook,
  );
arrivals.clear();
const queuedAt = performance.now();
for (let i = 0; i < BURST; i++) await call('POST', `/v1/webhooks/${hooks[i % ENDPOINTS].webhook_id}/test`);
const queuedMs = performance.now() - queuedAt;
const deadline = Date.now() + 120_000;
while (arrivals.size < BURST && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
const doneMs = Math.max(...arrivals.values()) - queuedAt;

await t.server.close();
await t.database.drop();
receiver.close();
console.log(
  JSON.stringify({
    bench: 'webhooks',
    store: 'pglite',
    end_to_delivered_ms: {
      n: latencies.length,
      p50: Math.round(percentile(latencies, 50)),
      p95: Math.round(percentile(latencies, 95)),
      max: Math.round(Math.max(...latencies)),
    },
    burst: {
      events: BURST,
      endpoints: ENDPOINTS,
      delivered: arrivals.size,
      queue_ms: Math.round(queuedMs),
      all_delivered_ms: Math.round(doneMs),
      deliveries_per_s: Math.round((arrivals.size / doneMs) * 1000),
    },
    load_average: loadavg().map((l) => Math.round(l * 100) / 100),
  }),
);
process.exit(0);
