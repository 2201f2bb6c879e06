/**
 * @module The one place that turns an agent record plus the server's provider settings into an LLM, a voice
 * and a recogniser. Agents choose the model (`llm`) and the voice (`voice_id`); the keys are server settings,
 * and a key is only ever sent to the base URL it was configured for, so an agent cannot send it elsewhere.
 */
import {
  type AgentProfile,
  createLLM,
  createSTT,
  createTTS,
  type LLM,
  type LlmConfig,
  llmConfigSchema,
  type SpeechTTS,
  type STT,
  type SttConfig,
  type TtsConfig,
  type TtsFallbackEvent,
} from '@agenthuman/agents';
import { fliteVoices } from '@agenthuman/engine/tts';
import type { TTS } from '@agenthuman/media';
import type { AgentRow } from '@agenthuman/store';
import type { AgentProviderConfig } from '../config/config.js';
import { AppError } from '../http/app-error.js';

const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
// ElevenLabs' "Rachel", the voice its own docs use, for agents that name none.
const ELEVENLABS_DEFAULT_VOICE = '21m00Tcm4TlvDq8ikWAM';

export type AgentProviders = ReturnType<typeof createAgentProviders>;

const origin = (url: string | undefined) => {
  try {
    return url ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
};

export function profileOf(agent: AgentRow): AgentProfile {
  return {
    name: agent.name,
    context: agent.context ?? '',
    knowledge: agent.knowledge ?? '',
    customGreeting: agent.customGreeting,
    language: agent.language,
  };
}

/** Whether our own runtime drives the agent (an external voice agent is driven by its provider). */
export const runsBuiltin = (agent: Pick<AgentRow, 'voiceAgent'>) => {
  const provider = String(agent.voiceAgent?.provider ?? 'builtin');
  return provider.toLowerCase() === 'builtin';
};

/** The server's TTS setting → an agent's TTS config (keys from the server, the voice from the agent). */
const TTS_SETTINGS: Record<
  AgentProviderConfig['tts'],
  (config: AgentProviderConfig, voiceId: string | undefined, language: string) => TtsConfig
> = {
  elevenlabs: (config, voiceId, language) => ({
    provider: 'elevenlabs',
    api_key: config.elevenlabs.apiKey!,
    voice_id: voiceId ?? ELEVENLABS_DEFAULT_VOICE,
    ...(config.elevenlabs.baseUrl ? { base_url: config.elevenlabs.baseUrl } : {}),
    language_code: language,
  }),
  openai: (config, voiceId) => ({
    provider: 'openai',
    api_key: config.openai.apiKey!,
    ...(voiceId ? { voice: voiceId } : {}),
    ...(config.openai.baseUrl ? { base_url: config.openai.baseUrl } : {}),
  }),
  // Flite knows only its own voices; another provider's voice id means "the default voice" here.
  flite: (_config, voiceId) =>
    voiceId && (fliteVoices as readonly string[]).includes(voiceId)
      ? { provider: 'flite', voice: voiceId }
      : { provider: 'flite' },
};

/** The server's STT setting → an agent's STT config. */
const STT_SETTINGS: Record<
  AgentProviderConfig['stt'],
  (config: AgentProviderConfig, language: string) => SttConfig
> = {
  deepgram: (config, language) => ({ provider: 'deepgram', api_key: config.deepgram.apiKey!, language }),
  openai: (config, language) => ({
    provider: 'openai',
    api_key: config.openai.apiKey!,
    language,
    ...(config.openai.baseUrl ? { base_url: config.openai.baseUrl } : {}),
  }),
  pocketsphinx: () => ({ provider: 'pocketsphinx' }),
};

export function createAgentProviders(
  config: AgentProviderConfig,
  deps: {
    /** The process's Flite worker: agents' Flite voice runs there, as `speak_text` does, not on the API thread. */
    flite?: TTS;
  } = {},
) {
  /** The full LLM config for an agent's `llm` settings, keys added from the server's settings. */
  function llmConfig(settings: Record<string, unknown> | null): LlmConfig {
    const provider = String(settings?.provider ?? 'builtin');
    if (provider === 'builtin') return { provider: 'builtin' };
    if (provider === 'llama-cpp') {
      return {
        provider: 'llama-cpp',
        model_path: config.llamaModelPath ?? '',
      } as LlmConfig;
    }
    const { api_key: _ignored, ...rest } = settings ?? {};
    const own = rest.base_url as string | undefined;
    let baseUrl = own;
    let apiKey: string | undefined;
    const openaiBase = config.openai.baseUrl ?? OPENAI_DEFAULT_BASE_URL;
    if (provider === 'openai' && (!own || origin(own) === origin(openaiBase))) {
      baseUrl = own ?? openaiBase;
      apiKey = config.openai.apiKey;
    } else if (config.llm.baseUrl && (!own || origin(own) === origin(config.llm.baseUrl))) {
      baseUrl = own ?? config.llm.baseUrl;
      apiKey = config.llm.apiKey;
    }
    return {
      ...rest,
      provider,
      ...(baseUrl ? { base_url: baseUrl } : {}),
      ...(apiKey ? { api_key: apiKey } : {}),
    } as LlmConfig;
  }

  return {
    /** Checks an agent's `llm` settings; a 400 naming the field when they cannot work. */
    validateLlm(settings: Record<string, unknown> | null | undefined): void {
      if (!settings) return;
      if (settings.provider === 'llama-cpp' && !config.llamaModelPath) {
        throw new AppError('VALIDATION_ERROR', 'llm.provider llama-cpp needs a local model on the server', {
          suggestion: 'Set AGENTHUMAN_LLAMA_MODEL_PATH to a GGUF file on the server',
          details: { field: 'llm.provider' },
        });
      }
      const parsed = llmConfigSchema.safeParse(llmConfig(settings));
      if (parsed.success) return;
      const issue = parsed.error.issues[0];
      const field = ['llm', ...(issue?.path ?? [])].join('.');
      throw new AppError('VALIDATION_ERROR', `Invalid ${field}: ${issue?.message ?? 'invalid value'}`, {
        details: { field, issues: parsed.error.issues.map((i) => ({ path: i.path, message: i.message })) },
      });
    },

    llm(agent: AgentRow): LLM {
      return createLLM(llmConfig(agent.llm), profileOf(agent));
    },

    /** The voice: the server's TTS provider with the agent's voice_id; cloud voices fall back to Flite. */
    tts(agent: AgentRow, onFallback: (event: TtsFallbackEvent) => void): { tts: SpeechTTS; voice?: string } {
      const settings = TTS_SETTINGS[config.tts](config, agent.voiceId ?? undefined, agent.language);
      return {
        tts: createTTS(settings, { onEvent: onFallback, ...(deps.flite ? { flite: deps.flite } : {}) }),
      };
    },

    stt(agent: AgentRow): STT {
      return createSTT(STT_SETTINGS[config.stt](config, agent.language));
    },
  };
}
