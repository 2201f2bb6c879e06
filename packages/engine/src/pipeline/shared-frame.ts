/** @module One rendered frame read by several sinks, whose buffer still goes back to its producer. */
import type { VideoFrame } from '../render/renderer.js';

/**
 * Gives each of `readers` sinks its own view of `frame` whose `recycle` releases that sink's hold; the producer's
 * `recycle` runs once, after the last reader released (a reader that never releases keeps the buffer from ever
 * being reused, which is safe). Without a `recycle` to share, every reader gets the frame itself.
 */
export function shareFrame(frame: VideoFrame, readers: number): VideoFrame[] {
  const recycle = frame.recycle;
  if (readers <= 1 || !recycle) return Array.from({ length: readers }, () => frame);
  let holding = readers;
  return Array.from({ length: readers }, () => {
    let released = false;
    return {
      ...frame,
      recycle: () => {
        // A reader releasing twice must not count for another one.
        if (released) return;
        released = true;
        if (--holding === 0) recycle();
      },
    };
  });
}
