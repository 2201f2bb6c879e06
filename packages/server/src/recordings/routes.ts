/**
 * @module Recording routes: `GET /v1/sessions/{id}/recording` (API key) and the signed download
 * `GET /v1/recordings/{id}/file?expires&sig` (no API key: the signature is the authorisation).
 */
import { Readable } from 'node:stream';
import {
  RecordingFileParams,
  RecordingFileQuery,
  RecordingReply,
  SessionIdParams,
} from '@agenthuman/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app-deps.js';
import { callerOf } from '../http/caller.js';
import { openRecordingDownload, rangeNotSatisfiable } from './recording-download.js';
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
            'LINK_EXPIRED after expiry, 404 when the recording no longer exists. Streamed; one `Range: ' +
            'bytes=…` range answers 206 with Content-Range (416 RANGE_NOT_SATISFIABLE past the end); several ' +
            'ranges, or `If-Range`, get the whole file.',
          params: RecordingFileParams,
          querystring: RecordingFileQuery,
          security: [],
        },
      },
      async (request, reply) => {
        const download = await openRecordingDownload(
          { blobs: deps.blobs, signer: deps.media.signer },
          {
            sessionId: request.params.session_id,
            expires: request.query.expires,
            sig: request.query.sig,
            range: request.headers.range,
            ifRange: request.headers['if-range'] !== undefined,
            headOnly: request.method === 'HEAD',
          },
        );
        reply.header('accept-ranges', 'bytes');
        if (download.kind === 'unsatisfiable') {
          reply.header('content-range', `bytes */${download.size}`);
          throw rangeNotSatisfiable(download.size);
        }
        const { stream, size, range } = download;
        if (range) {
          reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`);
        }
        return (
          reply
            .type('video/mp4')
            .header('content-length', range ? range.end - range.start + 1 : size)
            .header('cache-control', `private, max-age=${download.maxAgeS}, immutable`)
            .header('content-disposition', `attachment; filename="${request.params.session_id}.mp4"`)
            .header('x-content-type-options', 'nosniff')
            // HEAD: an empty stream keeps the Content-Length above (Fastify's HEAD route would drain a real one).
            .send(stream ?? Readable.from([]))
        );
      },
    );
  };
