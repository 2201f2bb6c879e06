/**
 * @module The bytes behind a media URL: a user avatar's stored file, or a public avatar's image rendered from
 * its rig once per process (on a face worker) and kept in memory. ETags are content hashes.
 */
import { createHash } from 'node:crypto';
import type { BlobStore } from '../blobs/blob-store.js';
import { PUBLIC_AVATARS } from '../catalog.js';
import type { FaceIngestor, PublicAvatarImages } from '../ingest/face-ingest.js';
import { avatarFiles, type MediaVariant } from './avatar-files.js';

export type MediaFile = { bytes: Uint8Array; etag: string; contentType: string };
export type MediaSource = ReturnType<typeof createMediaSource>;

const etagOf = (bytes: Uint8Array) =>
  `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;

export function createMediaSource(deps: { blobs: BlobStore; faces: FaceIngestor }) {
  const publicImages = new Map<string, Promise<PublicAvatarImages>>();

  function renderPublic(slug: string): Promise<PublicAvatarImages> {
    let images = publicImages.get(slug);
    if (!images) {
      images = deps.faces.renderPublic(slug);
      publicImages.set(slug, images);
      images.catch(() => publicImages.delete(slug));
    }
    return images;
  }

  return {
    async read(owner: string, name: string, variant: MediaVariant): Promise<MediaFile | undefined> {
      let bytes: Uint8Array | undefined;
      if (owner === 'public') {
        if (!PUBLIC_AVATARS.some((a) => a.slug === name)) return undefined;
        bytes = (await renderPublic(name))[variant];
      } else if (owner === 'avatars' && /^avat_[0-9A-Z]{26}$/.test(name)) {
        bytes = await deps.blobs.get(avatarFiles(name)[variant]);
      }
      return bytes && { bytes, etag: etagOf(bytes), contentType: 'image/jpeg' };
    },
  };
}
