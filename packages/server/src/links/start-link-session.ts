/**
 * @module `POST /v1/links/start-session` (public, no API key): starts an agent session for the link's owner.
 * A use is claimed atomically first (so concurrent starts never pass `use_limit`) and given back if the start
 * then fails (e.g. the owner is out of minutes), so `uses` counts successful starts.
 */
import { AspectRatio, type SessionType } from '@agenthuman/protocol';
import type { LinkRow, SessionRow } from '@agenthuman/store';
import type { AppDeps } from '../app-deps.js';
import { AppError } from '../http/app-error.js';
import { createSession } from '../sessions/create-session.js';
import { linkRefusal } from './link-view.js';

const LINK_SESSION_TYPES: SessionType[] = ['agent_video', 'agent_voice', 'agent_chat'];

export type StartedLinkSession = { session: SessionRow; token: string };

export function refusalError(refusal: NonNullable<ReturnType<typeof linkRefusal>>): AppError {
  if (refusal === 'paused')
    return new AppError('LINK_PAUSED', 'This link is paused', {
      suggestion: 'The owner can set its status back to active',
    });
  if (refusal === 'expired') return new AppError('LINK_EXPIRED', 'This link has expired');
  return new AppError('LINK_USE_LIMIT_REACHED', 'This link has reached its use limit', {
    suggestion: 'The owner can raise use_limit',
  });
}

export async function startLinkSession(
  deps: AppDeps,
  input: { linkId: string; aspectRatio: unknown; sessionType: unknown },
  now = new Date(),
): Promise<StartedLinkSession> {
  const link = /^lnk_[0-9A-Za-z]{1,40}$/.test(input.linkId)
    ? await deps.store.links.findById(input.linkId)
    : undefined;
  if (!link) throw new AppError('LINK_NOT_FOUND', 'Link not found', { details: { field: 'link_id' } });
  const refusal = linkRefusal(link, now);
  if (refusal) throw refusalError(refusal);
  const claimed = await deps.store.links.claimUse(link.id, now);
  if (!claimed) throw refusalError(linkRefusal(await reread(deps, link), now) ?? 'use_limit_reached');
  try {
    const aspect = AspectRatio.safeParse(input.aspectRatio);
    const sessionType = LINK_SESSION_TYPES.find((t) => t === input.sessionType) ?? 'agent_video';
    const created = await createSession(deps, link.accountId, {
      agent_id: link.agentId,
      session_type: sessionType,
      aspect_ratio: aspect.success ? aspect.data : '4:3',
      metadata: { link_id: link.id },
    });
    await deps.conversations.open(created.row);
    return { session: created.row, token: created.token };
  } catch (error) {
    await deps.store.links.releaseUse(link.id);
    throw error;
  }
}

async function reread(deps: AppDeps, link: LinkRow): Promise<LinkRow> {
  return (await deps.store.links.findById(link.id)) ?? link;
}
