/** @module Which renderer a session's lane builds, and the animator seed that lets same-avatar sessions share caches. */
import { createHash } from 'node:crypto';
import type { AspectRatio, RendererSpec } from '@agenthuman/engine';
import type { BlobStore } from '../../avatars/blobs/blob-store.js';
import { DEFAULT_PUBLIC_AVATAR_SLUG, findPublicAvatar } from '../../avatars/catalog.js';
import { loadAvatarRig } from '../../avatars/load-avatar-rig.js';
import type { LiveRendererOptions } from './live-renderer.js';

const RENDERER_MODULE = new URL('./live-renderer.ts', import.meta.url).href;

export class AvatarUnavailableError extends Error {
  override readonly name = 'AvatarUnavailableError';
}

/**
 * The idle loop depends on the animator's seed and the renderer caches idle frames per rig; one seed per avatar
 * makes every session of that avatar replay the same cached loop (and warm-up fill it ahead of time).
 */
export function avatarSeed(avatarKey: string): number {
  return createHash('sha256').update(avatarKey).digest().readUInt32LE(0);
}

/** A public avatar's rig is built in the worker; an uploaded avatar's stored rig travels with the spec. */
export async function rendererSpecFor(
  blobs: BlobStore,
  avatarId: string | null,
  aspectRatio: AspectRatio,
): Promise<{ spec: RendererSpec; seed: number }> {
  const publicAvatar = findPublicAvatar(avatarId ?? `PUBLIC/Avatars/${DEFAULT_PUBLIC_AVATAR_SLUG}`);
  if (publicAvatar) return publicSpec(publicAvatar.slug, aspectRatio);
  const rig = avatarId ? await loadAvatarRig(blobs, avatarId, aspectRatio) : undefined;
  if (!rig || !avatarId) throw new AvatarUnavailableError(`avatar ${avatarId} has no rig for ${aspectRatio}`);
  const options: LiveRendererOptions = { key: `${avatarId}|${aspectRatio}`, rig, aspectRatio };
  return {
    spec: { module: RENDERER_MODULE, export: 'createLiveRenderer', options },
    seed: avatarSeed(avatarId),
  };
}

export function publicSpec(slug: string, aspectRatio: AspectRatio): { spec: RendererSpec; seed: number } {
  const options: LiveRendererOptions = {
    key: `public:${slug}|${aspectRatio}`,
    publicSlug: slug,
    aspectRatio,
  };
  return {
    spec: { module: RENDERER_MODULE, export: 'createLiveRenderer', options },
    seed: avatarSeed(`public:${slug}`),
  };
}
