/** @module Messages between the render worker pool (main thread) and its worker threads. */
import type { FaceParams } from '../animation/params.js';
import type { PixelFormat, VideoFrame } from '../render/renderer.js';
import type { RendererSpec } from './renderer-spec.js';

export type ToWorker =
  | { type: 'open'; laneId: number; spec: RendererSpec; format: PixelFormat }
  | {
      type: 'render';
      laneId: number;
      seq: number;
      params: FaceParams;
      ptsMs: number;
      /** A recycled frame buffer to draw into (transferred), when the lane has one. */
      buffer?: ArrayBuffer;
    }
  | { type: 'close'; laneId: number };

export type FromWorker =
  | { type: 'opened'; laneId: number; width: number; height: number }
  | { type: 'frame'; laneId: number; seq: number; frame: VideoFrame; renderMs: number }
  | { type: 'failed'; laneId: number; seq: number | undefined; message: string };
