// npm run bench:engine [-- --renderer=test] — the avatar engine's speed targets (issue 3). Prints one JSON
// object on its last line: render_fps_per_core, live_sessions_2_cores, audio_to_frame_ms_p95, idle_frame_ms,
// session_memory_mb, and lipsync_corr / lipsync_lag_ms from bench/lipsync.ts when it exists.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { restFace, SessionPipeline } from '@agenthuman/engine';
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

const renderFps = await measureRenderFps(parts);
console.error(`render_fps_per_core ${renderFps}`);
const idleMs = await measureIdleFrameMs(parts);
console.error(`idle_frame_ms ${idleMs}`);
const latency = await measureAudioToFrame(parts);
console.error(`audio_to_frame_ms_p95 ${latency.p95}`);
const live = await measureLiveSessions(parts, (line) => console.error(line));

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
    render_fps_per_core: renderFps,
    live_sessions_2_cores: live.sessions,
    audio_to_frame_ms_p95: latency.p95,
    idle_frame_ms: idleMs,
    session_memory_mb: live.memoryMbPerSession,
    ...lipsync,
    audio_to_frame_ms_p50: latency.p50,
    live_encoder: live.encoder,
    renderer: parts.renderer,
    cores: availableParallelism(),
  }),
);

/** Speech frames (mouth moving every frame) at 640×480 I420 on this thread, after a warm-up. */
async function measureRenderFps(p: BenchParts): Promise<number> {
  const renderer = await buildInProcess(p.spec);
  const frame = (k: number) => ({
    ...restFace,
    jawOpen: 0.5 + 0.45 * Math.sin(k * 0.7),
    mouthWidth: 0.5 + 0.2 * Math.sin(k * 0.31),
    mouthRound: 0.3 + 0.3 * Math.sin(k * 0.17),
    upperLip: 0.2,
    lowerLip: 0.1 * (k % 7 === 0 ? 1 : 0),
  });
  for (let k = 0; k < 50; k++) renderer.render(frame(k), k * 40, 'i420');
  let frames = 0;
  const started = performance.now();
  while (performance.now() - started < 3000) {
    renderer.render(frame(frames), frames * 40, 'i420');
    frames++;
  }
  renderer.close();
  return Math.round(frames / ((performance.now() - started) / 1000));
}

/** Animator step + render of idle frames, after one pass so an idle-loop cache is warm. */
async function measureIdleFrameMs(p: BenchParts): Promise<number> {
  const renderer = await buildInProcess(p.spec);
  const animator = p.animator();
  const warm = 400;
  for (let k = 0; k < warm; k++) renderer.render(animator.step(k * 40, null), k * 40, 'i420');
  const frames = 400;
  const started = performance.now();
  for (let k = warm; k < warm + frames; k++) renderer.render(animator.step(k * 40, null), k * 40, 'i420');
  const ms = (performance.now() - started) / frames;
  renderer.close();
  return Number(ms.toFixed(3));
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
