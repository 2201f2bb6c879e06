// The public avatars shipped with agenthuman: photographs of synthetic people who do not exist (generated
// portraits, MIT-licensed, see NOTICE; through the same ingest path as user photos) and four illustrated
// characters drawn by code. Rigs are built on first use and cached; a photo's rig from its committed landmarks
// (photo-landmarks.ts), so no worker runs the face model for a public avatar.
import { buildRig } from '../face/ingest-face.js';
import type { ResolutionPreset } from '../face/output-size.js';
import type { AspectRatio, Rig } from '../face/rig.js';
import { CHARACTERS } from './character-styles.js';
import { illustratedRig } from './illustrated-rig.js';
import { bundledPhotoAnalysis } from './photo-landmarks.js';

export interface PublicAvatar {
  /** The avatar id clients send: `PUBLIC/Avatars/<slug>`. */
  id: string;
  slug: string;
  name: string;
  tags: string[];
  kind: 'photo' | 'illustrated';
  loadRig(aspectRatio: AspectRatio, preset?: ResolutionPreset): Promise<Rig>;
}

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

/** Generated portraits of people who do not exist (assets/avatars/<slug>.jpg; source and licence in NOTICE). */
const PHOTOS: ReadonlyArray<{ slug: string; name: string; tags: string[] }> = [
  // "eileen" keeps its id (the default avatar, legacy id 1, integration defaults): the face is a synthetic one.
  { slug: 'eileen', name: 'Eileen', tags: ['photo', 'woman', 'synthetic'] },
  { slug: 'victor', name: 'Victor', tags: ['photo', 'man', 'synthetic'] },
  { slug: 'jonah', name: 'Jonah', tags: ['photo', 'man', 'synthetic'] },
  { slug: 'amara', name: 'Amara', tags: ['photo', 'woman', 'synthetic'] },
];

const photoAvatar = ({ slug, name, tags }: (typeof PHOTOS)[number]): PublicAvatar => ({
  id: publicId(slug),
  slug,
  name,
  tags,
  kind: 'photo',
  loadRig: cachedLoader(async (aspectRatio, preset) =>
    buildRig(await bundledPhotoAnalysis(slug), aspectRatio, preset),
  ),
});

export const PUBLIC_AVATARS: readonly PublicAvatar[] = [
  ...PHOTOS.map(photoAvatar),
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
