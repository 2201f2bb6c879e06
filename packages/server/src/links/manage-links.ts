/** @module Creating and changing links (the owner's side, with an API key). */
import type { CreateLinkBody, UpdateLinkBody } from '@agenthuman/protocol';
import type { LinkChanges, LinkRow, Store } from '@agenthuman/store';
import { AppError } from '../http/app-error.js';

export const linkNotFound = () =>
  new AppError('LINK_NOT_FOUND', 'Link not found', {
    suggestion: 'Check the link_id; links of other accounts are not visible',
  });

export async function createLink(
  store: Store,
  accountId: string,
  body: CreateLinkBody,
  now = new Date(),
): Promise<LinkRow> {
  const agent = await store.agents.findForAccount(accountId, body.agent_id);
  if (!agent) {
    throw new AppError('AGENT_NOT_FOUND', 'Agent not found', {
      suggestion: 'Check the agent_id; agents of other accounts are not visible',
      details: { field: 'agent_id' },
    });
  }
  return store.links.create({
    accountId,
    agentId: agent.id,
    name: body.name ?? `Link ${now.toISOString().slice(0, 16).replace('T', ' ')}`,
    useLimit: body.use_limit ?? null,
    expiresAt: body.expires_at ? new Date(body.expires_at) : null,
  });
}

export async function updateLink(
  store: Store,
  accountId: string,
  linkId: string,
  body: UpdateLinkBody,
  now = new Date(),
): Promise<LinkRow> {
  const current = await store.links.findForAccount(accountId, linkId);
  if (!current) throw linkNotFound();
  if (body.use_limit !== undefined && body.use_limit !== null && body.use_limit <= current.uses) {
    throw new AppError(
      'VALIDATION_ERROR',
      `use_limit must be greater than the link's current uses (${current.uses})`,
      { details: { field: 'use_limit', uses: current.uses } },
    );
  }
  const changes: LinkChanges = {};
  if (body.name !== undefined)
    changes.name = body.name ?? `Link ${now.toISOString().slice(0, 16).replace('T', ' ')}`;
  if (body.status !== undefined) changes.status = body.status;
  if (body.expires_at !== undefined) changes.expiresAt = body.expires_at ? new Date(body.expires_at) : null;
  if (body.use_limit !== undefined) changes.useLimit = body.use_limit;
  const row = await store.links.update(accountId, linkId, changes);
  if (!row) throw linkNotFound();
  return row;
}
