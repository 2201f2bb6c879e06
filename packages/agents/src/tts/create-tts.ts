// Chooses the TTS from a config object (the composition root passes it; nothing here reads the environment).
// Cloud voices are wrapped in FallbackTTS unless `fallback: false`.
import { z } from 'zod';
import { configError } from '../provider-error.js';
import { ElevenLabsTTS } from './elevenlabs/elevenlabs-tts.js';
import { FallbackTTS, type TtsFallbackEvent } from './fallback-tts.js';
import { FliteSpeech } from './flite/flite-speech.js';
import { OpenAiTTS } from './openai/openai-tts.js';
import type { SpeechTTS } from './speech-tts.js';

export const ttsConfigSchema = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('flite'), voice: z.string().optional() }),
  z.object({
    provider: z.literal('elevenlabs'),
    api_key: z.string().min(1),
    voice_id: z.string().min(1),
    model_id: z.string().optional(),
    base_url: z.string().optional(),
    language_code: z.string().optional(),
    fallback: z.boolean().default(true),
    first_audio_timeout_ms: z.number().int().positive().optional(),
  }),
  z.object({
    provider: z.literal('openai'),
    api_key: z.string().min(1).optional(),
    model: z.string().optional(),
    voice: z.string().optional(),
    base_url: z.string().optional(),
    fallback: z.boolean().default(true),
    first_audio_timeout_ms: z.number().int().positive().optional(),
  }),
]);

export type TtsConfig = z.input<typeof ttsConfigSchema>;

export function createTTS(
  config: TtsConfig = { provider: 'flite' },
  hooks: { onEvent?: (event: TtsFallbackEvent) => void } = {},
): SpeechTTS {
  const parsed = ttsConfigSchema.safeParse(config);
  if (!parsed.success)
    throw configError('TTS', String((config as { provider?: unknown }).provider), parsed.error);
  const c = parsed.data;
  if (c.provider === 'flite') return new FliteSpeech(c.voice ? { voice: c.voice as never } : {});
  const primary: SpeechTTS =
    c.provider === 'elevenlabs'
      ? new ElevenLabsTTS({
          apiKey: c.api_key,
          voiceId: c.voice_id,
          ...(c.model_id ? { modelId: c.model_id } : {}),
          ...(c.base_url ? { baseUrl: c.base_url } : {}),
          ...(c.language_code ? { languageCode: c.language_code } : {}),
        })
      : new OpenAiTTS({
          ...(c.api_key ? { apiKey: c.api_key } : {}),
          ...(c.model ? { model: c.model } : {}),
          ...(c.voice ? { voice: c.voice } : {}),
          ...(c.base_url ? { baseUrl: c.base_url } : {}),
        });
  if (!c.fallback) return primary;
  return new FallbackTTS({
    primary,
    ...(c.first_audio_timeout_ms ? { firstAudioTimeoutMs: c.first_audio_timeout_ms } : {}),
    ...(hooks.onEvent ? { onEvent: hooks.onEvent } : {}),
  });
}
