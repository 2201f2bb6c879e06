/** @module Messages between recorders on the main thread and the encoder threads that own their ffmpeg children. */
import type { FfmpegEncoderOptions } from './ffmpeg-encoder.js';

export interface PcmChunk {
  pcm: Int16Array;
  sampleRate: number;
  ptsMs: number;
}

export type ToEncoderThread =
  | {
      type: 'open';
      id: number;
      options: FfmpegEncoderOptions;
      /** Int32 cells the thread keeps current (see `Cell`), then one per frame slot: 1 while the thread holds it. */
      state: SharedArrayBuffer;
      /** The frame slots, `frameBytes` each, written by the main thread and read by ffmpeg's pipe. */
      slots: SharedArrayBuffer;
      frameBytes: number;
    }
  /** A frame in `slot` (the audio before it goes first); `slot` is undefined for audio alone. */
  | { type: 'write'; id: number; slot?: number; ptsMs: number; audio: PcmChunk[] }
  | { type: 'close'; id: number }
  | { type: 'kill'; id: number };

export type FromEncoderThread =
  /** The thread has loaded (sent once, with id 0). */
  { type: 'ready'; id: 0 } | { type: 'closed'; id: number } | { type: 'failed'; id: number; message: string };

/** Indexes of the shared Int32 cells of one encoder; slot flags follow at `Cell.slots`. */
export const Cell = {
  pid: 0,
  /** Bytes written to ffmpeg's pipes and not yet taken. */
  backlogBytes: 1,
  framesIn: 2,
  framesRepeated: 3,
  framesEncoded: 4,
  slots: 5,
} as const;
