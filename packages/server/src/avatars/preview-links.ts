/**
 * @module `POST /v1/avatars/preview`: a single-use page link valid 5 minutes. The token is 32 random bytes in
 * the URL; only its sha256 is stored, and opening it marks it used in the same statement that checks it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '@agenthuman/store';
import type { AvatarResolver } from './resolve-avatar.js';

export const PREVIEW_LINK_TTL_MS = 5 * 60_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export type PreviewLinks = ReturnType<typeof createPreviewLinks>;

export function createPreviewLinks(deps: { store: Store; avatars: AvatarResolver; publicUrl: string }) {
  return {
    async create(accountId: string, avatarId: string, now = new Date()): Promise<string> {
      const avatar = await deps.avatars.resolveId(accountId, avatarId);
      const token = randomBytes(32).toString('base64url');
      await deps.store.avatarPreviews.create({
        tokenHash: hashToken(token),
        accountId,
        avatarId: avatar.avatarId,
        expiresAt: new Date(now.getTime() + PREVIEW_LINK_TTL_MS),
      });
      return `${deps.publicUrl}/preview/${token}`;
    },

    /** Consumes the link; what to show, or why not. */
    async open(token: string, now = new Date()) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { refused: 'unknown' as const };
      const result = await deps.store.avatarPreviews.consume(hashToken(token), now);
      if ('refused' in result) return result;
      return { avatarId: result.row.avatarId };
    },
  };
}
