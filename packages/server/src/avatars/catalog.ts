/**
 * @module The public avatars as the API names them. The catalog itself is the engine's (`PUBLIC_AVATARS`); the
 * server adds only what belongs to the API: the default avatar ids of the official LiveKit and Pipecat
 * integrations (so unconfigured clients work), integer ids of the legacy `/api/v1` dialect, and the API's tags.
 */
import { DEFAULT_PUBLIC_AVATAR_SLUG, PUBLIC_AVATARS as ENGINE_AVATARS } from '@agenthuman/engine/avatars';

export type PublicAvatar = {
  id: string;
  slug: string;
  name: string;
  /** Integer id in the legacy `/api/v1` dialect (user avatars start at 1001). */
  legacyId: number;
  kind: 'photo' | 'illustrated';
  tags: string[];
};

/** Legacy integer ids, by slug (fixed: clients stored them). */
const LEGACY_IDS: Readonly<Record<string, number>> = {
  eileen: 1,
  ada: 2,
  milo: 3,
  nora: 4,
  kai: 5,
  victor: 6,
  jonah: 7,
  amara: 8,
};

/** Integration defaults → public avatar slug. */
const AVATAR_ALIASES: Readonly<Record<string, string>> = {
  avat_01KMZJ4WE5QCD9G3EK21QW8NJK: 'eileen', // LiveKit plugin default
  avat_01KMZHXFPBVCXA5ATK85HCP8G1: 'nora', // Pipecat service default
};

export const PUBLIC_AVATARS: readonly PublicAvatar[] = ENGINE_AVATARS.map((avatar) => {
  const legacyId = LEGACY_IDS[avatar.slug];
  if (legacyId === undefined) throw new Error(`public avatar ${avatar.slug} has no legacy id`);
  return {
    id: avatar.id,
    slug: avatar.slug,
    name: avatar.name,
    legacyId,
    kind: avatar.kind,
    tags: ['public', avatar.kind],
  };
});

export const DEFAULT_PUBLIC_AVATAR_ID = `PUBLIC/Avatars/${DEFAULT_PUBLIC_AVATAR_SLUG}`;

export function findPublicAvatar(id: string): PublicAvatar | undefined {
  const aliased = AVATAR_ALIASES[id];
  if (aliased) return PUBLIC_AVATARS.find((a) => a.slug === aliased);
  return PUBLIC_AVATARS.find((a) => a.id === id);
}

export const findPublicAvatarByLegacyId = (legacyId: number) =>
  PUBLIC_AVATARS.find((a) => a.legacyId === legacyId);
