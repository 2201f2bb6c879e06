import type { FaceParams } from '../animation/params.js';
import type { PixelFormat, Renderer, VideoFrame } from './renderer.js';
import type { Rect } from './warp-raster.js';

// What the CPU renderer (cpu-renderer.ts) takes and answers: its options, the quiet-triangle shift, its stats.

export interface CpuRendererOptions {
  /** Cache the head at idle-loop poses (frames carrying `pose` or `idleFrame`), shared per avatar (default true). */
  idleCache?: boolean;
  /**
   * Most head poses cached per avatar and thread (default 512: the animator's idle loop has 160, its speech,
   * listening and thinking lattice poses about 100 more, the blends between modes about 230).
   */
  maxIdleFrames?: number;
  /**
   * Against a cached pose, a triangle whose corners all move less than this (px) from the pose stays as the pose
   * instead of being re-warped (default QUIET_SHIFT_PX; 0 re-warps every triangle its parameters touch).
   */
  quietShiftPx?: number;
}

/**
 * Speech moves the brows and the jaw by a fraction of their reach, and much of the forehead, cheeks and neck
 * that their bases touch then moves by less than a tenth of a pixel: up to a fifth of a speech frame's warped
 * pixels. Left as the cached pose they differ from a re-warp by at most this shift (4–7 levels on a few pixels of
 * sharp edges, quiet-triangles.test.ts); 0.25 px saved 3 % more CPU for up to 13 levels.
 */
export const QUIET_SHIFT_PX = 0.1;

export interface CpuRenderer extends Renderer {
  /** Like render(), but `data` is the renderer's own buffer, valid until the next call (copy or send it at once). */
  renderView(params: FaceParams, ptsMs: number, format: PixelFormat): VideoFrame;
  warmPose(params: FaceParams): boolean;
  /** Pose cache (shared by all renderers of this avatar in this thread) and the last frame's redrawn area. */
  stats(): {
    idleCacheFrames: number;
    idleCacheBytes: number;
    lastRect: Rect;
    /** How many of the last frame's moved triangles it left as the cached pose (QUIET_SHIFT_PX). */
    lastQuiet: number;
    /**
     * Frames with a pose by how it was found: cached, drawn and cached now, or drawn whole (cache full); and poses
     * drawn ahead by warmPose.
     */
    poseCache: { hits: number; drawn: number; full: number; warmed: number };
  };
}
