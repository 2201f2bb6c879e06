/** @module The one frame union every pipeline processor passes along, and its three families. */
import type { FaceParams, MouthKeyframe } from '../animation/params.js';
import type { VideoFrame } from '../render/renderer.js';

/**
 * Clock stamps (the session clock's time source) of one measured speech frame on its way out: the latency
 * breakdown of audio arrival → frame at the outputs. Only frames whose audio arrived with nothing queued carry it.
 */
export interface FrameTiming {
  /** The audio entered the pipeline, and the frame's last sample did (a frame plays once it is whole). */
  arrivedAt: number;
  completeAt: number;
  /** Its tick was due, and ran. */
  dueAt: number;
  tickAt: number;
  /** The speech queue let it go (after waiting for its lip-sync keyframe, if that was still on its way). */
  playedAt: number;
  /** The render request left for the worker, and the frame came back; `renderMs` of that inside the renderer. */
  sentAt?: number;
  receivedAt?: number;
  renderMs?: number;
}

/**
 * PCM16 mono at 16 kHz. Before the speech queue `ptsMs` is the offset inside its segment; after it, the time on
 * the session's media clock (the speech queue restamps every 40 ms frame it plays).
 */
export interface AudioFrame {
  kind: 'audio';
  pcm: Int16Array;
  sampleRate: 16000;
  ptsMs: number;
  /** Absent on the silence the speech queue plays while idle. */
  segmentId?: string;
  /** Wall-clock (performance.now) when this audio entered the pipeline. */
  arrivedAt?: number;
  timing?: FrameTiming;
}

/**
 * Mouth keyframes. Before the speech queue: a segment's keyframes (from lip-sync or TTS phonemes), `ptsMs`
 * relative to the segment start. After it: one per tick on the media clock, empty when no target is known.
 */
export interface MouthFrame {
  kind: 'mouth';
  keyframes: MouthKeyframe[];
  segmentId?: string;
}

export interface TextFrame {
  kind: 'text';
  text: string;
  segmentId: string;
}

/** Animation parameters for one video frame on the media clock; `speaking` is false for idle frames. */
export interface ParamsFrame {
  kind: 'params';
  params: FaceParams;
  ptsMs: number;
  speaking: boolean;
  /** Wall-clock (performance.now) when the newest audio shown by this frame entered the pipeline. */
  audioArrivedAt?: number;
  timing?: FrameTiming;
}

export interface VideoDataFrame {
  kind: 'video';
  frame: VideoFrame;
  audioArrivedAt?: number;
  timing?: FrameTiming;
}

export interface SegmentStartFrame {
  kind: 'segment-start';
  segmentId: string;
  /** True when the segment's mouth keyframes come with it (TTS phonemes), so lip-sync skips its audio. */
  hasMouth: boolean;
}

/** Marks that no more audio follows for the segment (an explicit end; chunked input may never send one). */
export interface SegmentEndFrame {
  kind: 'segment-end';
  segmentId: string;
}

export interface PipelineSettings {
  /** How long the speech queue waits on an empty queue before an open segment counts as finished. */
  hangoverMs: number;
}

export interface SettingsFrame {
  kind: 'settings';
  settings: Partial<PipelineSettings>;
}

export interface InterruptFrame {
  kind: 'interrupt';
}

export interface EndFrame {
  kind: 'end';
}

export type DataFrame = AudioFrame | MouthFrame | TextFrame | ParamsFrame | VideoDataFrame;
export type ControlFrame = SegmentStartFrame | SegmentEndFrame | SettingsFrame;
export type SystemFrame = InterruptFrame | EndFrame;
export type Frame = DataFrame | ControlFrame | SystemFrame;
export type FrameKind = Frame['kind'];
export type FrameFamily = 'data' | 'control' | 'system';

const familyByKind: Record<FrameKind, FrameFamily> = {
  audio: 'data',
  mouth: 'data',
  text: 'data',
  params: 'data',
  video: 'data',
  'segment-start': 'control',
  'segment-end': 'control',
  settings: 'control',
  interrupt: 'system',
  end: 'system',
};

export function frameFamily(frame: Frame): FrameFamily {
  return familyByKind[frame.kind];
}

export function isDataFrame(frame: Frame): frame is DataFrame {
  return familyByKind[frame.kind] === 'data';
}

export function isSystemFrame(frame: Frame): frame is SystemFrame {
  return familyByKind[frame.kind] === 'system';
}
