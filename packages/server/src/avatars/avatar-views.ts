/** @module Avatar rows and catalog entries → the wire `Avatar`, with freshly signed media URLs. */
import type { Avatar } from '@agenthuman/protocol';
import type { AvatarRow } from '@agenthuman/store';
import type { PublicAvatar } from './catalog.js';
import { publicMediaPath, userMediaPath } from './media/avatar-files.js';
import type { MediaSigner } from './media/media-signer.js';

export type AvatarViews = ReturnType<typeof createAvatarViews>;

export function createAvatarViews(signer: MediaSigner) {
  return {
    user(row: AvatarRow): Avatar {
      return {
        avatar_id: row.id,
        name: row.name,
        tags: row.tags,
        preview_url: signer.url(userMediaPath(row.id, 'preview')),
        image_url: signer.url(userMediaPath(row.id, 'image')),
        created_at: row.createdAt.toISOString(),
      };
    },
    public(avatar: PublicAvatar): Avatar {
      return {
        avatar_id: avatar.id,
        name: avatar.name,
        tags: avatar.tags,
        preview_url: signer.url(publicMediaPath(avatar.slug, 'preview')),
        image_url: signer.url(publicMediaPath(avatar.slug, 'image')),
        created_at: null,
      };
    },
  };
}
