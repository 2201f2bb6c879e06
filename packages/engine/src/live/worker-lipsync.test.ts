// A live avatar's audio lip-sync runs on its render worker: the mouth targets the animator gets, frame by frame,
// are exactly those of the same AudioLipSync run on the main thread, and the main thread never runs the model.
import type { MouthParams } from '@agenthuman/engine/animation';
import { createAnimator } from '@agenthuman/engine/animation';
import { AudioLipSync } from '@agenthuman/engine/lipsync';
import { LiveAvatar, type PipelineAnimator } from '@agenthuman/engine/live';
import { RenderWorkerPool } from '@agenthuman/engine/render';
import { solidColourRendererSpec } from '@agenthuman/engine/testing';
import { FliteTTS } from '@agenthuman/engine/tts';
import { resample } from '@agenthuman/media';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

type Step = { ptsMs: number; mouth: MouthParams | null };

/** The real animator, recording the mouth target of every frame it animates. */
function recordingAnimator(steps: Step[]): PipelineAnimator {
  const animator = createAnimator({ seed: 11 });
  return {
    step: (ptsMs, mouth) => {
      steps.push({ ptsMs, mouth: mouth && { ...mouth } });
      return animator.step(ptsMs, mouth);
    },
    interrupt: () => animator.interrupt(),
  };
}

describe('LiveAvatar: audio lip-sync on the render worker', () => {
  const pool = new RenderWorkerPool({ size: 1 });
  let speech: Int16Array;
  let speechRate: number;
  beforeAll(async () => {
    const tts = await new FliteTTS().synthesize('Hello, how are you today? I am fine, thank you.', {
      voice: 'rms',
    });
    speech = tts.pcm;
    speechRate = tts.sampleRate;
  });
  afterAll(() => pool.close());

  /** One whole segment (sliced analysis) then one streamed in 20 ms chunks at 48 kHz, rendered as a file. */
  async function run(mainThreadLipSync: boolean): Promise<Step[]> {
    const steps: Step[] = [];
    const avatar = await LiveAvatar.start({
      avatar: { spec: solidColourRendererSpec({ width: 32, height: 24 }), seed: 11 },
      pool,
      animator: recordingAnimator(steps),
      realtime: false,
      ...(mainThreadLipSync ? { lipSync: new AudioLipSync() } : {}),
    });
    const played: string[] = [];
    avatar.on('segment.played', ({ segmentId }) => void played.push(segmentId));
    try {
      avatar.speak(speech, { sampleRate: speechRate, segmentId: 'whole' });
      const streamed = resample(speech, speechRate, 48_000);
      for (let at = 0; at < streamed.length; at += 960)
        avatar.pushAudio(streamed.subarray(at, at + 960), { sampleRate: 48_000, segmentId: 'streamed' });
      avatar.endSegment('streamed');
      const until = Date.now() + 30_000;
      while (played.length < 2 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(played).toEqual(['whole', 'streamed']);
    } finally {
      await avatar.close();
    }
    return steps;
  }

  it('gives every frame the mouth target of the main-thread reference, and the main thread runs no model', async () => {
    const reference = await run(true);
    const push = vi.spyOn(AudioLipSync.prototype, 'push');
    const flush = vi.spyOn(AudioLipSync.prototype, 'flush');
    const inWorker = await run(false);
    expect(push).not.toHaveBeenCalled();
    expect(flush).not.toHaveBeenCalled();
    push.mockRestore();
    flush.mockRestore();

    const speaking = (steps: Step[]) => steps.filter((s) => s.mouth !== null);
    const expected = speaking(reference);
    // Both segments played with a target on every frame: ~2 × the speech's length in 40 ms frames.
    expect(expected.length).toBeGreaterThan((2 * speech.length) / speechRate / 0.04 - 4);
    expect(speaking(inWorker)).toEqual(expected);
    // Frame for frame, idle frames included, as far as both recorded (the clock runs on until close).
    const n = Math.min(reference.length, inWorker.length);
    expect(n).toBeGreaterThan(expected.length);
    expect(inWorker.slice(0, n).map((s) => s.mouth)).toEqual(reference.slice(0, n).map((s) => s.mouth));
  });

  it('lets an interrupt through while a frame waits for its keyframe, and plays on', async () => {
    const steps: Step[] = [];
    const avatar = await LiveAvatar.start({
      avatar: { spec: solidColourRendererSpec({ width: 32, height: 24 }), seed: 11 },
      pool,
      animator: recordingAnimator(steps),
      realtime: false,
    });
    const played: { segmentId: string; interrupted: boolean }[] = [];
    avatar.on('segment.played', ({ segmentId, interrupted }) => void played.push({ segmentId, interrupted }));
    try {
      // 30 s of speech: its analysis is still queued on the worker when the first ticks want their keyframes.
      const long = new Int16Array(speech.length * 8);
      for (let i = 0; i < 8; i++) long.set(speech, i * speech.length);
      avatar.speak(long, { sampleRate: speechRate, segmentId: 'long' });
      const until = Date.now() + 10_000;
      while (steps.filter((s) => s.mouth).length < 3 && Date.now() < until)
        await new Promise((resolve) => setImmediate(resolve));
      avatar.interrupt();
      expect(played).toEqual([{ segmentId: 'long', interrupted: true }]);
      const after = steps.length;
      while (steps.length < after + 20 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
      // The clock runs on, mouth-still: nothing of the cut segment plays.
      expect(steps.slice(after + 5).every((s) => s.mouth === null)).toBe(true);
      avatar.speak(speech, { sampleRate: speechRate, segmentId: 'next' });
      while (!played.some((p) => p.segmentId === 'next') && Date.now() < until)
        await new Promise((r) => setTimeout(r, 5));
      expect(played.at(-1)).toEqual({ segmentId: 'next', interrupted: false });
    } finally {
      await avatar.close();
    }
  });

  it("keeps a live session's audio flowing while its worker is too busy to answer lip-sync in time", async () => {
    // FAKE load: each frame costs its worker 300 ms, so an answer to lip-sync can take that long.
    const busyPool = new RenderWorkerPool({ size: 1 });
    const avatar = await LiveAvatar.start({
      avatar: { spec: solidColourRendererSpec({ width: 32, height: 24, costMs: 300 }), seed: 11 },
      pool: busyPool,
    });
    const loudAt: number[] = [];
    avatar.attach({
      audio: {
        writeAudio: (chunk) => {
          if (chunk.pcm.some((v) => Math.abs(v) > 2000)) loudAt.push(performance.now());
        },
      },
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const pushedAt = performance.now();
      avatar.speak(speech.subarray(0, speechRate), { sampleRate: speechRate });
      const until = Date.now() + 5000;
      while (loudAt.length < 10 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
      // Without the cap each speech frame would wait for an answer behind a 300 ms render.
      expect(loudAt.length).toBeGreaterThanOrEqual(10);
      expect(loudAt[9]! - pushedAt).toBeLessThan(1500);
      expect(avatar.stats.mouthWaitsCut).toBeGreaterThan(0);
      // One capped wait per backlog: while the answer it gave up on is still coming, later frames do not wait
      // (each waiting the whole cap in turn built lateness up into dropped frames on a full machine).
      expect(avatar.stats.mouthWaitsCut).toBeLessThanOrEqual(3);
    } finally {
      await avatar.close();
      await busyPool.close();
    }
  });
});
