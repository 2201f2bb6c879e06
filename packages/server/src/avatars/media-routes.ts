/**
 * @module Public routes (no API key): signed avatar media, and the single-use preview page. The signature is
 * the authorisation, so these sit outside the API-key hook; the preview page is rate-limited per client IP.
 */
import { MediaParams, MediaQuery } from '@agenthuman/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../app-deps.js';
import { AppError } from '../http/app-error.js';
import { htmlPageHeaders } from '../http/html-page.js';
import { findPublicAvatar } from './catalog.js';
import { publicMediaPath, userMediaPath } from './media/avatar-files.js';
import { checkSignedUrl } from './media/check-signed-url.js';
import { renderLivePreviewPage, renderPreviewPage, renderPreviewRefusal } from './preview-page.js';

const PREVIEW_IMAGE_TTL_S = 600;

export const mediaRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { signer, source } = deps.media;

    app.get(
      '/v1/media/:owner/:name/:variant',
      {
        schema: {
          tags: ['Avatars'],
          summary: 'A signed avatar image (the preview_url / image_url of an avatar)',
          description:
            'No API key: `expires` (unix seconds) and `sig` authorise it. 403 INVALID_SIGNATURE when tampered ' +
            'with, 403 LINK_EXPIRED after expiry. Cache-Control private until expiry; ETag + If-None-Match.',
          params: MediaParams,
          querystring: MediaQuery,
          security: [],
        },
      },
      async (request, reply) => {
        const { owner, name, variant } = request.params;
        const { expires } = request.query;
        const path = `/v1/media/${owner}/${name}/${variant}`;
        checkSignedUrl(signer, path, request.query, {
          what: 'media',
          invalid: 'Use the preview_url or image_url exactly as the API returned it',
          expired: 'Fetch the avatar again (GET /v1/avatars) for fresh URLs',
        });
        const file = await source.read(owner, name, variant);
        if (!file) throw new AppError('NOT_FOUND', 'This avatar image no longer exists');
        reply
          .header('cache-control', `private, max-age=${signer.secondsLeft(expires!)}, immutable`)
          .header('etag', file.etag)
          .header('x-content-type-options', 'nosniff');
        if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
        return reply
          .type(file.contentType)
          .send(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
      },
    );

    app.get(
      '/preview/:token',
      { schema: { hide: true, params: z.object({ token: z.string() }) } },
      async (request, reply) => {
        if (!(await deps.rateLimiter.admit(request, reply))) return reply;
        htmlPageHeaders(
          reply,
          "default-src 'none'; img-src 'self' " +
            new URL(deps.config.publicUrl).origin +
            "; style-src 'unsafe-inline'; frame-src 'self'",
        );
        const opened = await deps.previews.open(request.params.token);
        if ('refused' in opened) {
          return reply
            .code(opened.refused === 'unknown' ? 404 : 410)
            .send(renderPreviewRefusal(opened.refused));
        }
        const publicAvatar = findPublicAvatar(opened.avatarId);
        const row = publicAvatar ? undefined : await deps.store.avatars.findById(opened.avatarId);
        if (!publicAvatar && !row) return reply.code(410).send(renderPreviewRefusal('unknown'));
        const path = publicAvatar
          ? publicMediaPath(publicAvatar.slug, 'preview')
          : userMediaPath(row!.id, 'preview');
        const name = publicAvatar?.name ?? row!.name;
        const previewUrl = signer.shortUrl(path, PREVIEW_IMAGE_TTL_S);
        const { startPreview } = deps.live;
        if (!startPreview || !deps.live.hasCapacity())
          return reply.send(renderPreviewPage({ name, previewUrl }));
        try {
          const room = await startPreview({ avatarId: opened.avatarId, name });
          const roomUrl = `/rooms/${room.roomName}?token=${encodeURIComponent(room.token)}`;
          return reply.send(renderLivePreviewPage({ name, previewUrl, roomUrl }));
        } catch (error) {
          request.log.warn({ err: error }, 'live preview did not start');
          return reply.send(renderPreviewPage({ name, previewUrl }));
        }
      },
    );
  };
