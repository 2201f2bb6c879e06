/** @module What a session pipeline takes and reports: push options, stats and events. */
import type { MouthKeyframe } from '../animation/params.js';
import type { ClockStats } from './media-clock.js';
import type { OutputStats } from './output-processor.js';
import type { RenderStats } from './render-processor.js';
import type { SpeakingStarted, SpeakingStopped } from './speech-processor.js';

export interface PushAudioOptions {
  /** Audio with the same id joins one segment; without one, audio joins the segment now playing or queued. */
  segmentId?: string;
  /** Must be 16000: resample before the pipeline. */
  sampleRate?: number;
  /** Mouth keyframes for this audio (from TTS phonemes), pts relative to the segment start. */
  keyframes?: MouthKeyframe[];
}

export interface SessionStats {
  clock: ClockStats;
  render: RenderStats;
  output: OutputStats;
  queuedMs: number;
  speaking: boolean;
  /** Speech frames that played without their keyframe because the lip-sync worker was slower than 20 ms. */
  mouthWaitsCut: number;
}

export interface SessionEvents {
  'speaking.started': [SpeakingStarted];
  'speaking.stopped': [SpeakingStopped];
  error: [unknown];
}
