/** @module The Avatars API wire shapes (`/v1/avatars`). */
import { z } from 'zod';
import { Timestamp } from './common.js';

/** Largest accepted image, after base64 decoding (the file part, the fetched URL and base64 alike). */
export const AVATAR_IMAGE_MAX_BYTES = 10 * 1024 * 1024;

export const Avatar = z
  .object({
    avatar_id: z.string().describe('`avat_…` (yours) or `PUBLIC/Avatars/<slug>` (shipped with the server)'),
    name: z.string(),
    tags: z.array(z.string()).describe('Yours carry `user_exclusive` and `user_<account number>`'),
    preview_url: z.string().describe('Signed, expiring URL of a 500×500 JPEG of the aligned face'),
    image_url: z.string().describe('Signed, expiring URL of the portrait as a JPEG at most 1200 px wide'),
    created_at: Timestamp.nullable().describe('null for public avatars'),
  })
  .meta({ id: 'Avatar' });
export type Avatar = z.infer<typeof Avatar>;

export const ListAvatarsReply = z.object({
  success: z.literal(true),
  public_avatars: z.array(Avatar),
  my_avatars: z.array(Avatar),
});

/** Legacy `GET /v1/avatars/public`. */
export const ListPublicAvatarsReply = z.object({ success: z.literal(true), avatars: z.array(Avatar) });

export const AvatarReply = z.object({ success: z.literal(true), avatar: Avatar });
export const AvatarIdParams = z.object({ avatar_id: z.string() });

/** JSON (or multipart text fields); the use case checks that exactly one image input is given. */
export const UploadFaceBody = z.object({
  image_url: z.string().min(1).optional().describe('A public http(s) URL of the portrait'),
  image_base64: z.string().min(1).optional().describe('The portrait as base64, data-URI prefix optional'),
  name: z.string().trim().min(1).max(100).optional(),
});
export type UploadFaceBody = z.infer<typeof UploadFaceBody>;

export const UploadFaceReply = z.object({
  success: z.literal(true),
  avatar_id: z.string(),
  preview_url: z.string(),
  image_url: z.string(),
});

export const AvatarPreviewBody = z.object({ avatar_id: z.string().min(1) });
export const AvatarPreviewReply = z.object({
  success: z.literal(true),
  url: z.string().describe('Single-use page URL, valid 5 minutes'),
});

export const MediaParams = z.object({
  owner: z.string().describe('`avat_…` or `public`'),
  name: z.string(),
  variant: z.enum(['preview', 'image']),
});
export const MediaQuery = z.object({ expires: z.string().optional(), sig: z.string().optional() });
