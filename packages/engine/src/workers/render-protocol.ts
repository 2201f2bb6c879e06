/** @module Messages between the render worker pool (main thread) and its worker threads. */
import type { FaceParams, MouthKeyframe } from '../animation/params.js';
import type { PixelFormat, VideoFrame } from '../render/renderer.js';
import type { RendererSpec } from './renderer-spec.js';

/** One step of a lane's streaming lip-sync, run in the worker in the order sent (see worker-lipsync.ts). */
export type LipSyncOp = 'push' | 'flush' | 'reset';

export type ToWorker =
  | {
      type: 'open';
      laneId: number;
      spec: RendererSpec;
      format: PixelFormat;
      /** Builds the lane's streaming lip-sync in the worker too (a factory returning push/flush/reset). */
      lipSync?: RendererSpec;
      /** Warm the avatar's head poses in the thread's idle time (pose-warmer.ts). */
      warmPoses?: boolean;
    }
  | {
      type: 'render';
      laneId: number;
      seq: number;
      params: FaceParams;
      ptsMs: number;
      /** A speech frame: drawn before other lanes' idle frames waiting at the worker. */
      speaking?: boolean;
      /** When the frame is due at the outputs, absolute ms (performance.timeOrigin + now): live frames only. */
      deadline?: number;
      /**
       * Live: past this (absolute ms) the frame is too late to be worth drawing; the worker answers `skipped`
       * instead, when it comes to it, so a backlog costs the frames that are hopeless, not the ones behind them.
       */
      skipAfter?: number;
      /** A recycled frame buffer to draw into (transferred), when the lane has one. */
      buffer?: ArrayBuffer;
    }
  | {
      type: 'lipsync';
      laneId: number;
      seq: number;
      op: LipSyncOp;
      pcm?: Int16Array;
      /**
       * When the step's audio starts playing, absolute ms (performance.timeOrigin + now): a step far ahead of it
       * waits while renders are queued (worker-lipsync.ts). Absent: needed now.
       */
      deadline?: number;
      /**
       * Absolute ms before which the step need not run (its audio plays later than the pacing horizon): the
       * worker spreads a burst of TTS over the reply instead of analysing it all at once (worker-lipsync.ts).
       */
      notBefore?: number;
    }
  | { type: 'close'; laneId: number };

export type FromWorker =
  | { type: 'opened'; laneId: number; width: number; height: number }
  | { type: 'frame'; laneId: number; seq: number; frame: VideoFrame; renderMs: number }
  /** A render request past its `skipAfter` when the worker took it: not drawn; its buffer comes back. */
  | { type: 'skipped'; laneId: number; seq: number; buffer?: ArrayBuffer }
  | { type: 'mouth'; laneId: number; seq: number; keyframes: MouthKeyframe[]; analyseMs: number }
  | { type: 'failed'; laneId: number; seq: number | undefined; message: string; lipSync?: boolean };
