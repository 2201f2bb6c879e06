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
  llmDefaultBaseUrls,
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
import { OutboundBlockedError } from '../net/guarded-fetch.js';

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

/** URLs an account sets are checked (save time) and fetched (connect time) through the outbound guard. */
export type AgentOutbound = {
  /** Throws OutboundBlockedError when the URL may not be reached. */
  checkUrl(url: string): Promise<void>;
  fetch: typeof fetch;
};

export function createAgentProviders(
  config: AgentProviderConfig,
  deps: {
    /** The process's Flite worker: agents' Flite voice runs there, as `speak_text` does, not on the API thread. */
    flite?: TTS;
    outbound?: AgentOutbound;
  } = {},
) {
  const outbound = deps.outbound;
  /**
   * The full LLM config for an agent's `llm` settings, keys added from the server's settings, and the URL the
   * account chose (its own `base_url`, or a provider's default such as Ollama's loopback one) when that is not
   * one the operator configured: that one goes through the outbound guard.
   */
  function llmSetup(settings: Record<string, unknown> | null): { config: LlmConfig; accountUrl?: string } {
    const provider = String(settings?.provider ?? 'builtin');
    if (provider === 'builtin') return { config: { provider: 'builtin' } };
    if (provider === 'llama-cpp') {
      return { config: { provider: 'llama-cpp', model_path: config.llamaModelPath ?? '' } as LlmConfig };
    }
    const { api_key: _ignored, ...rest } = settings ?? {};
    const own = rest.base_url as string | undefined;
    let baseUrl = own;
    let apiKey: string | undefined;
    let operators = false;
    const openaiBase = config.openai.baseUrl ?? OPENAI_DEFAULT_BASE_URL;
    if (provider === 'openai' && (!own || origin(own) === origin(openaiBase))) {
      baseUrl = own ?? openaiBase;
      apiKey = config.openai.apiKey;
      operators = true;
    } else if (config.llm.baseUrl && (!own || origin(own) === origin(config.llm.baseUrl))) {
      baseUrl = own ?? config.llm.baseUrl;
      apiKey = config.llm.apiKey;
      operators = true;
    }
    const accountUrl = operators ? undefined : (own ?? llmDefaultBaseUrls[provider]);
    return {
      config: {
        ...rest,
        provider,
        ...(baseUrl ? { base_url: baseUrl } : {}),
        ...(apiKey ? { api_key: apiKey } : {}),
      } as LlmConfig,
      ...(accountUrl ? { accountUrl } : {}),
    };
  }
  const llmConfig = (settings: Record<string, unknown> | null) => llmSetup(settings).config;

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

    /**
     * Refuses (400, field `llm.base_url`) a URL of the account's that reaches a private address the operator
     * did not allow. A name that does not resolve now is let through: the connect-time check still applies.
     */
    async checkLlmEndpoint(settings: Record<string, unknown> | null | undefined): Promise<void> {
      const url = settings ? llmSetup(settings).accountUrl : undefined;
      if (!url || !outbound) return;
      try {
        await outbound.checkUrl(url);
      } catch (error) {
        if (!(error instanceof OutboundBlockedError)) return;
        throw new AppError('VALIDATION_ERROR', `Invalid llm.base_url: ${error.message}`, {
          suggestion:
            'Use a public endpoint, or ask the operator to list the host in AGENTHUMAN_ALLOWED_PRIVATE_HOSTS',
          details: { field: 'llm.base_url' },
        });
      }
    },

    llm(agent: AgentRow): LLM {
      const { config: llm, accountUrl } = llmSetup(agent.llm);
      return createLLM(llm, profileOf(agent), accountUrl && outbound ? { fetch: outbound.fetch } : {});
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
