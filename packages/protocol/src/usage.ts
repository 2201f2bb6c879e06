/** @module `GET /v1/usage`. Unlimited quantities are `null`. */
import { z } from 'zod';
import { Timestamp } from './common.js';
import { PlanKey } from './keys.js';
import { Session } from './sessions.js';

export const Usage = z
  .object({
    period: z.object({ start: Timestamp, end: Timestamp }),
    included_minutes: z.object({
      total: z.number().nullable(),
      used: z.number(),
      remaining: z.number().nullable(),
    }),
    purchased_minutes: z.object({ total: z.number(), remaining: z.number() }),
    total_remaining: z.number().nullable(),
    active_sessions: z.array(Session),
    active_minutes: z.number(),
    concurrency: z.object({
      current: z.number(),
      max: z.number().nullable(),
      available: z.number().nullable(),
    }),
    avatars: z.object({ limit: z.number().nullable(), used: z.number(), remaining: z.number().nullable() }),
    plan: z.object({
      key: PlanKey,
      name: z.string(),
      max_session_duration: z.number().nullable().describe('Minutes'),
      will_renew: z.boolean(),
    }),
  })
  .meta({ id: 'Usage' });
export type Usage = z.infer<typeof Usage>;

export const UsageReply = z.object({ success: z.literal(true), usage: Usage });
