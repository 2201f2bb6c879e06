/** @module `/v1/sessions` routes: parse, call one use case, shape the reply. */
import {
  CreateSessionBody,
  CreateSessionReply,
  DeleteSessionReply,
  EndSessionReply,
  ListSessionsQuery,
  ListSessionsReply,
  SessionIdParams,
  SessionReply,
  StartSessionReply,
} from '@agenthuman/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app-deps.js';
import { sessionNotFound } from '../http/app-error.js';
import { callerOf } from '../http/caller.js';
import { createSession } from './create-session.js';
import { deleteSession } from './delete-session.js';
import { endSession } from './end-session.js';
import { listSessions } from './list-sessions.js';
import { toSessionView, wsUriFor } from './session-view.js';
import { startSession } from './start-session.js';

const tags = ['Sessions'];

const CREATE_DESCRIPTION = [
  'Rooms (`room`, current and seed shapes):',
  '- absent: the platform makes a room of the default kind (the built-in WebRTC room, or a LiveKit room with',
  '  AGENTHUMAN_ROOMS=livekit) and shows it in `session.room` `{platform, name, url, token}`; a LiveKit room',
  '  comes with a subscribe-only viewer token.',
  '- `{"platform":"livekit","url","token"}`: your own LiveKit room. `url` is ws(s):// or http(s)://, `token`',
  '  a LiveKit token for the avatar (identity `agenthuman-avatar-agent`, kind agent, attribute',
  '  `lk.publish_on_behalf` = your agent). The avatar speaks the LiveKit Agents avatar protocol there',
  '  (`lk.audio_stream`, `lk.clear_buffer`, `lk.playback_finished`). Stored, never echoed.',
  '- `{"platform":"proxy"}`: the platform makes a LiveKit room and answers `session.room = {roomURL,',
  '  participantToken}` (create reply only). Only that participant may send the avatar speech or interrupt',
  '  it. Needs LIVEKIT_URL/LIVEKIT_API_KEY/LIVEKIT_API_SECRET (else 400 LIVEKIT_NOT_CONFIGURED); 502',
  '  LIVEKIT_UNAVAILABLE when the LiveKit server does not answer.',
  '- `{"platform":"daily"}`: 400 DAILY_NOT_SUPPORTED (field `room.platform`) until Daily rooms are implemented.',
  '',
  '`duration`: sessions created with `avatar` count whole seconds while running (0 before start), as the',
  'official Pipecat client expects; seed-shape (`avatar_id`) and agent sessions show null until ended.',
  '`daily_room` is always present (null: no Daily room).',
].join('\n');

export const sessionRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { store, config, avatars } = deps;
    const plans = config.plans;

    app.post(
      '/v1/sessions',
      {
        schema: {
          tags,
          summary: 'Create a session (seed avatar_id shape, current avatar shape, or agent shape)',
          description: CREATE_DESCRIPTION,
          body: CreateSessionBody.optional(),
          response: { 200: CreateSessionReply },
        },
      },
      async (request) => {
        const created = await createSession(deps, callerOf(request).accountId, request.body ?? {});
        await deps.conversations.open(created.row);
        const session = toSessionView(created.row, avatars);
        session.access_token = created.token;
        session.session_token = created.token;
        if (created.createOnlyRoom) session.room = created.createOnlyRoom;
        if (created.row.startedAt && created.row.sessionType !== 'agent_chat')
          session.ws_uri = wsUriFor(config.publicUrl, created.row.id);
        return { success: true as const, session, usage: created.usage, message: created.message };
      },
    );

    app.get(
      '/v1/sessions',
      {
        schema: {
          tags,
          summary: 'List sessions, newest first',
          querystring: ListSessionsQuery,
          response: { 200: ListSessionsReply },
        },
      },
      async (request) => {
        const page = await listSessions(deps, callerOf(request).accountId, request.query);
        return {
          success: true as const,
          sessions: page.rows.map((row) => toSessionView(row, avatars)),
          has_more: page.nextCursor !== null,
          next_cursor: page.nextCursor,
        };
      },
    );

    app.get(
      '/v1/sessions/:session_id',
      {
        schema: { tags, summary: 'Get a session', params: SessionIdParams, response: { 200: SessionReply } },
      },
      async (request) => {
        const row = await store.sessions.findForAccount(
          callerOf(request).accountId,
          request.params.session_id,
        );
        if (!row) throw sessionNotFound();
        return { success: true as const, session: toSessionView(row, avatars) };
      },
    );

    for (const method of ['PUT', 'POST'] as const) {
      app.route({
        method,
        url: '/v1/sessions/:session_id/start',
        schema: {
          tags,
          summary: 'Start a created session (safe to retry)',
          params: SessionIdParams,
          response: { 200: StartSessionReply },
        },
        handler: async (request) => {
          const row = await startSession(
            { store, plans, lifecycle: deps.lifecycle, live: deps.live },
            callerOf(request).accountId,
            request.params.session_id,
          );
          if (!row) {
            return {
              success: true as const,
              ws_uri: 'try_again',
              expiration: null,
              message: 'No avatar worker is free yet; call start again in a few seconds',
            };
          }
          return {
            success: true as const,
            ws_uri: wsUriFor(config.publicUrl, row.id),
            expiration: row.expiration?.toISOString() ?? null,
            message: 'Session started successfully',
          };
        },
      });

      app.route({
        method,
        url: '/v1/sessions/:session_id/end',
        schema: {
          tags,
          summary: 'End a started session (idempotent)',
          params: SessionIdParams,
          response: { 200: EndSessionReply },
        },
        handler: async (request) => {
          const row = await endSession(deps, callerOf(request).accountId, request.params.session_id);
          return {
            success: true as const,
            session: toSessionView(row, avatars),
            message: 'Session ended successfully',
          };
        },
      });
    }

    app.delete(
      '/v1/sessions/:session_id',
      {
        schema: {
          tags,
          summary: 'Delete a session that never started',
          params: SessionIdParams,
          response: { 200: DeleteSessionReply },
        },
      },
      async (request) => {
        await deleteSession(deps, callerOf(request).accountId, request.params.session_id);
        return { success: true as const, message: 'Session deleted successfully' };
      },
    );
  };
