// The public avatars shipped with agenthuman: one real public-domain photograph (through the same ingest path
// as user photos) and four illustrated characters drawn by code. Rigs are built on first use and cached.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ingestFace } from '../face/ingest-face.js';
import type { ResolutionPreset } from '../face/output-size.js';
import type { AspectRatio, Rig } from '../face/rig.js';
import { CHARACTERS } from './character-styles.js';
import { illustratedRig } from './illustrated-rig.js';

export interface PublicAvatar {
  /** The avatar id clients send: `PUBLIC/Avatars/<slug>`. */
  id: string;
  slug: string;
  name: string;
  tags: string[];
  kind: 'photo' | 'illustrated';
  loadRig(aspectRatio: AspectRatio, preset?: ResolutionPreset): Promise<Rig>;
}

const ASSETS = join(import.meta.dirname, '..', '..', 'assets', 'avatars');

function cachedLoader(build: (ar: AspectRatio, preset: ResolutionPreset) => Promise<Rig>) {
  const cache = new Map<string, Promise<Rig>>();
  return (aspectRatio: AspectRatio, preset: ResolutionPreset = 'sd') => {
    const key = `${aspectRatio}/${preset}`;
    let rig = cache.get(key);
    if (!rig) {
      rig = build(aspectRatio, preset);
      cache.set(key, rig);
      // A failed build is not cached, so a later call can retry.
      rig.catch(() => cache.delete(key));
    }
    return rig;
  };
}

const publicId = (slug: string) => `PUBLIC/Avatars/${slug}`;

const eileen: PublicAvatar = {
  id: publicId('eileen'),
  slug: 'eileen',
  name: 'Eileen',
  tags: ['photo', 'woman', 'public domain'],
  kind: 'photo',
  loadRig: cachedLoader(async (aspectRatio, preset) => {
    const photo = new Uint8Array(await readFile(join(ASSETS, 'eileen.jpg')));
    return (await ingestFace(photo, { aspectRatio, preset })).rig;
  }),
};

export const PUBLIC_AVATARS: readonly PublicAvatar[] = [
  eileen,
  ...CHARACTERS.map(
    (style): PublicAvatar => ({
      id: publicId(style.slug),
      slug: style.slug,
      name: style.name,
      tags: style.tags,
      kind: 'illustrated',
      loadRig: cachedLoader((aspectRatio, preset) => illustratedRig(style, aspectRatio, preset)),
    }),
  ),
];

/** The avatar sessions get when they name none. */
export const DEFAULT_PUBLIC_AVATAR_SLUG = 'eileen';

export function findPublicAvatar(slug: string): PublicAvatar | undefined {
  return PUBLIC_AVATARS.find((a) => a.slug === slug);
}
