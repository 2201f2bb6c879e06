/** @module A link as the API shows it, with its effective status and its full agent. */
import type { Link, LinkStatus } from '@agenthuman/protocol';
import type { AgentRow, LinkRow } from '@agenthuman/store';
import { toAgentView } from '../agents/agent-view.js';

/** Why a link cannot start a session now, or undefined when it can. */
export function linkRefusal(
  link: LinkRow,
  now: Date,
): 'paused' | 'expired' | 'use_limit_reached' | undefined {
  if (link.status === 'paused') return 'paused';
  if (link.status === 'expired' || (link.expiresAt && link.expiresAt <= now)) return 'expired';
  if (link.useLimit !== null && link.uses >= link.useLimit) return 'use_limit_reached';
  return undefined;
}

/** `expired` covers a past `expires_at` and a reached use limit as well as an owner's choice. */
export function linkStatus(link: LinkRow, now: Date): LinkStatus {
  const refusal = linkRefusal(link, now);
  return refusal === 'paused' ? 'paused' : refusal ? 'expired' : 'active';
}

export const linkUrl = (publicUrl: string, linkId: string) => `${publicUrl}/s/${linkId}`;

export function toLinkView(link: LinkRow, agent: AgentRow, publicUrl: string, now = new Date()): Link {
  return {
    link_id: link.id,
    name: link.name,
    url: linkUrl(publicUrl, link.id),
    agent: toAgentView(agent),
    status: linkStatus(link, now),
    uses: link.uses,
    use_limit: link.useLimit,
    created_at: link.createdAt.toISOString(),
    expires_at: link.expiresAt?.toISOString() ?? null,
  };
}
