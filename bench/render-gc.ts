// npx tsx bench/render-gc.ts [frames] — the garbage a render worker makes per speech frame (issue 12/13). Runs,
// on this thread, what a render worker runs for one live session: the CPU renderer's renderView into I420, the
// copy into a recycled frame buffer (render-worker.ts), and the worker's streaming lip-sync (createAudioLipSync,
// 20 ms chunks of synthetic speech, as LipSyncJobs runs it). Prints one JSON object on its last line: JS heap
// bytes allocated per frame (measured between GCs), ArrayBuffer bytes created per frame, GCs per second of
// rendering, CPU ms per frame and the load average. Run with --expose-gc: `nice node --expose-gc --import tsx
// bench/render-gc.ts`.
import { loadavg } from 'node:os';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import type { CpuRenderer } from '@agenthuman/engine/render';
import { speechMouth } from '@agenthuman/engine/testing/face';
import { createAudioLipSync } from '../packages/engine/src/live/lipsync-spec.js';
import { buildInProcess, chooseParts, syntheticSpeech } from './engine-setup.js';

const frames = Number(process.argv[2] ?? 1500);
const parts = await chooseParts([]);
const renderer = (await buildInProcess(parts.spec)) as CpuRenderer;
const animator = parts.animator();
const lipSync = createAudioLipSync();
const speech = syntheticSpeech(frames * 0.04 + 1);
// The animator runs on the main thread in a session; its params are made ahead so only worker work is counted.
const params = Array.from({ length: frames }, (_, k) => animator.step(k * 40, speechMouth(k)));
const chunk = 320; // 20 ms at 16 kHz
let spare: ArrayBuffer | undefined;

/** One 40 ms frame of worker work: two lip-sync chunks and one frame. */
function step(k: number): void {
  for (let c = 0; c < 2; c++) {
    const at = (k * 2 + c) * chunk;
    lipSync.push(speech.slice(at, at + chunk));
  }
  const rendered = renderer.renderView(params[k]!, k * 40, 'i420');
  const data =
    spare?.byteLength === rendered.data.byteLength
      ? new Uint8Array(spare)
      : new Uint8Array(rendered.data.byteLength);
  data.set(rendered.data);
  spare = data.buffer;
}

// Warm up: the pose cache fills and the code gets optimised.
for (let k = 0; k < Math.min(frames, 600); k++) step(k);

let gcs = { minor: 0, major: 0, ms: 0 };
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
    // kind 1: scavenge (minor); 2/4: mark-compact (major) or incremental marking steps.
    if (kind === 1) gcs.minor++;
    else gcs.major++;
    gcs.ms += e.duration;
  }
});
observer.observe({ entryTypes: ['gc'] });

// Bytes per frame: heap growth over runs of frames with no GC in between (a GC during a run discards it).
const gc = (globalThis as { gc?: () => void }).gc;
const perFrame: number[] = [];
const bufferBytes: number[] = [];
for (let round = 0; round < 20; round++) {
  gc?.();
  await new Promise((r) => setTimeout(r, 0));
  const before = v8.getHeapStatistics().used_heap_size;
  const abBefore = process.memoryUsage().arrayBuffers;
  const minor0 = gcs.minor + gcs.major;
  const n = 20;
  for (let k = 0; k < n; k++) step((round * n + k) % frames);
  await new Promise((r) => setImmediate(r));
  if (gcs.minor + gcs.major !== minor0) continue;
  perFrame.push((v8.getHeapStatistics().used_heap_size - before) / n);
  bufferBytes.push((process.memoryUsage().arrayBuffers - abBefore) / n);
}
gcs = { minor: 0, major: 0, ms: 0 };

// GCs and CPU per frame over a steady run.
const load0 = loadavg()[0]!;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let k = 0; k < frames; k++) step(k);
await new Promise((r) => setTimeout(r, 50));
const cpu = process.cpuUsage(cpu0);
const wallS = (performance.now() - t0) / 1000;
observer.disconnect();
const renderSeconds = frames * 0.04;
const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[xs.length >> 1]! : Number.NaN);
renderer.close();
console.log(
  JSON.stringify({
    frames,
    heap_bytes_per_frame: Math.round(median(perFrame)),
    heap_bytes_per_frame_samples: perFrame.length,
    arraybuffer_bytes_per_frame: Math.round(median(bufferBytes)),
    scavenges_per_media_s: Number((gcs.minor / renderSeconds).toFixed(2)),
    major_gcs_per_media_s: Number((gcs.major / renderSeconds).toFixed(3)),
    gc_ms_per_media_s: Number((gcs.ms / renderSeconds).toFixed(2)),
    cpu_ms_per_frame: Number(((cpu.user + cpu.system) / 1000 / frames).toFixed(3)),
    wall_s: Number(wallS.toFixed(2)),
    load_average_1m: [Number(load0.toFixed(2)), Number(loadavg()[0]!.toFixed(2))],
  }),
);
