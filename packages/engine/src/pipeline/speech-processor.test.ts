import { describe, expect, it } from 'vitest';
import { restMouth } from '../animation/params.js';
import type { Frame } from './frames.js';
import type { Tick } from './media-clock.js';
import { SpeechProcessor } from './speech-processor.js';

const tick = (index: number): Tick => ({
  index,
  ptsMs: index * 40,
  dueAt: index * 40,
  lateMs: 0,
  catchingUp: false,
});

describe('SpeechProcessor', () => {
  it("lets a frame's audio go at its tick while its mouth waits for the lip-sync thread's keyframe", async () => {
    let answer: (() => void) | undefined;
    const speech = new SpeechProcessor({
      mouthPending: () => new Promise<void>((resolve) => (answer = resolve)),
      maxMouthWaitMs: 10_000,
    });
    const out: Frame[] = [];
    speech.onFrame((frame) => void out.push(frame));
    speech.push({ kind: 'segment-start', segmentId: 's', hasMouth: false });
    speech.push({
      kind: 'audio',
      pcm: new Int16Array(1280).fill(5),
      sampleRate: 16_000,
      ptsMs: 0,
      segmentId: 's',
    });
    speech.tick(tick(0));
    expect(out.map((f) => f.kind)).toEqual(['audio']);
    // The next tick waits behind the mouth (one frame's audio and mouth at a time, in order).
    speech.tick(tick(1));
    expect(out.map((f) => f.kind)).toEqual(['audio']);
    speech.queue.setMouth('s', [{ ...restMouth, jawOpen: 0.7, ptsMs: 0 }]);
    answer!();
    await new Promise((resolve) => setImmediate(resolve));
    const kinds = out.map((f) => (f.kind === 'audio' ? `audio@${f.ptsMs}` : f.kind));
    expect(kinds.slice(0, 3)).toEqual(['audio@0', 'mouth', 'audio@40']);
    const mouth = out[1] as Extract<Frame, { kind: 'mouth' }>;
    expect(mouth.keyframes[0]?.jawOpen).toBe(0.7);
  });
});
