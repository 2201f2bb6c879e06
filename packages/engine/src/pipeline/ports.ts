/** @module The parts a session pipeline is built from: injected lip-sync and animator, and its outputs. */
import type { FaceParams, IdleState, MouthKeyframe, MouthParams } from '../animation/params.js';

export type { IdleState };

import type { VideoFrame } from '../render/renderer.js';

/**
 * Streaming lip-sync from 16 kHz PCM. Keyframes are stamped on the stream's own timeline since the last reset
 * (frame k at k·40 ms), one per 40 ms frame, with at most one frame of look-ahead held back.
 */
export interface LipSync {
  push(pcm: Int16Array): MouthKeyframe[];
  /** Returns the keyframes still held back for look-ahead; called when a segment ends. */
  flush?(): MouthKeyframe[];
  reset(): void;
}

/**
 * The same streaming lip-sync run on another thread (the session's render worker): each call is one step, run
 * there in the order made, resolving with the keyframes that step produced.
 */
export interface RemoteLipSync {
  /** `startsInMs`: how long until this audio starts playing (the speech queued ahead of it), when known. */
  push(pcm: Int16Array, startsInMs?: number): Promise<MouthKeyframe[]>;
  flush(): Promise<MouthKeyframe[]>;
  reset(): Promise<unknown>;
}

/**
 * Turns the lip-sync target of each frame into full face parameters: easing, blinks, breathing, head motion.
 * Same shape as animation/'s `Animator` (createAnimator), which is the one sessions use.
 */
export interface PipelineAnimator {
  /** `mouth` is the target for the frame at `ptsMs`, null while idle. Called once per tick, in order. */
  step(ptsMs: number, mouth: MouthParams | null): FaceParams;
  /** The turn was interrupted: the mouth must be back at rest within 2–3 frames. */
  interrupt(): void;
  /** How the face idles between turns (an agent listening or thinking looks different); optional. */
  setIdleState?(state: IdleState): void;
}

/** 16 kHz mono PCM16 leaving the pipeline, `ptsMs` on the same clock as the video frames. */
export interface AudioChunk {
  pcm: Int16Array;
  sampleRate: number;
  ptsMs: number;
  /** The silence played while no speech is queued: a live sink that has fallen behind may skip it. */
  idle?: boolean;
}

/**
 * Where video goes: a room track, a recorder, an encoder. Returning a promise asks the pipeline to wait (used
 * when rendering to a file); live sinks return nothing and must not block.
 */
export interface VideoSink {
  writeVideo(frame: VideoFrame): void | Promise<void>;
  /**
   * true: the sink takes media as it comes and stamps it itself (LiveKit's sources), so the media clock may move
   * its 25 fps grid at a reply's start (that reply's first tick due at once, one frame interval shorter in wall
   * time). The pipeline does so only while every attached sink says so: one that paces pts against a wall-clock
   * anchor of its own (the built-in room's pacer) would drift ahead with each reply.
   */
  readonly rephasable?: boolean;
}

export interface AudioSink {
  writeAudio(chunk: AudioChunk): void | Promise<void>;
  /** As VideoSink's. */
  readonly rephasable?: boolean;
  /** Drops audio buffered downstream (interrupt), like LiveKit's lk.clear_buffer. */
  clearAudio?(): void;
}
