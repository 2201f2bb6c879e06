/**
 * @module Recording routes: `GET /v1/sessions/{id}/recording` (API key) and the signed download
 * `GET /v1/recordings/{id}/file?expires&sig` (no API key: the signature is the authorisation).
 */
import {
  RecordingFileParams,
  RecordingFileQuery,
  RecordingReply,
  SessionIdParams,
} from '@agenthuman/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app-deps.js';
import { AppError } from '../http/app-error.js';
import { callerOf } from '../http/caller.js';
import { recordingBlobKey, recordingFilePath } from './recording-files.js';
import { getRecording } from './recording-view.js';

const tags = ['Sessions'];

export const recordingRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/sessions/:session_id/recording',
      {
        schema: {
          tags,
          summary: 'The recording of a session created with record: true',
          description:
            'ready: `url` downloads the MP4 (H.264 + AAC) without an API key until `url_expires_at` (1–2 h; ' +
            'ask again for a fresh one). 409 RECORDING_NOT_READY (details.status recording | processing) ' +
            'while the session runs or the file is being stored; 404 RECORDING_NOT_FOUND for a session that ' +
            'is not recorded; `status: failed` with `failure {code, reason}` when nothing could be kept. ' +
            '`partial: true` when the server stopped mid-session and this is what was recorded until then.',
          params: SessionIdParams,
          response: { 200: RecordingReply },
        },
      },
      async (request) => ({
        success: true as const,
        recording: await getRecording(
          { store: deps.store, signer: deps.media.signer },
          callerOf(request).accountId,
          request.params.session_id,
        ),
      }),
    );
  };

export const recordingFileRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/recordings/:session_id/file',
      {
        schema: {
          tags,
          summary: 'Download a recording (the signed `url` of GET /v1/sessions/{id}/recording)',
          description:
            'No API key: `expires` and `sig` authorise it. 403 INVALID_SIGNATURE when tampered with, 403 ' +
            'LINK_EXPIRED after expiry, 404 when the recording no longer exists.',
          params: RecordingFileParams,
          querystring: RecordingFileQuery,
          security: [],
        },
      },
      async (request, reply) => {
        const { session_id: sessionId } = request.params;
        const { expires, sig } = request.query;
        const { signer } = deps.media;
        const check = signer.check(recordingFilePath(sessionId), expires, sig);
        if (check === 'invalid') {
          throw new AppError('INVALID_SIGNATURE', 'This recording URL is not valid', {
            suggestion: 'Use the url of GET /v1/sessions/{id}/recording exactly as the API returned it',
          });
        }
        if (check === 'expired') {
          throw new AppError('LINK_EXPIRED', 'This recording URL has expired', {
            suggestion: 'GET /v1/sessions/{id}/recording again for a fresh URL',
          });
        }
        const bytes = await deps.blobs.get(recordingBlobKey(sessionId));
        if (!bytes) throw new AppError('NOT_FOUND', 'This recording no longer exists');
        return reply
          .type('video/mp4')
          .header('cache-control', `private, max-age=${signer.secondsLeft(expires!)}, immutable`)
          .header('content-disposition', `attachment; filename="${sessionId}.mp4"`)
          .header('x-content-type-options', 'nosniff')
          .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      },
    );
  };
