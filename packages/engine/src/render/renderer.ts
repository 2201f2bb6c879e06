import type { FaceParams } from '../animation/params.js';

export type PixelFormat = 'rgba' | 'i420';

export interface VideoFrame {
  width: number;
  height: number;
  format: PixelFormat;
  data: Uint8Array;
  /** Presentation time on the session's media clock, in milliseconds. */
  ptsMs: number;
  /**
   * True when `data` is a buffer its producer will never write again (a frame transferred from a render
   * worker), so a sink may keep it without copying. Sinks must not write to it either.
   */
  transferred?: boolean;
  /**
   * Offered with some transferred frames: hands `data`'s buffer back to its producer for a later frame. Only
   * the frame's last reader may call it, once, after which it must not touch `data`. Never calling it is
   * safe (the buffer is then garbage-collected); calling it saves a 460 KB allocation per 640×480 frame, which
   * costs more CPU in page faults and garbage collection than drawing the frame's mouth.
   */
  recycle?: () => void;
}

/**
 * Draws one frame of an avatar from animation parameters. The CPU mesh-warp renderer implements it; a future
 * neural renderer served over HTTP would implement the same contract (audio + timestamps in, frames out) via an
 * adapter that receives the audio alongside the parameters.
 */
export interface Renderer {
  readonly width: number;
  readonly height: number;
  render(params: FaceParams, ptsMs: number, format: PixelFormat): VideoFrame;
  /**
   * Optional: like render(), but `data` may be the renderer's own buffer, valid only until its next call. For
   * callers that copy or send the frame at once (the render worker), saving one full-frame copy.
   */
  renderView?(params: FaceParams, ptsMs: number, format: PixelFormat): VideoFrame;
  /**
   * Optional: draws and caches the head of `params` (its pose) if it is not cached yet, drawing no frame; true when
   * it drew. Lets a render worker fill an avatar's pose cache in its idle time, before speech reaches those poses.
   */
  warmPose?(params: FaceParams): boolean;
  close(): void;
}
