// OpenAI text-to-speech: `POST /v1/audio/speech` with `response_format: "pcm"` streams raw 24 kHz PCM16LE,
// resampled here to the engine's 16 kHz as it arrives. No phoneme timings: lip-sync comes from the audio.
import { TtsError } from '@agenthuman/media';
import { providerFetch } from '../../http/provider-fetch.js';
import { readBody } from '../../http/read-body.js';
import { parseProviderOptions } from '../../provider-error.js';
import { collectPcm16 } from '../pcm-stream.js';
import { audioOnlyResult, type SpeechOptions, type SpeechResult } from '../speech-result.js';
import type { SpeechTTS } from '../speech-tts.js';
import { type OpenAiTtsOptions, openAiTtsOptionsSchema } from './openai-tts-options.js';

const PROVIDER = 'openai-tts';
const OPENAI_PCM_RATE = 24000;
export const openAiVoices = [
  'alloy',
  'ash',
  'ballad',
  'coral',
  'echo',
  'fable',
  'nova',
  'onyx',
  'sage',
  'shimmer',
  'verse',
] as const;

export class OpenAiTTS implements SpeechTTS {
  readonly provider = PROVIDER;
  readonly voices: readonly string[] = openAiVoices;
  private readonly options: ReturnType<typeof openAiTtsOptionsSchema.parse>;

  constructor(options: OpenAiTtsOptions = {}) {
    this.options = parseProviderOptions('TTS', PROVIDER, openAiTtsOptionsSchema, options);
  }

  async synthesize(text: string, options: SpeechOptions = {}): Promise<SpeechResult> {
    const o = this.options;
    const clean = text.trim();
    if (!/[\p{L}\p{N}]/u.test(clean)) throw new TtsError('TTS_EMPTY_TEXT', 'text has nothing to say');
    if (clean.length > 4096) {
      throw new TtsError('TTS_TEXT_TOO_LONG', `text is ${clean.length} characters; the limit is 4096`);
    }
    const request = {
      capability: 'TTS' as const,
      provider: PROVIDER,
      timeoutMs: o.timeoutMs,
      idleTimeoutMs: o.idleTimeoutMs,
      signal: options.signal,
      secrets: [o.apiKey],
    };
    const answer = await providerFetch(
      `${o.baseUrl.replace(/\/+$/, '')}/audio/speech`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}),
        },
        body: JSON.stringify({
          model: o.model,
          input: clean,
          voice: options.voice ?? o.voice,
          response_format: 'pcm',
          ...(o.speed === undefined ? {} : { speed: o.speed }),
          ...(o.instructions ? { instructions: o.instructions } : {}),
        }),
      },
      request,
    );
    return audioOnlyResult(
      await collectPcm16(readBody(answer, request), OPENAI_PCM_RATE, options.onFirstAudio),
    );
  }
}
