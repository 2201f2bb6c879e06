/**
 * @module Warms a render worker's speaking path at start-up: a throwaway reply (speech frames and the streaming
 * lip-sync) drawn and analysed through a lane, so a thread's first real reply does not run that code cold.
 * Measured before this (2026-12-07, one worker after the idle warm-up, load 1–3): a thread's first speech frames
 * took 10–32 ms each against 1–1.5 ms warm (V8 still interpreting the mouth, lip-rim and raster code the idle
 * frames never reach) and its first lip-sync step 100 ms against 2; at 8 sessions that stall lands on every
 * session of that worker in the instant they all start speaking.
 */
import { createAnimator } from '../animation/animator.js';
import type { MouthParams } from '../animation/params.js';
import type { RenderLane } from '../workers/render-lane.js';

/** Slices of the same length as the pipeline posts (160 ms at 16 kHz). */
const SLICE_SAMPLES = 2560;

/**
 * A varied mouth track: open vowels, wide and rounded lips, the lower lip tucked, teeth shown, and closures the
 * lips press shut on (`closure`, as the audio path sends): every branch of the mouth's drawing is reached.
 */
function warmupMouth(i: number): MouthParams {
  const syllable = Math.abs(Math.sin(i * 0.55));
  return {
    jawOpen: i % 9 === 0 ? 0.05 : syllable,
    mouthWidth: 0.5 + 0.4 * Math.sin(i * 0.21),
    mouthRound: Math.max(0, Math.sin(i * 0.17)) * 0.8,
    upperLip: 0.3 * Math.max(0, Math.sin(i * 0.4)),
    lowerLip: i % 23 < 2 ? 1 : 0,
    closure: i % 9 === 0 ? 0.8 : 0,
  };
}

/** A voiced, syllable-paced tone with a little noise (deterministic): enough to run every stage of the analysis. */
function warmupAudio(samples: number): Int16Array {
  const pcm = new Int16Array(samples);
  let seed = 1;
  for (let i = 0; i < samples; i++) {
    const t = i / 16_000;
    let voiced = 0;
    for (let h = 1; h < 8; h++) voiced += Math.sin(2 * Math.PI * 140 * h * t) / h;
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const noise = seed / 2_147_483_648 - 0.5;
    pcm[i] = Math.round(Math.abs(Math.sin(t * Math.PI * 4)) * voiced * 6000 + noise * 800);
  }
  return pcm;
}

export type SpeakingWarmup = { frames: number; lipSyncSteps: number };

/**
 * Draws `frames` speech frames after `fromPtsMs` on the lane and, when the lane was opened with a lip-sync, runs
 * as many 160 ms slices of audio through it (then resets it). The caller closes the lane.
 */
export async function warmSpeakingPath(
  lane: RenderLane,
  options: { seed: number; fromPtsMs: number; frames: number; lipSync: boolean; signal?: AbortSignal },
): Promise<SpeakingWarmup> {
  let lipSyncSteps = 0;
  if (options.lipSync) {
    const audio = warmupAudio(SLICE_SAMPLES * Math.ceil(options.frames / 4));
    // Sent at once (the worker runs a lane's steps in order), not one round trip through this thread each.
    const steps: Promise<unknown>[] = [];
    for (let at = 0; at < audio.length && !options.signal?.aborted; at += SLICE_SAMPLES) {
      // Transferred to the worker: each slice is its own copy.
      steps.push(lane.lipSync('push', audio.slice(at, at + SLICE_SAMPLES)));
    }
    steps.push(lane.lipSync('flush'), lane.lipSync('reset'));
    await Promise.all(steps);
    lipSyncSteps = steps.length - 2;
  }
  const animator = createAnimator({ seed: options.seed });
  // In batches of a second: queued at the worker together (drawn in order), few round trips through this thread.
  let frames = 0;
  while (frames < options.frames && !options.signal?.aborted) {
    const batch: Promise<unknown>[] = [];
    for (let k = frames; k < Math.min(options.frames, frames + 25); k++) {
      const ptsMs = options.fromPtsMs + k * 40;
      batch.push(lane.render(animator.step(ptsMs, warmupMouth(k)), ptsMs, true));
    }
    await Promise.all(batch);
    frames += batch.length;
  }
  return { frames, lipSyncSteps };
}
