// bench:warmup (`npm run bench:warmup`) — what a fresh server pays before the public avatars are ready.
// `photo_rig_ms`: each photo avatar's rig built cold in this process (what every render worker does at start).
// `first_frame_while_warming_ms`: a lane for the default avatar opened the moment warm-up starts (2 workers, as on
// this machine), to its first rendered frame; `pool_warmup_cpu_ms`: the process's CPU over that warm-up.
// `serve_listening_ms` / `serve_avatars_warm_ms`: `agenthuman serve` spawned as a user starts it, to "listening on"
// and to /health's `live.avatars_warm`.
// Prints one JSON object on its last line, with the load average (other work on the machine slows every figure).
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { restFace } from '@agenthuman/engine/animation';
import { PUBLIC_AVATARS } from '@agenthuman/engine/avatars';
import { publicAvatarRenderer, warmPublicAvatars } from '@agenthuman/engine/live';
import { RenderWorkerPool } from '@agenthuman/engine/render';
import { startRealServer } from '../e2e/support/real-server.js';

const round = (ms: number) => Math.round(ms);

async function photoRigs(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const avatar of PUBLIC_AVATARS.filter((a) => a.kind === 'photo')) {
    const t = performance.now();
    await avatar.loadRig('4:3');
    out[avatar.slug] = round(performance.now() - t);
  }
  return out;
}

async function firstFrameWhileWarming(): Promise<{
  first_frame_ms: number;
  warm_ms: number;
  cpu_ms: number;
}> {
  const pool = new RenderWorkerPool({ size: 2 });
  try {
    // CPU of the whole process (every worker thread): on a busy machine wall time mostly measures the others.
    const cpu = process.cpuUsage();
    const started = performance.now();
    const warming = warmPublicAvatars(pool);
    const { spec } = publicAvatarRenderer('eileen', '4:3');
    const lane = await pool.openLane(spec, { format: 'i420' });
    await lane.render(restFace, 0);
    const first = performance.now() - started;
    lane.close();
    const report = await warming;
    if (report.failures.length) throw new Error(report.failures.join('; '));
    const used = process.cpuUsage(cpu);
    return {
      first_frame_ms: round(first),
      warm_ms: report.ms,
      cpu_ms: round((used.user + used.system) / 1000),
    };
  } finally {
    await pool.close();
  }
}

async function serveToWarm(): Promise<{ listening_ms: number; warm_ms: number }> {
  const started = performance.now();
  const server = await startRealServer({ AGENTHUMAN_RENDER_WORKERS: '2' });
  const listening = performance.now() - started;
  try {
    const deadline = Date.now() + 180_000;
    for (;;) {
      const health = (await (await fetch(`${server.baseUrl}/health`)).json()) as {
        live: { avatars_warm: boolean };
      };
      if (health.live.avatars_warm) break;
      if (Date.now() > deadline) throw new Error('avatars not warm after 180 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    return { listening_ms: round(listening), warm_ms: round(performance.now() - started) };
  } finally {
    await server.stop();
  }
}

const load = () => loadavg().map((l) => Math.round(l * 10) / 10);
const rigs = await photoRigs();
const loadRigs = load();
const frame = await firstFrameWhileWarming();
const loadFrame = load();
const serve = await serveToWarm();
console.log(
  JSON.stringify({
    photo_rig_ms: rigs,
    first_frame_while_warming_ms: frame.first_frame_ms,
    pool_warmup_ms: frame.warm_ms,
    pool_warmup_cpu_ms: frame.cpu_ms,
    serve_listening_ms: serve.listening_ms,
    serve_avatars_warm_ms: serve.warm_ms,
    load_average: { rigs: loadRigs, first_frame: loadFrame, serve: load() },
  }),
);
