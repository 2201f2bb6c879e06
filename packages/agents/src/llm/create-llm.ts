// The LLM provider table: an agent's `llm` config ({provider, model, base_url}) plus server-side settings such
// as API keys. Nothing here reads the environment: the composition root passes everything in.
import { z } from 'zod';
import type { AgentProfile } from '../conversation/agent-profile.js';
import { provider, providerTable } from '../provider-table.js';
import { BuiltinResponder } from './builtin/builtin-responder.js';
import { LlamaCppLLM } from './llama-cpp/llama-cpp-llm.js';
import type { LLM } from './llm.js';
import { OpenAiCompatibleLLM } from './openai-compatible/openai-compatible-llm.js';

/** Names that all mean "an OpenAI-compatible chat completions server". */
const OPENAI_COMPATIBLE = [
  'openai',
  'openai-compatible',
  'ollama',
  'vllm',
  'llama.cpp',
  'llamacpp-server',
  'groq',
  'together',
  'openrouter',
] as const;

/** Where each OpenAI-compatible provider name points when an agent gives no `base_url`. */
export const DEFAULT_BASE_URLS: Readonly<Record<string, string>> = {
  openai: 'https://api.openai.com/v1',
  ollama: 'http://127.0.0.1:11434/v1',
  vllm: 'http://127.0.0.1:8000/v1',
  'llama.cpp': 'http://127.0.0.1:8080/v1',
  'llamacpp-server': 'http://127.0.0.1:8080/v1',
  groq: 'https://api.groq.com/openai/v1',
  together: 'https://api.together.xyz/v1',
  openrouter: 'https://openrouter.ai/api/v1',
};

const builtinConfig = z.object({ provider: z.literal('builtin') });
const openAiCompatibleConfig = z.object({
  provider: z.enum(OPENAI_COMPATIBLE),
  model: z.string().trim().min(1),
  base_url: z.string().optional(),
  api_key: z.string().min(1).optional(),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.number().int().positive().optional(),
  timeout_ms: z.number().int().positive().optional(),
});
const llamaCppConfig = z.object({
  provider: z.literal('llama-cpp'),
  model_path: z.string().min(1),
  context_size: z.number().int().optional(),
  gpu: z.boolean().optional(),
});

export const llmConfigSchema = z.discriminatedUnion('provider', [
  builtinConfig,
  openAiCompatibleConfig,
  llamaCppConfig,
]);

export type LlmConfig = z.input<typeof llmConfigSchema>;

/**
 * `agent`: whose knowledge and persona the built-in responder answers from; `fetch`: what remote models are
 * called with (a server passes one that guards addresses).
 */
type LlmDeps = { agent?: AgentProfile | undefined; fetch?: typeof fetch | undefined };

const openAiCompatible = (c: z.output<typeof openAiCompatibleConfig>, runtime: LlmDeps) =>
  new OpenAiCompatibleLLM({
    baseUrl: c.base_url ?? DEFAULT_BASE_URLS[c.provider] ?? DEFAULT_BASE_URLS.openai!,
    model: c.model,
    ...(c.api_key ? { apiKey: c.api_key } : {}),
    ...(c.temperature === undefined ? {} : { temperature: c.temperature }),
    ...(c.max_tokens === undefined ? {} : { maxTokens: c.max_tokens }),
    ...(c.timeout_ms === undefined ? {} : { timeoutMs: c.timeout_ms }),
    ...(runtime.fetch ? { fetch: runtime.fetch } : {}),
  });

const llmTable = providerTable<LlmDeps, LLM>('LLM', llmConfigSchema, [
  provider(
    'builtin',
    builtinConfig,
    (_c, { agent }) =>
      new BuiltinResponder({
        ...(agent?.name ? { name: agent.name } : {}),
        ...(agent?.context ? { context: agent.context } : {}),
        ...(agent?.knowledge ? { knowledge: agent.knowledge } : {}),
      }),
  ),
  // Every name of an OpenAI-compatible server is an entry of its own, with the same config and client.
  ...OPENAI_COMPATIBLE.map((id) => provider(id, openAiCompatibleConfig, openAiCompatible)),
  provider(
    'llama-cpp',
    llamaCppConfig,
    (c) =>
      new LlamaCppLLM({
        modelPath: c.model_path,
        ...(c.context_size ? { contextSize: c.context_size } : {}),
        ...(c.gpu === undefined ? {} : { gpu: c.gpu }),
      }),
  ),
]);

export const llmProviders = llmTable.ids;

export function createLLM(
  config: LlmConfig = { provider: 'builtin' },
  agent?: AgentProfile,
  runtime: { fetch?: typeof fetch } = {},
): LLM {
  return llmTable.create(config, { agent, fetch: runtime.fetch });
}
