/**
 * @module The public avatars that ship with the engine (ids `PUBLIC/Avatars/<slug>`), and the default avatar
 * ids of the official LiveKit and Pipecat integrations, which resolve to them so unconfigured clients work.
 */
export type PublicAvatar = {
  id: string;
  slug: string;
  name: string;
  /** Integer id in the legacy `/api/v1` dialect (user avatars start at 1001). */
  legacyId: number;
  kind: 'photo' | 'illustrated';
  tags: string[];
};

const avatar = (legacyId: number, slug: string, name: string, kind: PublicAvatar['kind']): PublicAvatar => ({
  id: `PUBLIC/Avatars/${slug}`,
  slug,
  name,
  legacyId,
  kind,
  tags: ['public', kind],
});

export const PUBLIC_AVATARS: readonly PublicAvatar[] = [
  avatar(1, 'eileen', 'Eileen', 'photo'),
  avatar(2, 'ada', 'Ada', 'illustrated'),
  avatar(3, 'milo', 'Milo', 'illustrated'),
  avatar(4, 'nora', 'Nora', 'illustrated'),
  avatar(5, 'kai', 'Kai', 'illustrated'),
];

/** Integration defaults → public avatar slug. */
export const AVATAR_ALIASES: Readonly<Record<string, string>> = {
  avat_01KMZJ4WE5QCD9G3EK21QW8NJK: 'eileen', // LiveKit plugin default
  avat_01KMZHXFPBVCXA5ATK85HCP8G1: 'nora', // Pipecat service default
};

export const DEFAULT_PUBLIC_AVATAR_SLUG = 'eileen';

export function findPublicAvatar(id: string): PublicAvatar | undefined {
  const aliased = AVATAR_ALIASES[id];
  if (aliased) return PUBLIC_AVATARS.find((a) => a.slug === aliased);
  return PUBLIC_AVATARS.find((a) => a.id === id);
}

export const findPublicAvatarByLegacyId = (legacyId: number) =>
  PUBLIC_AVATARS.find((a) => a.legacyId === legacyId);
