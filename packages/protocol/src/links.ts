/** @module Links (`/v1/links`): a public URL that starts a session with an agent, no API key needed. */
import { z } from 'zod';
import { Agent } from './agents.js';
import { Int32, NullableTimestamp, Timestamp } from './common.js';

export const LinkStatus = z.enum(['active', 'paused', 'expired']);
export type LinkStatus = z.infer<typeof LinkStatus>;

const isoTimestamp = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 timestamp' });

export const CreateLinkBody = z.object({
  agent_id: z.string().min(1),
  name: z.string().trim().min(1).max(200).optional(),
  expires_at: isoTimestamp.optional().describe('Omit for a link that never expires'),
  use_limit: Int32().positive().optional().describe('Omit for unlimited uses'),
});
export type CreateLinkBody = z.infer<typeof CreateLinkBody>;

export const UpdateLinkBody = z.object({
  name: z.string().trim().min(1).max(200).nullable().optional(),
  status: LinkStatus.optional(),
  expires_at: isoTimestamp.nullable().optional(),
  use_limit: Int32().positive().nullable().optional().describe('Must be greater than `uses`'),
});
export type UpdateLinkBody = z.infer<typeof UpdateLinkBody>;

export const Link = z
  .object({
    link_id: z.string(),
    name: z.string(),
    url: z.string(),
    agent: Agent,
    status: LinkStatus.describe('expired: past expires_at, use limit reached, or set by hand'),
    uses: z.number().int(),
    use_limit: z.number().int().nullable(),
    created_at: Timestamp,
    expires_at: NullableTimestamp,
  })
  .meta({ id: 'Link' });
export type Link = z.infer<typeof Link>;

export const LinkReply = z.object({ success: z.literal(true), link: Link });
export const ListLinksReply = z.object({ success: z.literal(true), links: z.array(Link) });
export const ListLinksQuery = z.object({
  status: z.enum(['all', 'active', 'paused', 'expired']).default('all'),
});
export const LinkIdParams = z.object({ link_id: z.string() });

export const StartLinkSessionBody = z.object({
  link_id: z.string().min(1),
  // Missing or invalid → 4:3, as the reference documents.
  aspect_ratio: z.unknown().optional(),
  session_type: z
    .unknown()
    .optional()
    .describe('Extension: agent_video (default) | agent_voice | agent_chat; anything else → agent_video'),
});

export const StartLinkSessionReply = z.object({
  success: z.literal(true),
  session_id: z.string(),
  session_type: z.string(),
  room: z
    .object({ platform: z.string(), url: z.string(), token: z.string() })
    .nullable()
    .describe('The platform room to join (null for chat agents)'),
  session_token: z
    .string()
    .describe('Lets the page that started it send messages: header `x-session-token` on /messages'),
  livekit_url: z.string().optional().describe('Only when the platform room is LiveKit'),
  participant_token: z.string().optional(),
  agent_identity: z.string().optional(),
});
