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
}

/** Longest utterance accepted (a turn, not a recording): 5 minutes. */
export const MAX_UTTERANCE_SAMPLES = 16000 * 300;
