// The TTS contract as the agents use it: the engine's TTS, plus a provider name and the SpeechResult flag.
import type { TTS } from '@agenthuman/media';
import type { SpeechOptions, SpeechResult } from './speech-result.js';

export interface SpeechTTS extends TTS {
  readonly provider: string;
  synthesize(text: string, options?: SpeechOptions): Promise<SpeechResult>;
}
