// ElevenLabs streaming text-to-speech: `POST /v1/text-to-speech/{voice_id}/stream?output_format=pcm_16000`
// answers raw 16 kHz PCM16LE as it is generated. No phoneme timings: lip-sync comes from the audio.
import { TtsError } from '@agenthuman/media';
import { providerFetch } from '../../http/provider-fetch.js';
import { readBody } from '../../http/read-body.js';
import { parseProviderOptions } from '../../provider-error.js';
import { collectPcm16 } from '../pcm-stream.js';
import { audioOnlyResult, type SpeechOptions, type SpeechResult } from '../speech-result.js';
import type { SpeechTTS } from '../speech-tts.js';
import { type ElevenLabsOptions, elevenLabsOptionsSchema } from './elevenlabs-options.js';

const PROVIDER = 'elevenlabs';

export class ElevenLabsTTS implements SpeechTTS {
  readonly provider = PROVIDER;
  readonly voices: readonly string[];
  private readonly options: ReturnType<typeof elevenLabsOptionsSchema.parse>;

  constructor(options: ElevenLabsOptions) {
    this.options = parseProviderOptions('TTS', PROVIDER, elevenLabsOptionsSchema, options);
    this.voices = [this.options.voiceId];
  }

  async synthesize(text: string, options: SpeechOptions = {}): Promise<SpeechResult> {
    const o = this.options;
    const clean = text.trim();
    if (!/[\p{L}\p{N}]/u.test(clean)) throw new TtsError('TTS_EMPTY_TEXT', 'text has nothing to say');
    const voice = options.voice ?? o.voiceId;
    const url = new URL(`/v1/text-to-speech/${encodeURIComponent(voice)}/stream`, o.baseUrl);
    url.searchParams.set('output_format', 'pcm_16000');
    const request = {
      capability: 'TTS' as const,
      provider: PROVIDER,
      timeoutMs: o.timeoutMs,
      idleTimeoutMs: o.idleTimeoutMs,
      signal: options.signal,
      secrets: [o.apiKey],
    };
    const answer = await providerFetch(
      url.toString(),
      {
        method: 'POST',
        headers: { 'xi-api-key': o.apiKey, 'content-type': 'application/json', accept: 'audio/pcm' },
        body: JSON.stringify({
          text: clean,
          model_id: o.modelId,
          ...(o.languageCode ? { language_code: o.languageCode } : {}),
          ...(o.voiceSettings ? { voice_settings: o.voiceSettings } : {}),
        }),
      },
      request,
    );
    return audioOnlyResult(await collectPcm16(readBody(answer, request), 16000, options.onFirstAudio));
  }
}
