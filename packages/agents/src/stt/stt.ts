// Speech-to-text contract: one utterance of 16 kHz mono PCM16 in, its text out.

export interface SttOptions {
  signal?: AbortSignal;
  /** ISO 639-1 code (default: the provider's configured language). */
  language?: string;
}

export interface SttResult {
  text: string;
  /** 0..1 when the provider gives one. */
  confidence?: number;
}

export interface STT {
  readonly provider: string;
  /** `pcm` is 16 kHz mono. Silence gives an empty text, not an error. */
  transcribe(pcm: Int16Array, options?: SttOptions): Promise<SttResult>;
  /**
   * Providers that decode while the user speaks: audio goes in as it arrives, so the text is ready right after
   * the last chunk instead of a whole decode later. Never throws; errors come from `finish()`.
   */
  stream?(options?: SttOptions): SttStream;
}

/** One utterance decoded as it is spoken. */
export interface SttStream {
  /** 16 kHz mono, in order. */
  push(pcm: Int16Array): void;
  /** No more audio: the text, the same as `transcribe` of everything pushed would give. */
  finish(): Promise<SttResult>;
  /** Abandons the utterance (finish() then rejects). */
  abort(): void;
}

/** Longest utterance accepted (a turn, not a recording): 5 minutes. */
export const MAX_UTTERANCE_SAMPLES = 16000 * 300;
