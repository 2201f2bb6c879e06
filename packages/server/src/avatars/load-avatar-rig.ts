/**
 * @module The rig a session animates: a user avatar's stored rig, or a public avatar's built by the engine.
 * Sessions load it once when their media starts and hold it, so deleting the avatar later does not stop them.
 */
import {
  type AspectRatio,
  decodeRig,
  findPublicAvatar as findEngineAvatar,
  type Rig,
} from '@agenthuman/engine';
import type { BlobStore } from './blobs/blob-store.js';
import { findPublicAvatar } from './catalog.js';
import { avatarFiles } from './media/avatar-files.js';

export async function loadAvatarRig(
  blobs: BlobStore,
  avatarId: string,
  aspectRatio: AspectRatio,
): Promise<Rig | undefined> {
  const publicAvatar = findPublicAvatar(avatarId);
  if (publicAvatar) return findEngineAvatar(publicAvatar.slug)?.loadRig(aspectRatio);
  if (!/^avat_[0-9A-Z]{26}$/.test(avatarId)) return undefined;
  const bytes = await blobs.get(avatarFiles(avatarId).rig(aspectRatio));
  return bytes && decodeRig(bytes);
}
