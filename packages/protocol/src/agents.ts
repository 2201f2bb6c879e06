/** @module Agents (`/v1/agents`): who the agent is, what it knows, which model and voice it uses. */
import { z } from 'zod';
import { NullableTimestamp, Timestamp } from './common.js';

export const VoiceAgent = z
  .object({
    provider: z
      .string()
      .trim()
      .min(1)
      .default('builtin')
      .describe('`builtin` (default: our STT → LLM → TTS) or an external provider such as `ElevenLabs`'),
    agent_id: z.string().nullable().optional().describe("The agent's id on an external provider"),
    auth_method: z.enum(['public', 'api_key', 'token']).optional(),
  })
  .meta({ id: 'VoiceAgent' });

/** Partial update: each field sent alone leaves the others as they were. */
export const VoiceAgentPatch = z.object({
  provider: z.string().trim().min(1).optional(),
  agent_id: z.string().nullable().optional(),
  auth_method: z.enum(['public', 'api_key', 'token']).optional(),
});

export const LlmSettings = z
  .object({
    provider: z
      .string()
      .min(1)
      .describe(
        '`builtin` (default: answers from `knowledge` by retrieval), an OpenAI-compatible server (`openai`, ' +
          '`openai-compatible`, `ollama`, `vllm`, `llama.cpp`, `groq`, `together`, `openrouter`) or `llama-cpp` ' +
          '(a local GGUF model configured on the server). API keys are server settings, never part of an agent.',
      ),
    model: z.string().optional(),
    base_url: z.string().optional(),
    temperature: z.number().min(0).max(2).optional(),
    max_tokens: z.number().int().positive().optional(),
    api_key: z
      .never({
        error:
          'API keys are server settings (AGENTHUMAN_LLM_API_KEY, OPENAI_API_KEY), never stored in an agent',
      })
      .optional(),
  })
  .meta({ id: 'LlmSettings' });

export const CreateAgentBody = z.object({
  name: z.string().trim().min(1).max(200),
  avatar_id: z.string().min(1).optional(),
  avatar_image_url: z.string().nullable().optional(),
  language: z.string().min(2).max(16).optional(),
  custom_greeting: z.string().max(4000).optional(),
  context: z.string().max(100_000).optional(),
  voice_id: z.string().max(200).optional(),
  knowledge: z.string().max(1_000_000).optional(),
  llm: LlmSettings.optional(),
  voice_agent: VoiceAgent.optional(),
  record: z.boolean().optional().describe('Record every session of this agent (default false)'),
});
export type CreateAgentBody = z.infer<typeof CreateAgentBody>;

/** `PUT /v1/agents/{id}`: only the fields sent change; null clears an optional field. */
export const UpdateAgentBody = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  avatar_id: z.string().min(1).nullable().optional(),
  avatar_image_url: z.string().nullable().optional(),
  language: z.string().min(2).max(16).optional(),
  custom_greeting: z.string().max(4000).nullable().optional(),
  context: z.string().max(100_000).nullable().optional(),
  voice_id: z.string().max(200).nullable().optional(),
  knowledge: z.string().max(1_000_000).nullable().optional(),
  llm: LlmSettings.nullable().optional().describe('null returns to the built-in responder'),
  voice_agent: VoiceAgentPatch.optional().describe('Merged into the current voice_agent'),
  record: z.boolean().optional().describe('Record every session of this agent'),
});
export type UpdateAgentBody = z.infer<typeof UpdateAgentBody>;

export const Agent = z
  .object({
    agent_id: z.string(),
    name: z.string(),
    avatar_id: z.string().nullable(),
    avatar_image_url: z.string().nullable(),
    language: z.string(),
    custom_greeting: z.string().nullable(),
    context: z.string().nullable(),
    voice_id: z.string().nullable(),
    knowledge: z.string().nullable(),
    llm: z
      .record(z.string(), z.unknown())
      .describe('`{provider, model?, base_url?, ...}`; builtin by default'),
    voice_agent: z.record(z.string(), z.unknown()),
    record: z.boolean().describe('Sessions of this agent are recorded'),
    created_at: Timestamp,
    updated_at: NullableTimestamp,
  })
  .meta({ id: 'Agent' });
export type Agent = z.infer<typeof Agent>;

export const AgentReply = z.object({ success: z.literal(true), agent: Agent });
export const ListAgentsReply = z.object({ success: z.literal(true), agents: z.array(Agent) });
export const AgentIdParams = z.object({ agent_id: z.string() });
export const DeleteAgentReply = z.object({ success: z.literal(true), message: z.string() });
