/**
 * A render worker's first reply, cold or warmed: a one-worker pool warmed as the server warms it (with and without
 * the warm-up's throwaway reply, `setLiveDefaults({ speakingWarmup })`, alternating in fresh pools: each worker is a fresh V8
 * isolate), then two sessions of the default avatar in turn, each idling a second and then speaking (its lip-sync
 * fed 160 ms slices of a voiced tone, its frames a speech mouth track). Worker render time per frame and
 * lip-sync time per step, as the worker reports them (wall time in the worker: run it niced, read the load).
 * Prints one JSON object on its last line.
 *
 *   nice npx tsx bench/render-worker-cold.ts [--pairs=2]
 */
import { loadavg } from 'node:os';
import { setLiveDefaults } from '@agenthuman/engine';
import { createAnimator } from '@agenthuman/engine/animation';
import { DEFAULT_PUBLIC_AVATAR_SLUG } from '@agenthuman/engine/avatars';
import { audioLipSyncSpec, publicAvatarRenderer, warmPublicAvatars } from '@agenthuman/engine/live';
import { RenderWorkerPool } from '@agenthuman/engine/render';
import { speechMouth } from '@agenthuman/engine/testing/face';

const PAIRS = Number(process.argv.find((a) => a.startsWith('--pairs='))?.slice(8) ?? 2);
const round = (x: number) => Math.round(x * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? null;

function voiced(samples: number, from: number): Int16Array {
  const pcm = new Int16Array(samples);
  for (let i = 0; i < samples; i++) {
    const t = (i + from) / 16_000;
    let s = 0;
    for (let h = 1; h < 8; h++) s += Math.sin(2 * Math.PI * 140 * h * t) / h;
    pcm[i] = Math.round(Math.abs(Math.sin(t * Math.PI * 4)) * s * 6000);
  }
  return pcm;
}

/** One session's life on the worker: 25 idle frames, then 2 s of speech with its lip-sync. */
async function session(pool: RenderWorkerPool) {
  const { spec, seed } = publicAvatarRenderer(DEFAULT_PUBLIC_AVATAR_SLUG, '4:3');
  const lane = await pool.openLane(spec, { format: 'i420', lipSync: audioLipSyncSpec() });
  const animator = createAnimator({ seed });
  let k = 0;
  for (; k < 25; k++) await lane.render(animator.step(k * 40, null), k * 40);
  const frames: number[] = [];
  const steps: number[] = [];
  for (let j = 0; j < 50; j++, k++) {
    if (j % 4 === 0) {
      const before = lane.lipSyncMs;
      await lane.lipSync('push', voiced(2560, j * 640));
      steps.push(lane.lipSyncMs - before);
    }
    frames.push((await lane.render(animator.step(k * 40, speechMouth(j)), k * 40, true)).renderMs);
  }
  lane.close();
  return {
    firstLipSyncStepMs: round(steps[0]!),
    firstSpeechFrameMs: round(frames[0]!),
    /** The reply's first 8 frames together (before the fixed-end blends: the head's blend, drawn uncached). */
    firstEightSpeechFramesMs: round(frames.slice(0, 8).reduce((a, b) => a + b, 0)),
    laterSpeechFrameMedianMs: round(median(frames.slice(25))!),
    laterLipSyncStepMedianMs: round(median(steps.slice(3))!),
  };
}

async function trial(warm: boolean) {
  setLiveDefaults({ speakingWarmup: warm });
  const pool = new RenderWorkerPool({ size: 1 });
  try {
    const started = performance.now();
    await warmPublicAvatars(pool);
    const warmupMs = Math.round(performance.now() - started);
    return { warmupMs, firstSession: await session(pool), secondSession: await session(pool) };
  } finally {
    await pool.close();
  }
}

const runs: { speakingWarmup: boolean; loadavg: number[]; [k: string]: unknown }[] = [];
for (let i = 0; i < PAIRS; i++) {
  // Alternate which goes first, so a load that drifts over the run falls on both.
  for (const warm of i % 2 === 0 ? [false, true] : [true, false]) {
    const result = await trial(warm);
    runs.push({ speakingWarmup: warm, ...result, loadavg: loadavg().map(round) });
    console.error(JSON.stringify(runs.at(-1)));
  }
}
console.log(JSON.stringify({ runs, loadavg: loadavg().map(round) }));
