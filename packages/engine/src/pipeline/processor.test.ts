import { describe, expect, it } from 'vitest';
import type { Frame } from './frames.js';
import { chain, FrameProcessor } from './processor.js';

/** Holds each frame for a moment, as a processor waiting on a provider would. */
class SlowPassThrough extends FrameProcessor {
  readonly name = 'slow';
  interrupts = 0;
  protected async process(frame: Frame): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 2));
    this.emit(frame);
  }
  protected override onSystem(frame: Frame): void {
    if (frame.kind === 'interrupt') this.interrupts++;
  }
}

class Collect extends FrameProcessor {
  readonly name = 'collect';
  frames: Frame[] = [];
  protected process(frame: Frame): void {
    this.frames.push(frame);
  }
  protected override onSystem(frame: Frame): void {
    this.frames.push(frame);
  }
}

const text = (t: string): Frame => ({ kind: 'text', text: t, segmentId: 's' });
const labels = (frames: Frame[]) =>
  frames.map((f) =>
    f.kind === 'text' ? f.text : f.kind === 'segment-start' ? `start:${f.segmentId}` : f.kind,
  );

describe('FrameProcessor', () => {
  it('keeps frame order through an asynchronous processor', async () => {
    const slow = new SlowPassThrough();
    const sink = new Collect();
    chain(slow, sink);
    for (const t of ['a', 'b', 'c', 'd']) slow.push(text(t));
    await slow.whenIdle();
    expect(labels(sink.frames)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('on interrupt drops queued data frames, keeps control frames in order, and lets the interrupt jump ahead', async () => {
    const slow = new SlowPassThrough();
    const sink = new Collect();
    chain(slow, sink);
    slow.push(text('a'));
    slow.push({ kind: 'segment-start', segmentId: 'x', hasMouth: false });
    slow.push(text('b'));
    slow.push({ kind: 'segment-start', segmentId: 'y', hasMouth: false });
    slow.push(text('c'));
    slow.push({ kind: 'interrupt' });
    // The interrupt is already downstream while 'a' is still being processed.
    expect(labels(sink.frames)).toEqual(['interrupt']);
    await slow.whenIdle();
    expect(labels(sink.frames)).toEqual(['interrupt', 'a', 'start:x', 'start:y']);
    expect(slow.interrupts).toBe(1);
  });

  it('stops taking frames after end, downstream too (the frame in flight goes nowhere)', async () => {
    const slow = new SlowPassThrough();
    const sink = new Collect();
    chain(slow, sink);
    slow.push(text('a'));
    slow.push(text('b'));
    slow.push({ kind: 'end' });
    slow.push(text('c'));
    await slow.whenIdle();
    expect(labels(sink.frames)).toEqual(['end']);
  });

  it('reports a throwing processor and keeps going', () => {
    class Throws extends FrameProcessor {
      readonly name = 'throws';
      protected process(frame: Frame): void {
        if (frame.kind === 'text' && frame.text === 'bad') throw new Error('boom');
        this.emit(frame);
      }
    }
    const errors: string[] = [];
    const throws = new Throws().onError((error, name) => errors.push(`${name}:${(error as Error).message}`));
    const sink = new Collect();
    chain(throws, sink);
    for (const t of ['a', 'bad', 'b']) throws.push(text(t));
    expect(errors).toEqual(['throws:boom']);
    expect(labels(sink.frames)).toEqual(['a', 'b']);
  });
});
