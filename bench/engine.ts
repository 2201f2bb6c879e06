// npm run bench:engine [-- --renderer=test] — the avatar engine's speed targets (issue 3). Prints one JSON
// object on its last line: render_fps_per_core, live_sessions_2_cores, audio_to_frame_ms_p95, idle_frame_ms,
// session_memory_mb, and lipsync_corr / lipsync_lag_ms from bench/lipsync.ts when it exists.
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { SessionPipeline } from '@agenthuman/engine';
import { speechMouth } from '@agenthuman/engine/testing/face';
import { measureLiveSessions } from './engine-live.js';
import {
  type BenchParts,
  buildInProcess,
  chooseParts,
  envelopeKeyframes,
  percentile,
  sleep,
  syntheticSpeech,
} from './engine-setup.js';

const parts = await chooseParts(process.argv.slice(2));
console.error(`renderer: ${parts.renderer}`);

const loadBefore = loadavg()[0]!;
const render = await measureRenderFps(parts);
console.error(`render_fps_per_core ${JSON.stringify(render)}`);
const idle = await measureIdleFrameMs(parts);
console.error(`idle_frame_ms ${JSON.stringify(idle)}`);
const latency = await measureAudioToFrame(parts);
console.error(`audio_to_frame_ms_p95 ${latency.p95}`);
const encoder = process.argv.includes('--encoder=ffmpeg') ? 'ffmpeg' : 'webrtc';
const live = await measureLiveSessions(parts, (line) => console.error(line), encoder);

let lipsync: Record<string, number> = {};
if (existsSync(new URL('./lipsync.ts', import.meta.url))) {
  const { measureLipsync } = (await import(new URL('./lipsync.ts', import.meta.url).href)) as {
    measureLipsync: () => Promise<Record<string, number>>;
  };
  const result = await measureLipsync();
  lipsync = { lipsync_corr: result.lipsync_corr as number, lipsync_lag_ms: result.lipsync_lag_ms as number };
}

console.log(
  JSON.stringify({
    render_fps_per_core: render.cpu,
    live_sessions_2_cores: live.sessions,
    audio_to_frame_ms_p95: latency.p95,
    idle_frame_ms: idle.cpu,
    session_memory_mb: live.memoryMbPerSession,
    first_session_memory_mb: live.firstSessionMb,
    ...lipsync,
    audio_to_frame_ms_p50: latency.p50,
    render_fps_wall: render.wall,
    render_fps_first_pass: render.firstPass,
    idle_frame_wall_ms: idle.wall,
    load_average_1m: [Number(loadBefore.toFixed(2)), Number(loadavg()[0]!.toFixed(2))],
    live_encoder: live.encoder,
    renderer: parts.renderer,
    cores: availableParallelism(),
  }),
);

/** Frames per CPU-second of this thread (what "per core" means when other processes share the machine) and
 * per wall-clock second. */
function timed(frames: number, draw: (k: number) => void): { cpu: number; wall: number } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let k = 0; k < frames; k++) draw(k);
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  return { cpu: (cpu.user + cpu.system) / 1000 / frames, wall: wall / frames };
}

/**
 * Speech frames at 640×480 I420 on this thread, as a session makes them: the animator's output for a moving
 * mouth (head sway, blinks, brows included). The first pass through the idle loop's poses draws and caches the
 * head at each (once per avatar and thread, `render_fps_first_pass`); the figure is the pass after it.
 */
async function measureRenderFps(p: BenchParts): Promise<{ cpu: number; wall: number; firstPass: number }> {
  const renderer = await buildInProcess(p.spec);
  const animator = p.animator();
  const frames = 1000;
  const params = Array.from({ length: frames }, (_, k) => animator.step(k * 40, speechMouth(k)));
  const draw = (k: number) => renderer.render(params[k]!, k * 40, 'i420');
  const first = timed(frames, draw);
  const steady = timed(frames, draw);
  renderer.close();
  return {
    cpu: Math.round(1000 / steady.cpu),
    wall: Math.round(1000 / steady.wall),
    firstPass: Math.round(1000 / first.cpu),
  };
}

/** Animator step + render of idle frames, after one pass so the pose cache is warm. */
async function measureIdleFrameMs(p: BenchParts): Promise<{ cpu: number; wall: number }> {
  const renderer = await buildInProcess(p.spec);
  const animator = p.animator();
  const warm = 400;
  for (let k = 0; k < warm; k++) renderer.render(animator.step(k * 40, null), k * 40, 'i420');
  const t = timed(400, (k) => renderer.render(animator.step((warm + k) * 40, null), (warm + k) * 40, 'i420'));
  renderer.close();
  return { cpu: Number(t.cpu.toFixed(3)), wall: Number(t.wall.toFixed(3)) };
}

/**
 * A live session on its render worker; 60 utterances, each streamed as 100 ms chunks at real time after a
 * random idle gap (so first chunks land at every phase of the 40 ms clock). Latency: a chunk that arrives with
 * nothing queued ahead of it, pushed → first video frame carrying it leaving the renderer (later chunks of an
 * utterance wait for the audio before them to play out, which is real time, not pipeline delay).
 */
async function measureAudioToFrame(p: BenchParts): Promise<{ p50: number; p95: number }> {
  const session = await SessionPipeline.start({
    renderer: p.spec,
    animator: p.animator(),
    lipSync: p.lipSync?.(),
    hangoverMs: 120,
  });
  const samples: number[] = [];
  try {
    await sleep(500);
    for (let u = 0; u < 60; u++) {
      await sleep(150 + Math.random() * 200);
      const speech = syntheticSpeech(0.4, u);
      const keyframes = p.lipSync ? undefined : envelopeKeyframes(speech);
      const segmentId = `u${u}`;
      for (let c = 0; c < 4; c++) {
        const chunk = speech.subarray(c * 1600, (c + 1) * 1600);
        // Without an audio lip-sync the whole utterance's keyframes ride on its first chunk.
        session.pushAudio(chunk, { segmentId, keyframes: c === 0 ? keyframes : undefined });
        await sleep(100);
      }
      session.endSegment(segmentId);
      await session.whenIdle();
    }
    samples.push(...session.stats.output.audioToFrameMs);
  } finally {
    await session.close();
  }
  return { p50: Number(percentile(samples, 50).toFixed(1)), p95: Number(percentile(samples, 95).toFixed(1)) };
}
