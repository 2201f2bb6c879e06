/** @module The conversation runtime's providers: which voice and recogniser the server uses, and their keys. */
import { z } from 'zod';
import { invalidConfig } from './config-error.js';
import { optionalHttpUrl, optionalString } from './env-values.js';

// Provider keys are never stored in agent records. A key for an OpenAI-compatible server is only ever sent to
// the base URL it is set for.
export const AgentsEnv = z.object({
  AGENTHUMAN_TTS_PROVIDER: z.enum(['flite', 'elevenlabs', 'openai']).default('flite'),
  AGENTHUMAN_STT_PROVIDER: z.enum(['pocketsphinx', 'deepgram', 'openai']).default('pocketsphinx'),
  // Silence that ends a spoken turn: shorter answers sooner, longer lets people pause mid-sentence.
  AGENTHUMAN_VOICE_END_SILENCE_MS: z.coerce.number().int().min(100).max(3000).default(400),
  // A turn whose text reads as finished ends at the first 200 ms pause instead (false: always the full silence).
  AGENTHUMAN_VOICE_EARLY_END: z.enum(['true', 'false']).default('true'),
  AGENTHUMAN_LLM_BASE_URL: optionalHttpUrl(),
  AGENTHUMAN_LLM_API_KEY: optionalString,
  AGENTHUMAN_LLAMA_MODEL_PATH: optionalString,
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalHttpUrl(),
  ELEVENLABS_API_KEY: optionalString,
  ELEVENLABS_BASE_URL: optionalHttpUrl(),
  DEEPGRAM_API_KEY: optionalString,
});

/** Server-side settings of the conversation runtime's providers (agents choose among them). */
export type AgentProviderConfig = {
  tts: 'flite' | 'elevenlabs' | 'openai';
  stt: 'pocketsphinx' | 'deepgram' | 'openai';
  /** Silence (ms) after which the VAD ends a spoken turn. */
  voiceEndSilenceMs: number;
  /** End a spoken turn at a pause when its text reads as finished. */
  voiceEarlyEnd: boolean;
  /** An OpenAI-compatible server and its key (sent only to that origin). */
  llm: { baseUrl: string | undefined; apiKey: string | undefined };
  llamaModelPath: string | undefined;
  openai: { apiKey: string | undefined; baseUrl: string | undefined };
  elevenlabs: { apiKey: string | undefined; baseUrl: string | undefined };
  deepgram: { apiKey: string | undefined };
};

/** Throws a ConfigError naming the key the chosen TTS/STT provider needs when it is not set. */
export function agentsConfig(e: z.infer<typeof AgentsEnv>): AgentProviderConfig {
  const neededKeys = [
    e.AGENTHUMAN_TTS_PROVIDER === 'elevenlabs' && !e.ELEVENLABS_API_KEY && 'ELEVENLABS_API_KEY',
    e.AGENTHUMAN_TTS_PROVIDER === 'openai' && !e.OPENAI_API_KEY && 'OPENAI_API_KEY',
    e.AGENTHUMAN_STT_PROVIDER === 'openai' && !e.OPENAI_API_KEY && 'OPENAI_API_KEY',
    e.AGENTHUMAN_STT_PROVIDER === 'deepgram' && !e.DEEPGRAM_API_KEY && 'DEEPGRAM_API_KEY',
  ].filter((name): name is string => Boolean(name));
  if (neededKeys.length > 0) {
    throw invalidConfig([
      `${[...new Set(neededKeys)].join(', ')}: required by AGENTHUMAN_TTS_PROVIDER / AGENTHUMAN_STT_PROVIDER`,
    ]);
  }
  return {
    tts: e.AGENTHUMAN_TTS_PROVIDER,
    stt: e.AGENTHUMAN_STT_PROVIDER,
    voiceEndSilenceMs: e.AGENTHUMAN_VOICE_END_SILENCE_MS,
    voiceEarlyEnd: e.AGENTHUMAN_VOICE_EARLY_END === 'true',
    llm: { baseUrl: e.AGENTHUMAN_LLM_BASE_URL, apiKey: e.AGENTHUMAN_LLM_API_KEY },
    llamaModelPath: e.AGENTHUMAN_LLAMA_MODEL_PATH,
    openai: { apiKey: e.OPENAI_API_KEY, baseUrl: e.OPENAI_BASE_URL },
    elevenlabs: { apiKey: e.ELEVENLABS_API_KEY, baseUrl: e.ELEVENLABS_BASE_URL },
    deepgram: { apiKey: e.DEEPGRAM_API_KEY },
  };
}
