/**
 * bench:lipsync-thread — what moving the audio lip-sync to the render workers does, without LiveKit or peers:
 * `n` live avatars (a public photo avatar, the real renderer, the shared worker pool), each getting utterances
 * as an agent sends them (20 ms chunks, all at once), with the lip-sync on the main thread (an injected
 * AudioLipSync, as before) and on the workers (the default), one after the other in one process. Figures per
 * mode: main event-loop busy share, speech arrival → frame at the outputs p50/p95 and its stages (FrameTiming),
 * frames dropped. Prints one JSON object on its last line.
 *
 *   nice npx tsx bench/lipsync-thread.ts [--sessions=8 --utterances=4 --speak-s=3]
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  AudioLipSync,
  FliteTTS,
  LiveAvatar,
  publicAvatarRenderer,
  RenderWorkerPool,
  type VideoFrame,
} from '@agenthuman/engine';
import { resample } from '@agenthuman/media';
import { arg, percentile, round, sleep } from './livekit-common.js';
import { mergeStages, stageFigures } from './livekit-step.js';

const SESSIONS = arg('sessions', 8);
const UTTERANCES = arg('utterances', 4);
const SPEAK_S = arg('speak-s', 3);

const tts = await new FliteTTS().synthesize(
  'Hello there, thank you for calling. I can help you with your booking today, just tell me what you need.',
  { voice: 'slt' },
);
const speech16k = resample(tts.pcm, tts.sampleRate, 16_000).subarray(0, SPEAK_S * 16_000);

async function run(mode: 'main' | 'worker', pool: RenderWorkerPool) {
  const avatar = publicAvatarRenderer('eileen', '4:3');
  const avatars = await Promise.all(
    Array.from({ length: SESSIONS }, () =>
      LiveAvatar.start({ avatar, pool, ...(mode === 'main' ? { lipSync: new AudioLipSync() } : {}) }),
    ),
  );
  // A live sink hands the frame buffer back once it has used it, as the rooms do.
  const sink = { writeVideo: (frame: VideoFrame) => frame.recycle?.(), writeAudio: () => {} };
  for (const a of avatars) a.attach({ video: sink, audio: sink });
  await sleep(1500);
  const dropped0 = avatars.map((a) => a.stats.render.dropped);
  const elu0 = performance.eventLoopUtilization();
  const loadBefore = loadavg()[0]!;
  for (let u = 0; u < UTTERANCES; u++) {
    // Every session starts an utterance at once (its audio arriving faster than real time), then it plays out.
    avatars.forEach((a, i) => {
      const segmentId = `u${u}-${i}`;
      for (let at = 0; at < speech16k.length; at += 320)
        a.pushAudio(speech16k.subarray(at, at + 320), { sampleRate: 16_000, segmentId });
      a.endSegment(segmentId);
    });
    await sleep(SPEAK_S * 1000 + 700 + Math.random() * 300);
  }
  const busy = performance.eventLoopUtilization(elu0).utilization;
  const latencies = avatars.flatMap((a) => a.stats.output.audioToFrameMs);
  const stages: Record<string, number[]> = {};
  for (const a of avatars) mergeStages(stages, a.stats.output.audioToFrameStagesMs);
  const dropped = avatars.reduce((sum, a, i) => sum + a.stats.render.dropped - dropped0[i]!, 0);
  await Promise.all(avatars.map((a) => a.close()));
  return {
    mode,
    sessions: SESSIONS,
    mainBusyShare: round(busy),
    speechToFrameMs: { n: latencies.length, p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
    stagesMs: stageFigures(stages),
    dropped,
    loadavg: [round(loadBefore), round(loadavg()[0]!)],
  };
}

const pool = new RenderWorkerPool();
try {
  // Warm the pool (rigs, idle caches) before either mode is measured.
  const warm = await LiveAvatar.start({ avatar: publicAvatarRenderer('eileen', '4:3'), pool });
  await sleep(3000);
  await warm.close();
  const rows = [];
  // main, worker, main, worker: the machine's load drifts, so each mode is measured twice, interleaved.
  for (const mode of ['main', 'worker', 'main', 'worker'] as const) {
    rows.push(await run(mode, pool));
    console.error(JSON.stringify(rows.at(-1)));
  }
  console.log(JSON.stringify({ rows }));
} finally {
  await pool.close();
}
