// What the agents' TTS providers add to the engine's TTS contract: whether the result carries real phoneme
// timings (Flite) or needs the engine's audio-only lip-sync (cloud voices), and a first-audio callback that
// lets FallbackTTS time out a provider that accepted the request but never started speaking.
import type { TtsOptions, TtsResult } from '@agenthuman/media';

export interface SpeechResult extends TtsResult {
  /** False: `phonemes` is empty and mouth shapes must come from the audio (the engine's AudioLipSync). */
  hasPhonemes: boolean;
}

export interface SpeechOptions extends TtsOptions {
  /** Called once, when the first audio bytes arrive. */
  onFirstAudio?: () => void;
}

/** Whether a TTS result (from any provider) has phoneme timings to drive visemes exactly. */
export function hasPhonemes(result: TtsResult): boolean {
  if ('hasPhonemes' in result && typeof result.hasPhonemes === 'boolean') return result.hasPhonemes;
  return result.phonemes.length > 0;
}

export function audioOnlyResult(pcm: Int16Array): SpeechResult {
  return { sampleRate: 16000, pcm, phonemes: [], hasPhonemes: false };
}
