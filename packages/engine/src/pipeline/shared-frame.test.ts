import { describe, expect, it } from 'vitest';
import type { VideoFrame } from '../render/renderer.js';
import { shareFrame } from './shared-frame.js';

const frame = (recycle?: () => void): VideoFrame => ({
  width: 2,
  height: 2,
  format: 'i420',
  data: new Uint8Array(6),
  ptsMs: 40,
  transferred: true,
  recycle,
});

describe('shareFrame', () => {
  it('hands the buffer back once, after the last reader released it', () => {
    let recycled = 0;
    const [a, b, c] = shareFrame(
      frame(() => recycled++),
      3,
    );
    a!.recycle!();
    c!.recycle!();
    // A reader releasing twice does not stand in for the one still reading.
    c!.recycle!();
    expect(recycled).toBe(0);
    b!.recycle!();
    expect(recycled).toBe(1);
    a!.recycle!();
    expect(recycled).toBe(1);
    expect(a!.data).toBe(b!.data);
  });

  it('keeps the buffer from going back while a reader never releases it', () => {
    let recycled = 0;
    const [a] = shareFrame(
      frame(() => recycled++),
      2,
    );
    a!.recycle!();
    expect(recycled).toBe(0);
  });

  it('passes a lone reader, or a frame with nothing to hand back, through as it is', () => {
    const own = frame(() => {});
    expect(shareFrame(own, 1)).toEqual([own]);
    const plain = frame();
    expect(shareFrame(plain, 2)).toEqual([plain, plain]);
    expect(shareFrame(plain, 2)[0]).toBe(plain);
  });
});
