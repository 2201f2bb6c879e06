import type { TimedPhoneme } from '@agenthuman/media';
import type { TtsFallbackEvent } from '../tts/fallback-tts.js';
import type { TranscriptMessage } from './transcript.js';

/** One sentence of the reply as speech, handed to the sink (the room's speech queue) in order. */
export interface AudioSegment {
  /** `${turnId}:${index}`; give it back to `markPlayed` once it has been heard. */
  id: string;
  turnId: string;
  index: number;
  text: string;
  sampleRate: 16000;
  pcm: Int16Array;
  durationMs: number;
  /** Exact phoneme timings (Flite), or null: derive the mouth from the audio (the engine's AudioLipSync). */
  phonemes: TimedPhoneme[] | null;
}

export interface TurnTimings {
  /** From the start of the turn (send/greet), in milliseconds. */
  firstTextMs?: number;
  firstAudioMs?: number;
  textCompleteMs?: number;
  doneMs: number;
}

export interface TurnResult {
  turnId: string;
  user?: TranscriptMessage;
  reply: TranscriptMessage;
  interrupted: boolean;
  timings: TurnTimings;
}

export type ConversationEvent =
  /** `prepared`: the reply was generated ahead (`AgentConversation.prepare`) and is now committed. */
  | { type: 'turn.started'; turnId: string; userText?: string; prepared?: true }
  | { type: 'text.delta'; turnId: string; delta: string }
  | { type: 'sentence'; turnId: string; index: number; text: string }
  /** A sentence's speech is synthesised; the sink gets it next (the turn's first one ends its silence). */
  | { type: 'audio'; turnId: string; index: number; segmentId: string; durationMs: number }
  | { type: 'turn.completed'; turnId: string; reply: TranscriptMessage }
  | { type: 'turn.interrupted'; turnId: string; reply: TranscriptMessage }
  | { type: 'turn.failed'; turnId: string; code: string; message: string }
  | { type: 'tts.failed'; turnId: string; index: number; text: string; code: string; message: string }
  | TtsFallbackEvent;
