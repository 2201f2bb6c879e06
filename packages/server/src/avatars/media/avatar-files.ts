/** @module Where each file of a user avatar lives in the blob store. */
import type { AspectRatio } from '@agenthuman/engine';

export type MediaVariant = 'preview' | 'image';

export const avatarFiles = (avatarId: string) => ({
  original: `avatars/${avatarId}/original`,
  preview: `avatars/${avatarId}/preview.jpg`,
  image: `avatars/${avatarId}/image.jpg`,
  rig: (aspectRatio: AspectRatio) => `avatars/${avatarId}/rig-${aspectRatio.replace(':', 'x')}.bin`,
});

export const allAvatarFiles = (avatarId: string): string[] => {
  const f = avatarFiles(avatarId);
  return [f.original, f.preview, f.image, f.rig('4:3'), f.rig('3:4'), f.rig('1:1')];
};

/** Paths of the signed media URLs (public avatars by slug under `public`). */
export const userMediaPath = (avatarId: string, variant: MediaVariant) =>
  `/v1/media/avatars/${avatarId}/${variant}`;
export const publicMediaPath = (slug: string, variant: MediaVariant) => `/v1/media/public/${slug}/${variant}`;
