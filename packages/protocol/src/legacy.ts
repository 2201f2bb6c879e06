/** @module The legacy agent API (`/api/v1`, seed 002): integer ids, `active`/`completed`, string errors. */
import { z } from 'zod';
import { Int32, LegacyIntId, Metadata, NullableTimestamp, Timestamp } from './common.js';
import { SessionType } from './sessions.js';

export const LegacyIdParams = z.object({ id: LegacyIntId() });

export const LegacyCreateSessionBody = z.object({
  agent_id: LegacyIntId(),
  session_type: z.union([SessionType, z.literal('voice')]).optional(),
  metadata: Metadata.optional(),
});

export const LegacyEndSessionBody = z
  .object({
    duration: Int32().min(0).optional(),
    transcript: z.unknown().optional(),
    metadata: Metadata.optional(),
  })
  // A bodiless PUT (no Content-Type) arrives as null: it means the same as `{}`.
  .nullish();

export const LegacyListSessionsQuery = z.object({
  agent_id: LegacyIntId().optional(),
  status: z.string().optional().describe('all (default) | active | completed'),
});

export const LegacySession = z.object({
  session_id: z.number().int(),
  agent_id: z.number().int().nullable(),
  agent_name: z.string().nullable(),
  session_type: SessionType,
  status: z.enum(['active', 'completed', 'created']),
  started_at: NullableTimestamp,
  metadata: z.record(z.string(), z.unknown()),
  avatar_id: z.number().int().nullable(),
  avatar_name: z.string().nullable(),
  avatar_url: z.string().nullable(),
  voice_id: z.string().nullable(),
});

export const LegacySessionDetail = LegacySession.extend({
  transcript: z.unknown().nullable(),
  language: z.string().nullable(),
  duration: z.number().int().nullable(),
  ended_at: NullableTimestamp,
  created_at: Timestamp,
});

export const LegacySessionReply = z.object({
  success: z.literal(true),
  session: LegacySessionDetail,
  message: z.string().optional(),
});
export const LegacyListSessionsReply = z.object({
  success: z.literal(true),
  sessions: z.array(LegacySessionDetail),
});

export const LegacyCreateAgentBody = z.object({
  name: z.string().trim().min(1).max(200),
  avatar_id: LegacyIntId().optional(),
  language: z.string().min(2).max(16).optional(),
  custom_greeting: z.string().max(4000).optional(),
  context: z.string().max(100_000).optional(),
});

export const LegacyAgent = z.object({
  agent_id: z.number().int(),
  name: z.string(),
  avatar_id: z.number().int().nullable(),
  language: z.string(),
  custom_greeting: z.string().nullable(),
  context: z.string().nullable(),
  status: z.literal('active'),
  created_at: Timestamp,
  updated_at: Timestamp,
  last_used_at: NullableTimestamp,
  total_sessions: z.number().int(),
  avg_duration: z.number().nullable(),
  avatar_name: z.string().nullable(),
  avatar_url: z.string().nullable(),
  voice_id: z.string().nullable(),
});

export const LegacyAgentDetail = LegacyAgent.extend({
  user_id: z.number().int(),
  role_id: z.number().int().nullable(),
  properties: z.record(z.string(), z.unknown()),
  memories: z.array(z.unknown()),
  knowledge_base: z.string().nullable(),
});

export const LegacyAgentReply = z.object({ success: z.literal(true), agent: LegacyAgentDetail });
export const LegacyListAgentsReply = z.object({ success: z.literal(true), agents: z.array(LegacyAgent) });
