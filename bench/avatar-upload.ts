// Avatar upload: latency of POST /v1/avatars/upload-face (warm, sequential and 4 concurrent) and how
// responsive the API stays meanwhile (event-loop delay and GET /health latency), with ingest on a worker thread
// versus the same ingest run inline on the main thread.
// Run: npm run bench:avatar-upload   (last line: one JSON object)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadFaceModel } from '@agenthuman/engine/face';
import { createServer, ingestPortrait, loadConfig } from '@agenthuman/server';
import { portrait } from '@agenthuman/server/testing/avatars';

const KEY = 'ah_test_AdminKeyForTests0000000000000000';
const dir = mkdtempSync(join(tmpdir(), 'bench-avatar-'));
const server = await createServer(
  loadConfig({ AGENTHUMAN_DATA_DIR: dir, AGENTHUMAN_BOOTSTRAP_KEY: KEY, AGENTHUMAN_RATE_LIMIT: '100000' }),
  { sweep: false },
);
const payload = { image_base64: Buffer.from(await portrait()).toString('base64') };
const upload = async () => {
  const t = performance.now();
  const res = await server.app.inject({
    method: 'POST',
    url: '/v1/avatars/upload-face',
    headers: { 'x-api-key': KEY },
    payload,
  });
  if (res.statusCode !== 200) throw new Error(res.body);
  return performance.now() - t;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs `work` while probing the event loop; returns the probes' worst delay and /health latencies. */
async function responsiveness(work: () => Promise<unknown>) {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const health: number[] = [];
  let running = true;
  const probe = (async () => {
    while (running) {
      const t = performance.now();
      await server.app.inject({ method: 'GET', url: '/health' });
      health.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await work();
  running = false;
  await probe;
  histogram.disable();
  return {
    loopMaxMs: Math.round(histogram.max / 1e6),
    healthP50Ms: median(health),
    healthMaxMs: Math.max(...health),
  };
}

const cold = await upload();
const sequential: number[] = [];
for (let i = 0; i < 5; i++) sequential.push(await upload());
let concurrent: number[] = [];
const worker = await responsiveness(async () => {
  concurrent = await Promise.all([upload(), upload(), upload(), upload()]);
});

// The same work inline on the main thread, as it would run without the worker.
await loadFaceModel();
const inlinePhoto = await portrait();
await ingestPortrait(inlinePhoto);
const inline = await responsiveness(async () => {
  for (let i = 0; i < 4; i++) await ingestPortrait(inlinePhoto);
});

await server.close();
rmSync(dir, { recursive: true, force: true });
const r = (x: number) => Math.round(x);
console.log(
  JSON.stringify({
    upload_cold_ms: r(cold),
    upload_warm_median_ms: r(median(sequential)),
    upload_4_concurrent_max_ms: r(Math.max(...concurrent)),
    worker_event_loop_max_delay_ms: worker.loopMaxMs,
    worker_health_p50_ms: r(worker.healthP50Ms),
    worker_health_max_ms: r(worker.healthMaxMs),
    inline_event_loop_max_delay_ms: inline.loopMaxMs,
    inline_health_max_ms: r(inline.healthMaxMs),
  }),
);
