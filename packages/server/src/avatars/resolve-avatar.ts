/** @module Turns what a session request names as its avatar (id, URL or base64) into an avatar it may use. */
import type { Store } from '@agenthuman/store';
import type { Plan } from '../config/plans.js';
import { AppError } from '../http/app-error.js';
import { findPublicAvatar, findPublicAvatarByLegacyId } from './catalog.js';
import { publicMediaPath, userMediaPath } from './media/avatar-files.js';
import type { MediaSigner } from './media/media-signer.js';
import type { UploadFace } from './upload-face.js';

export type ResolvedAvatar = { avatarId: string; name: string };
export type AvatarView = { avatar_id: string; name: string; url: string | null };
export type AvatarResolver = ReturnType<typeof createAvatarResolver>;

export function createAvatarResolver(deps: { store: Store; signer: MediaSigner; uploadFace: UploadFace }) {
  async function resolveId(accountId: string, id: string): Promise<ResolvedAvatar> {
    const publicAvatar = findPublicAvatar(id);
    if (publicAvatar) return { avatarId: id, name: publicAvatar.name };
    const found = id.startsWith('avat_') ? await deps.store.avatars.findById(id) : undefined;
    // Another account's exclusive avatar reads exactly like an unknown id: ids never reveal what exists.
    const row = found && (!found.userExclusive || found.accountId === accountId) ? found : undefined;
    if (!row) {
      throw new AppError('AVATAR_NOT_FOUND', `Avatar ${id} not found`, {
        suggestion: 'List the avatars you can use with GET /v1/avatars',
        details: { field: 'avatar' },
      });
    }
    return { avatarId: row.id, name: row.name };
  }

  return {
    resolveId,

    /** An avatar id, a public image URL or a base64 image (the last two: not on plans without custom avatars). */
    async resolveInput(accountId: string, plan: Plan, value: string): Promise<ResolvedAvatar> {
      const kind = classify(value);
      if (kind === 'id') return resolveId(accountId, value);
      if (plan.customAvatarsPerCycle === 0) {
        throw new AppError(
          'PLAN_RESTRICTION',
          `The ${plan.name} plan can only start sessions with an avatar id`,
          {
            suggestion: 'Pass an avatar id, or upgrade the plan to create avatars from images',
            details: { field: 'avatar', plan: plan.key },
          },
        );
      }
      const image =
        kind === 'url' ? { kind, url: value, field: 'avatar' } : { kind, data: value, field: 'avatar' };
      // The avatar made here is the caller's own (user_exclusive), listed under my_avatars like an upload.
      const row = await deps.uploadFace({ accountId, image });
      return { avatarId: row.id, name: row.name };
    },

    /** Resolves a legacy integer avatar id; undefined when unknown or not usable by the account. */
    async resolveLegacyId(accountId: string, legacyId: number): Promise<ResolvedAvatar | undefined> {
      const publicAvatar = findPublicAvatarByLegacyId(legacyId);
      if (publicAvatar) return { avatarId: publicAvatar.id, name: publicAvatar.name };
      const row = await deps.store.avatars.findBySeq(legacyId);
      if (!row || (row.userExclusive && row.accountId !== accountId)) return undefined;
      return { avatarId: row.id, name: row.name };
    },

    view(avatarId: string | null, name: string | null): AvatarView | null {
      if (!avatarId) return null;
      const publicAvatar = findPublicAvatar(avatarId);
      if (publicAvatar) {
        return {
          avatar_id: avatarId,
          name: publicAvatar.name,
          url: deps.signer.url(publicMediaPath(publicAvatar.slug, 'image')),
        };
      }
      return {
        avatar_id: avatarId,
        name: name ?? avatarId,
        url: deps.signer.url(userMediaPath(avatarId, 'image')),
      };
    },
  };
}

/** A URL or base64 image (runs the face pipeline), as opposed to an avatar id. */
export const isImageInput = (value: string) => classify(value) !== 'id';

function classify(value: string): 'id' | 'url' | 'base64' {
  if (/^https?:\/\//i.test(value)) return 'url';
  if (/^data:image\//i.test(value)) return 'base64';
  if (value.startsWith('avat_') || value.startsWith('PUBLIC/')) return 'id';
  if (value.length >= 64 && /^[A-Za-z0-9+/=\s]+$/.test(value)) return 'base64';
  return 'id';
}
