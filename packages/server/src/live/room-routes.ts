/**
 * @module The built-in room over HTTP, no API key (the room token is the authorisation): `GET /rooms/{name}`
 * (the viewer page, which reads `?token=` itself), `POST /rooms/{name}/whep` (SDP offer → answer),
 * `GET /rooms/{name}/whep` (still live? the page polls it) and `DELETE /rooms/{name}/whep/{viewerId}`.
 * Signalling goes to `RoomHub.handle`; the ICE servers come from config.
 */
import { renderViewerPage, type WhepRequest, type WhepResponse } from '@agenthuman/rooms';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { LiveConfig } from '../config/config.js';
import { htmlPageHeaders } from '../http/html-page.js';
import type { LiveSessions } from './live-sessions.js';

/** Answers a room's signalling: this process's rooms, or (a cluster API) the worker that runs the room. */
export type RoomSignalling = (request: WhepRequest) => Promise<WhepResponse>;

/** Signalling for the rooms of this process; a valid viewer of a lazily started session starts its media. */
export function localSignalling(live: LiveSessions): RoomSignalling {
  return async (request) => {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(request.authorization ?? '')?.[1];
    if (request.method === 'POST' && token) await live.ensureForRoomToken(token);
    return live.hub.handle(request);
  };
}

const MAX_SDP_BYTES = 64 * 1024;
const ROOM_NAME = /^[A-Za-z0-9_-]{1,128}$/;

type RoomParams = { name: string; viewerId?: string };

export function roomRoutes(deps: { signalling: RoomSignalling; config: LiveConfig }): FastifyPluginAsync {
  return async (app) => {
    app.addContentTypeParser(
      'application/sdp',
      { parseAs: 'string', bodyLimit: MAX_SDP_BYTES },
      (_req, body, done) => done(null, body),
    );

    app.get<{ Params: RoomParams }>('/rooms/:name', { schema: { hide: true } }, async (request, reply) => {
      const { name } = request.params;
      if (!ROOM_NAME.test(name)) return notFound(reply);
      return htmlPageHeaders(reply).send(
        renderViewerPage({
          roomName: name,
          whepUrl: `/rooms/${name}/whep`,
          iceServers: deps.config.iceServers,
          title: 'agenthuman — live avatar',
        }),
      );
    });

    const signal = async (
      request: {
        method: string;
        url: string;
        headers: Record<string, string | string[] | undefined>;
        body: unknown;
      },
      reply: FastifyReply,
      params: RoomParams,
    ) => {
      if (!ROOM_NAME.test(params.name)) return notFound(reply);
      const response = await deps.signalling({
        method: request.method,
        roomName: params.name,
        viewerId: params.viewerId,
        path: request.url.split('?')[0] ?? request.url,
        authorization: header(request.headers.authorization),
        contentType: header(request.headers['content-type']),
        body: typeof request.body === 'string' ? request.body : undefined,
      });
      return reply.code(response.status).headers(response.headers).send(response.body);
    };

    app.route<{ Params: RoomParams }>({
      method: ['POST', 'PATCH'],
      url: '/rooms/:name/whep',
      schema: { hide: true },
      handler: (request, reply) => signal(request, reply, request.params),
    });
    // Each joined room page polls this every second: not worth two log lines each time.
    app.get<{ Params: RoomParams }>(
      '/rooms/:name/whep',
      { schema: { hide: true }, logLevel: 'warn' },
      (request, reply) => signal(request, reply, request.params),
    );
    app.route<{ Params: RoomParams }>({
      method: ['DELETE', 'PATCH'],
      url: '/rooms/:name/whep/:viewerId',
      schema: { hide: true },
      handler: (request, reply) => signal(request, reply, request.params),
    });
  };
}

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

const notFound = (reply: FastifyReply) =>
  reply.code(404).send({ success: false, error: { message: 'Room not found', code: 'ROOM_NOT_FOUND' } });
