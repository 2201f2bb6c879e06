/**
 * @module Which renderer a live avatar's lane builds (a spec the render worker resolves inside the engine), and
 * the animator seed that lets every session of one avatar share the renderer's idle cache.
 */
import { createHash } from 'node:crypto';
import type { AspectRatio, Rig } from '../face/rig.js';
import type { RendererSpec } from '../workers/renderer-spec.js';
import type { LiveRendererOptions } from './live-renderer.js';

const RENDERER_MODULE = new URL('./live-renderer.ts', import.meta.url).href;

export type AvatarRenderer = { spec: RendererSpec; seed: number };

/**
 * The idle loop depends on the animator's seed and the renderer caches idle frames per rig; one seed per avatar
 * makes every session of that avatar replay the same cached loop (and warm-up fill it ahead of time).
 */
export function avatarSeed(avatarKey: string): number {
  return createHash('sha256').update(avatarKey).digest().readUInt32LE(0);
}

/** A public avatar: the worker builds its rig itself (a photo avatar's runs the face model there, off the API thread). */
export function publicAvatarRenderer(slug: string, aspectRatio: AspectRatio): AvatarRenderer {
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

/** An uploaded avatar: its stored rig travels with the spec. */
export function storedAvatarRenderer(avatarId: string, rig: Rig, aspectRatio: AspectRatio): AvatarRenderer {
  const options: LiveRendererOptions = { key: `${avatarId}|${aspectRatio}`, rig, aspectRatio };
  return {
    spec: { module: RENDERER_MODULE, export: 'createLiveRenderer', options },
    seed: avatarSeed(avatarId),
  };
}
