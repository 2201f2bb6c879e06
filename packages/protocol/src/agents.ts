/** @module Agent records. The conversation runtime comes later; these are the stored fields. */
import { z } from 'zod';
import { NullableTimestamp, Timestamp } from './common.js';

export const VoiceAgent = z.object({
  provider: z.string().min(1).default('builtin'),
  agent_id: z.string().nullable().optional(),
  auth_method: z.enum(['public', 'api_key', 'token']).optional(),
});

export const LlmSettings = z.object({
  provider: z.string().min(1),
  model: z.string().optional(),
  base_url: z.string().optional(),
});

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
});
export type CreateAgentBody = z.infer<typeof CreateAgentBody>;

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
    voice_agent: z.record(z.string(), z.unknown()),
    created_at: Timestamp,
    updated_at: NullableTimestamp,
  })
  .meta({ id: 'Agent' });
export type Agent = z.infer<typeof Agent>;

export const AgentReply = z.object({ success: z.literal(true), agent: Agent });
export const ListAgentsReply = z.object({ success: z.literal(true), agents: z.array(Agent) });
export const AgentIdParams = z.object({ agent_id: z.string() });
