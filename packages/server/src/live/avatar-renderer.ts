/**
 * @module Which renderer a session's avatar gets: public avatars (and the integrations' default ids) by slug,
 * uploaded avatars with their stored rig. The rendering itself is the engine's.
 */
import type { AspectRatio } from '@agenthuman/engine/face';
import { type AvatarRenderer, publicAvatarRenderer, storedAvatarRenderer } from '@agenthuman/engine/live';
import type { BlobStore } from '../avatars/blobs/blob-store.js';
import { DEFAULT_PUBLIC_AVATAR_ID, findPublicAvatar } from '../avatars/catalog.js';
import { loadAvatarRig } from '../avatars/load-avatar-rig.js';

class AvatarUnavailableError extends Error {
  override readonly name = 'AvatarUnavailableError';
}

export async function avatarRendererFor(
  blobs: BlobStore,
  avatarId: string | null,
  aspectRatio: AspectRatio,
): Promise<AvatarRenderer> {
  const publicAvatar = findPublicAvatar(avatarId ?? DEFAULT_PUBLIC_AVATAR_ID);
  if (publicAvatar) return publicAvatarRenderer(publicAvatar.slug, aspectRatio);
  const rig = avatarId ? await loadAvatarRig(blobs, avatarId, aspectRatio) : undefined;
  if (!rig || !avatarId) throw new AvatarUnavailableError(`avatar ${avatarId} has no rig for ${aspectRatio}`);
  return storedAvatarRenderer(avatarId, rig, aspectRatio);
}
