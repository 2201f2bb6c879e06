/**
 * @module Runs inside a render worker: builds a session's renderer from its rig, keeping one Rig object per
 * avatar and aspect ratio in this thread. The CPU renderer keys its prepared mesh and its idle-loop cache by Rig
 * object, and every lane's options arrive as a fresh structured clone, so without this map no two sessions of
 * the same avatar would share a cache. Public rigs are built here too (photo avatars' run the face model), which
 * keeps that work off the API's event loop.
 */
import type { AspectRatio, Rig } from '../face/rig.js';
import { createCpuRenderer } from '../render/cpu-renderer.js';
import type { Renderer } from '../render/renderer.js';

export type LiveRendererOptions = {
  /** Identifies the rig: `<avatar id>|<aspect ratio>`. */
  key: string;
  /** A stored (uploaded) avatar's rig; absent for public avatars, which the worker builds itself. */
  rig?: Rig;
  publicSlug?: string;
  aspectRatio: AspectRatio;
};

/** Enough for every public avatar in every aspect ratio plus the uploaded avatars in recent use. */
const MAX_RIGS = 48;
const rigs = new Map<string, Promise<Rig>>();
async function buildRig(options: LiveRendererOptions): Promise<Rig> {
  if (options.rig) return options.rig;
  // Imported on demand: only public avatars need the catalog (and photo avatars' rigs the face model).
  const catalog = await import('../avatars/catalog.js');
  const avatar = options.publicSlug ? catalog.findPublicAvatar(options.publicSlug) : undefined;
  if (!avatar) throw new Error(`no rig for ${options.key}`);
  return avatar.loadRig(options.aspectRatio);
}

export async function createLiveRenderer(options: LiveRendererOptions): Promise<Renderer> {
  let rig = rigs.get(options.key);
  if (rig) {
    // Most recently used last, so the oldest is the one evicted.
    rigs.delete(options.key);
    rigs.set(options.key, rig);
  } else {
    rig = buildRig(options);
    rigs.set(options.key, rig);
    rig.catch(() => rigs.delete(options.key));
    if (rigs.size > MAX_RIGS) rigs.delete(rigs.keys().next().value as string);
  }
  return createCpuRenderer(await rig);
}
