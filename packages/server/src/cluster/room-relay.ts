/**
 * @module Built-in room signalling on a cluster API process: the room token names the session, the session's
 * `media_owner` names the worker, and the WHEP request goes there as it is (with the internal header). The
 * media itself flows between the viewer and the worker (ICE). Requests with no valid token, or for a room no
 * worker runs, get the same answers a worker's hub gives (an empty hub here answers them).
 */
import { RoomHub } from '@agenthuman/rooms';
import type { LiveConfig } from '../config/config.js';
import type { RoomSignalling } from '../live/room-routes.js';
import { verifyRoomToken } from '../rooms/room-token.js';
import { INTERNAL_HEADER } from './internal-auth.js';

const FORWARDED_HEADERS = ['content-type', 'location', 'allow', 'cache-control'];

export function relayedSignalling(deps: {
  secret: string;
  internalSecret: string;
  config: LiveConfig;
  workerUrlOf(sessionId: string): Promise<string | undefined>;
}): RoomSignalling {
  const verify = (room: string, token: string) => verifyRoomToken(deps.secret, token)?.room === room;
  const empty = new RoomHub({ verifyToken: verify, iceServers: deps.config.iceServers });
  return async (request) => {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(request.authorization ?? '')?.[1];
    const claims = token ? verifyRoomToken(deps.secret, token) : undefined;
    const url = claims?.room === request.roomName ? await deps.workerUrlOf(claims.session_id) : undefined;
    if (!url) return empty.handle(request);
    const headers: Record<string, string> = { [INTERNAL_HEADER]: deps.internalSecret };
    if (request.authorization) headers.authorization = request.authorization;
    if (request.contentType) headers['content-type'] = request.contentType;
    const response = await fetch(`${url}${request.path}`, {
      method: request.method,
      headers,
      ...(typeof request.body === 'string' && request.method !== 'GET' && request.method !== 'DELETE'
        ? { body: request.body }
        : {}),
      signal: AbortSignal.timeout(15_000),
    }).catch(() => undefined);
    // The worker went away meanwhile: its room is gone with it, as far as this viewer can tell.
    if (!response) return empty.handle(request);
    const out: Record<string, string> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) out[name] = value;
    }
    return { status: response.status, headers: out, body: await response.text() };
  };
}
