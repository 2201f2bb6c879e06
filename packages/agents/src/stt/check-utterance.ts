import { ProviderError } from '../provider-error.js';
import { MAX_UTTERANCE_SAMPLES } from './stt.js';

export function checkUtterance(provider: string, pcm: Int16Array): void {
  if (!(pcm instanceof Int16Array)) {
    throw new ProviderError(
      'STT',
      'INVALID_INPUT',
      provider,
      'audio must be 16 kHz mono PCM16 (an Int16Array)',
    );
  }
  if (pcm.length > MAX_UTTERANCE_SAMPLES) {
    throw new ProviderError(
      'STT',
      'INVALID_INPUT',
      provider,
      `utterance is ${(pcm.length / 16000).toFixed(1)} s; the limit is ${MAX_UTTERANCE_SAMPLES / 16000} s`,
    );
  }
}
