/** @module `/v1/avatars`: the library (public + mine), upload-face, delete, and preview links. */
import {
  AvatarIdParams,
  AvatarPreviewBody,
  AvatarPreviewReply,
  AvatarReply,
  ListAvatarsReply,
  ListPublicAvatarsReply,
  MessageReply,
  UploadFaceBody,
  UploadFaceReply,
} from '@agenthuman/protocol';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../app-deps.js';
import { AppError } from '../http/app-error.js';
import { callerOf } from '../http/caller.js';
import { findPublicAvatar, PUBLIC_AVATARS } from './catalog.js';
import { allAvatarFiles } from './media/avatar-files.js';
import { MULTIPART_LIMITS, readUploadRequest, UPLOAD_BODY_LIMIT_BYTES } from './read-upload-request.js';

const tags = ['Avatars'];
const avatarNotFound = (id: string) =>
  new AppError('AVATAR_NOT_FOUND', `Avatar ${id} not found`, {
    suggestion: 'List the avatars you can use with GET /v1/avatars',
    details: { field: 'avatar_id' },
  });

export const avatarRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { store, media, previews } = deps;
    await app.register(fastifyMultipart, { limits: MULTIPART_LIMITS, throwFileSizeLimit: true });

    app.get(
      '/v1/avatars',
      { schema: { tags, summary: 'List public avatars and your own', response: { 200: ListAvatarsReply } } },
      async (request) => {
        const rows = await store.avatars.listByAccount(callerOf(request).accountId);
        return {
          success: true as const,
          public_avatars: PUBLIC_AVATARS.map(media.views.public),
          my_avatars: rows.map(media.views.user),
        };
      },
    );

    app.get(
      '/v1/avatars/public',
      {
        schema: {
          tags,
          summary: 'Public avatars (legacy alias of public_avatars in GET /v1/avatars)',
          response: { 200: ListPublicAvatarsReply },
        },
      },
      async () => ({ success: true as const, avatars: PUBLIC_AVATARS.map(media.views.public) }),
    );

    app.post(
      '/v1/avatars/upload-face',
      {
        bodyLimit: UPLOAD_BODY_LIMIT_BYTES,
        schema: {
          tags,
          summary: 'Create an avatar from a portrait',
          description:
            'Exactly one of: a multipart/form-data `file` part, `image_url` (JSON or form field; fetched by the ' +
            'server, public addresses only, ≤ 3 redirects, 10 s), or `image_base64` (JSON or form field, data-URI ' +
            'prefix optional). JPEG, PNG, GIF or WebP (read from the bytes), ≤ 10 MB, ≤ 40 megapixels, exactly one ' +
            'prominent face. Counts against the plan’s custom avatars per billing cycle (deleting does not give ' +
            'quota back). Errors: UNSUPPORTED_IMAGE_FORMAT, IMAGE_TOO_LARGE, INVALID_BASE64, NO_FACE_DETECTED, ' +
            'MULTIPLE_FACES, FACE_TOO_SMALL, IMAGE_URL_NOT_ALLOWED, IMAGE_FETCH_FAILED (400); PLAN_RESTRICTION, ' +
            'AVATAR_QUOTA_EXCEEDED (403); NO_CAPACITY (503) when too many uploads are queued.',
          // Multipart requests arrive with a null body; their fields are read from the parts.
          body: UploadFaceBody.nullish(),
          consumes: ['application/json', 'multipart/form-data'],
          response: { 200: UploadFaceReply },
        },
      },
      async (request) => {
        const { image, name } = await readUploadRequest(request, request.body);
        const row = await deps.uploadFace({ accountId: callerOf(request).accountId, image, name });
        const view = media.views.user(row);
        return {
          success: true as const,
          avatar_id: view.avatar_id,
          preview_url: view.preview_url,
          image_url: view.image_url,
        };
      },
    );

    app.post(
      '/v1/avatars/preview',
      {
        schema: {
          tags,
          summary: 'A single-use preview page link, valid 5 minutes',
          body: AvatarPreviewBody,
          response: { 200: AvatarPreviewReply },
        },
      },
      async (request) => {
        const url = await previews.create(callerOf(request).accountId, request.body.avatar_id);
        return { success: true as const, url };
      },
    );

    const getAvatar = async (accountId: string, id: string) => {
      const publicAvatar = findPublicAvatar(id);
      if (publicAvatar) return { success: true as const, avatar: media.views.public(publicAvatar) };
      const row = id.startsWith('avat_') ? await store.avatars.findById(id) : undefined;
      if (!row || row.accountId !== accountId) throw avatarNotFound(id);
      return { success: true as const, avatar: media.views.user(row) };
    };
    const deleteAvatar = async (accountId: string, id: string) => {
      if (findPublicAvatar(id)) {
        throw new AppError('FORBIDDEN', 'Public avatars cannot be deleted', {
          details: { field: 'avatar_id' },
        });
      }
      const row = await store.avatars.markDeleted(accountId, id, new Date());
      if (!row) throw avatarNotFound(id);
      await Promise.all(allAvatarFiles(row.id).map((key) => deps.blobs.delete(key)));
      return { success: true as const, message: 'Avatar deleted successfully' };
    };

    app.get(
      '/v1/avatars/:avatar_id',
      {
        schema: {
          tags,
          summary: 'Get one avatar: a public one (`PUBLIC%2FAvatars%2F<slug>` or the plain path) or your own',
          params: AvatarIdParams,
          response: { 200: AvatarReply },
        },
      },
      async (request) => getAvatar(callerOf(request).accountId, request.params.avatar_id),
    );

    app.delete(
      '/v1/avatars/:avatar_id',
      {
        schema: {
          tags,
          summary: 'Delete one of your avatars (sessions already running keep it; quota is not given back)',
          params: AvatarIdParams,
          response: { 200: MessageReply },
        },
      },
      async (request) => deleteAvatar(callerOf(request).accountId, request.params.avatar_id),
    );

    // Public ids contain slashes; clients that do not encode them reach these.
    const PublicParams = z.object({ slug: z.string() });
    app.get(
      '/v1/avatars/PUBLIC/Avatars/:slug',
      { schema: { hide: true, params: PublicParams } },
      async (request) => getAvatar(callerOf(request).accountId, `PUBLIC/Avatars/${request.params.slug}`),
    );
    app.delete(
      '/v1/avatars/PUBLIC/Avatars/:slug',
      { schema: { hide: true, params: PublicParams } },
      async (request) => deleteAvatar(callerOf(request).accountId, `PUBLIC/Avatars/${request.params.slug}`),
    );
  };
