/**
 * @module `/ws`: the command channel (spec section 7). Outside the API-key scope and its per-key REST limit;
 * upgrades have their own per-IP limit. Frames are capped at 10 MB by `ws` itself (close 1009, with a reason and
 * a MESSAGE_TOO_LARGE error first). The server pings every interval and terminates a socket that did not
 * answer the previous ping.
 */

import { RATE_LIMIT_MESSAGE, WS_MAX_FRAME_BYTES } from '@agenthuman/protocol';
import type { Store } from '@agenthuman/store';
import fastifyWebsocket from '@fastify/websocket';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { LiveConfig } from '../../config/config.js';
import type { LiveSessions } from '../live-sessions.js';
import { type ActiveSockets, CLOSE_TOO_LARGE, WsConnection } from './ws-connection.js';

const WINDOW_MS = 60_000;

/** What the gateway keeps per socket: its keepalive flag (set by the pong handler) and the socket. */
export type GatewaySocket = { alive: boolean; readonly socket: WebSocket };

/** The sockets of a process that runs media: each is a WsConnection on this process's live registry. */
export function localConnections(deps: { store: Store; live: LiveSessions }) {
  const active: ActiveSockets = new Map();
  return (socket: WebSocket, request: FastifyRequest): GatewaySocket => {
    const query = request.query as { session_id?: unknown };
    const expected = typeof query.session_id === 'string' && query.session_id ? query.session_id : undefined;
    return new WsConnection(
      socket,
      { store: deps.store, live: deps.live, active, log: request.log },
      expected,
    );
  };
}

export function wsGateway(deps: {
  config: LiveConfig;
  /** Makes the handler of a new socket (a local connection, or a cluster API's relay to a worker). */
  connect: (socket: WebSocket, request: FastifyRequest) => GatewaySocket;
}): FastifyPluginAsync {
  return async (app) => {
    await app.register(fastifyWebsocket, { options: { maxPayload: WS_MAX_FRAME_BYTES } });
    const connections = new Set<GatewaySocket>();
    const upgrades = new Map<string, { startMs: number; count: number }>();

    const keepalive = setInterval(() => {
      for (const connection of connections) {
        if (!connection.alive) {
          connection.socket.terminate();
          continue;
        }
        connection.alive = false;
        connection.socket.ping();
      }
    }, deps.config.wsPingIntervalMs);
    keepalive.unref();
    app.addHook('onClose', async () => clearInterval(keepalive));

    app.get(
      '/ws',
      {
        websocket: true,
        schema: { hide: true },
        onRequest: async (request, reply) => {
          const now = Date.now();
          for (const [ip, window] of upgrades) if (now - window.startMs >= WINDOW_MS) upgrades.delete(ip);
          const window = upgrades.get(request.ip) ?? { startMs: now, count: 0 };
          upgrades.set(request.ip, window);
          window.count += 1;
          if (window.count > deps.config.wsUpgradesPerMinute) {
            reply.header('retry-after', Math.ceil((window.startMs + WINDOW_MS - now) / 1000));
            return reply.code(429).send({ success: false, error: RATE_LIMIT_MESSAGE });
          }
        },
      },
      (socket, request) => {
        explainOversizeClose(socket);
        const connection = deps.connect(socket, request);
        connections.add(connection);
        socket.on('close', () => connections.delete(connection));
      },
    );
  };
}

/**
 * `ws` closes an over-size frame with a bare 1009. The client is told why: an error event first, then a reason
 * on the close frame.
 */
function explainOversizeClose(socket: WebSocket): void {
  const close = socket.close.bind(socket);
  socket.close = (code?: number, reason?: string | Buffer) => {
    if (code === CLOSE_TOO_LARGE && !reason) {
      const message = `Message too large: frames may be at most ${WS_MAX_FRAME_BYTES / (1024 * 1024)} MB`;
      if (socket.readyState === socket.OPEN) {
        socket.send(JSON.stringify({ type: 'error', code: 'MESSAGE_TOO_LARGE', error: message }));
      }
      return close(code, message);
    }
    return close(code, reason);
  };
}
