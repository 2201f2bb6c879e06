// The TTS provider table, built from a config object (the composition root passes it; nothing here reads the
// environment). Cloud voices are wrapped in FallbackTTS (Flite) unless `fallback: false`.
import type { TTS } from '@agenthuman/media';
import { z } from 'zod';
import { provider, providerTable } from '../provider-table.js';
import { ElevenLabsTTS } from './elevenlabs/elevenlabs-tts.js';
import { FallbackTTS, type TtsFallbackEvent } from './fallback-tts.js';
import { FliteSpeech } from './flite/flite-speech.js';
import { OpenAiTTS } from './openai/openai-tts.js';
import type { SpeechTTS } from './speech-tts.js';

const fliteConfig = z.object({ provider: z.literal('flite'), voice: z.string().optional() });
const elevenLabsConfig = z.object({
  provider: z.literal('elevenlabs'),
  api_key: z.string().min(1),
  voice_id: z.string().min(1),
  model_id: z.string().optional(),
  base_url: z.string().optional(),
  language_code: z.string().optional(),
  fallback: z.boolean().default(true),
  first_audio_timeout_ms: z.number().int().positive().optional(),
});
const openAiConfig = z.object({
  provider: z.literal('openai'),
  api_key: z.string().min(1).optional(),
  model: z.string().optional(),
  voice: z.string().optional(),
  base_url: z.string().optional(),
  fallback: z.boolean().default(true),
  first_audio_timeout_ms: z.number().int().positive().optional(),
});

export const ttsConfigSchema = z.discriminatedUnion('provider', [
  fliteConfig,
  elevenLabsConfig,
  openAiConfig,
]);

export type TtsConfig = z.input<typeof ttsConfigSchema>;

export type TtsDeps = {
  onEvent?: (event: TtsFallbackEvent) => void;
  /** Where Flite runs (the process's Flite worker); inline on this thread without one. */
  flite?: TTS;
};

const flite = (voice: string | undefined, deps: TtsDeps) =>
  new FliteSpeech(voice ? { voice: voice as never } : {}, deps.flite);

/** A cloud voice, wrapped in FallbackTTS (Flite) unless `fallback: false`. */
function withFallback(
  primary: SpeechTTS,
  config: { fallback: boolean; first_audio_timeout_ms?: number | undefined },
  deps: TtsDeps,
): SpeechTTS {
  if (!config.fallback) return primary;
  return new FallbackTTS({
    primary,
    fallback: flite(undefined, deps),
    ...(config.first_audio_timeout_ms ? { firstAudioTimeoutMs: config.first_audio_timeout_ms } : {}),
    ...(deps.onEvent ? { onEvent: deps.onEvent } : {}),
  });
}

export const ttsProviders = providerTable<TtsDeps, SpeechTTS>('TTS', ttsConfigSchema, [
  provider('flite', fliteConfig, (c, deps) => flite(c.voice, deps)),
  provider('elevenlabs', elevenLabsConfig, (c, deps) =>
    withFallback(
      new ElevenLabsTTS({
        apiKey: c.api_key,
        voiceId: c.voice_id,
        ...(c.model_id ? { modelId: c.model_id } : {}),
        ...(c.base_url ? { baseUrl: c.base_url } : {}),
        ...(c.language_code ? { languageCode: c.language_code } : {}),
      }),
      c,
      deps,
    ),
  ),
  provider('openai', openAiConfig, (c, deps) =>
    withFallback(
      new OpenAiTTS({
        ...(c.api_key ? { apiKey: c.api_key } : {}),
        ...(c.model ? { model: c.model } : {}),
        ...(c.voice ? { voice: c.voice } : {}),
        ...(c.base_url ? { baseUrl: c.base_url } : {}),
      }),
      c,
      deps,
    ),
  ),
]);

export function createTTS(config: TtsConfig = { provider: 'flite' }, deps: TtsDeps = {}): SpeechTTS {
  return ttsProviders.create(config, deps);
}
