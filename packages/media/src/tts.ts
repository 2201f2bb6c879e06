// Text-to-speech contract: text in, PCM_RATE (16 kHz) mono PCM16 plus the timed phonemes that drive exact visemes.

/** One phoneme of the synthesised audio (ARPAbet, lower case; `pau` is silence), times from audio start. */
export interface TimedPhoneme {
  phoneme: string;
  startMs: number;
  endMs: number;
}

export interface TtsResult {
  sampleRate: 16000;
  pcm: Int16Array;
  /** Contiguous and in order; together they cover the whole audio. */
  phonemes: TimedPhoneme[];
}

export interface TtsOptions {
  voice?: string;
  signal?: AbortSignal;
}

export interface TTS {
  readonly voices: readonly string[];
  synthesize(text: string, options?: TtsOptions): Promise<TtsResult>;
}

export type TtsErrorCode =
  | 'TTS_EMPTY_TEXT'
  | 'TTS_TEXT_TOO_LONG'
  | 'TTS_UNKNOWN_VOICE'
  | 'TTS_FAILED'
  /** The request's signal aborted (an interrupt) before the speech was ready. */
  | 'INTERRUPTED';

export class TtsError extends Error {
  constructor(
    readonly code: TtsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TtsError';
  }
}
