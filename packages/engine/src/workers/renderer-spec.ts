/** @module How a renderer is named so a worker thread can build its own copy. */
import type { PixelFormat, Renderer } from '../render/renderer.js';

/**
 * A renderer object cannot cross threads, so sessions name a factory instead: the worker imports `module`
 * (a file URL or a package specifier) and calls its export `export` with `options`, which must survive
 * structured cloning (a Rig does: typed arrays and plain objects).
 */
export interface RendererSpec {
  module: string;
  export: string;
  options: unknown;
}

export type RendererFactory = (options: never) => Renderer | Promise<Renderer>;

export interface LaneOptions {
  format: PixelFormat;
  /**
   * Also runs the session's streaming lip-sync on the lane's worker: a factory named like a renderer, returning
   * an object with the pipeline's LipSync shape (push/flush/reset). See RenderLane.lipSync().
   */
  lipSync?: RendererSpec;
  /** The worker draws the avatar's head poses into its cache in its idle time (pose-warmer.ts): live sessions. */
  warmPoses?: boolean;
}
