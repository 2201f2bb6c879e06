import { describe, expect, it } from 'vitest';
import { restMouth } from '../animation/params.js';
import { isLiveError } from './live-error.js';
import { SpeechQueue } from './speech-queue.js';

/** PCM whose every sample holds its own position + 1 (mod 30000), so order is visible in the output. */
function ramp(length: number, start = 0): Int16Array {
  return Int16Array.from({ length }, (_, i) => ((start + i) % 30_000) + 1);
}

function drain(queue: SpeechQueue, flushPartial = false) {
  const frames = [];
  for (let frame = queue.shift({ flushPartial }); frame; frame = queue.shift({ flushPartial }))
    frames.push(frame);
  return frames;
}

describe('SpeechQueue', () => {
  it('plays chunks of any size back as 640-sample frames in arrival order', () => {
    const queue = new SpeechQueue();
    const sizes = [100, 1000, 640, 1, 2000, 179];
    let at = 0;
    for (const size of sizes) {
      queue.enqueue('a', ramp(size, at), 0);
      at += size;
    }
    expect(queue.queuedSamples).toBe(at);
    queue.endSegment('a');
    const frames = drain(queue);
    expect(frames.map((f) => f.index)).toEqual([...frames.keys()]);
    const played = Int16Array.from(frames.flatMap((f) => [...f.pcm]));
    expect(played.length).toBe(Math.ceil(at / 640) * 640);
    expect([...played.subarray(0, at)]).toEqual([...ramp(at)]);
    // The trailing part-frame is padded with silence.
    expect(played.subarray(at).every((s) => s === 0)).toBe(true);
    expect(queue.queuedSamples).toBe(0);
  });

  it('keeps segments in order and does not play an open segment past its last whole frame', () => {
    const queue = new SpeechQueue();
    queue.enqueue('first', ramp(1000), 0);
    queue.enqueue('second', ramp(640, 5000), 0);
    queue.endSegment('second');
    expect(drain(queue).map((f) => f.segmentId)).toEqual(['first']);
    // The open first segment starves; flushing pads its 360 leftover samples, then the second plays.
    const flushed = drain(queue, true);
    expect(flushed.map((f) => `${f.segmentId}:${f.index}`)).toEqual(['first:1']);
    queue.endSegment('first');
    expect(drain(queue).map((f) => `${f.segmentId}:${f.index}`)).toEqual(['second:0']);
  });

  it('attaches mouth keyframes to the frame with the same segment pts', () => {
    const queue = new SpeechQueue();
    queue.enqueue('s', ramp(640 * 3), 0);
    queue.setMouth('s', [{ ...restMouth, jawOpen: 0.7, ptsMs: 40 }]);
    queue.endSegment('s');
    expect(drain(queue).map((f) => f.mouth?.jawOpen)).toEqual([undefined, 0.7, undefined]);
  });

  it('rejects a chunk that would pass 120 s queued, queuing none of it', () => {
    const queue = new SpeechQueue();
    queue.enqueue('s', new Int16Array(16_000 * 119), 0);
    let error: unknown;
    try {
      queue.enqueue('s', new Int16Array(16_000 * 2), 0);
    } catch (caught) {
      error = caught;
    }
    expect(isLiveError(error, 'QUEUE_FULL')).toBe(true);
    expect(queue.queuedSamples).toBe(16_000 * 119);
    queue.enqueue('s', new Int16Array(16_000), 0);
    expect(queue.queuedMs).toBe(120_000);
  });

  it('rejects empty audio with EMPTY_AUDIO', () => {
    expect(() => new SpeechQueue().enqueue('s', new Int16Array(0), 0)).toThrowError(/empty/);
  });

  it('drops everything on clear()', () => {
    const queue = new SpeechQueue();
    queue.enqueue('a', ramp(5000), 0);
    queue.enqueue('b', ramp(100), 0);
    expect(queue.clear()).toBe(5100);
    expect(queue.isEmpty).toBe(true);
    expect(queue.shift({ flushPartial: true })).toBeUndefined();
  });
});
