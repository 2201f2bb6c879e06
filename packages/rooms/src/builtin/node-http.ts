import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RoomHub } from './room-hub.js';
import { MAX_SDP_BYTES } from './sdp.js';
import { renderViewerPage } from './viewer-page.js';

export interface RoomHttpOptions {
  /** Path prefix of the room pages and signalling. Default `/rooms`. */
  prefix?: string;
  /** ICE servers handed to the browser. */
  iceServers?: RTCIceServer[];
}

class BodyTooLarge extends Error {}

/** Reads the body as text; past `limit` it keeps draining (so the client can read our 413) up to 1 MB. */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > 1024 * 1024) req.destroy();
    });
    req.on('end', () =>
      size > limit ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

function sendJsonError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ success: false, error: { message, code } }));
}

/**
 * Serves the room page and its signalling on a plain node:http server: `GET {prefix}/{name}` (the page),
 * `POST {prefix}/{name}/whep`, `DELETE {prefix}/{name}/whep/{viewer}`. Returns false for any other path so
 * the caller can answer it. Used by tests and benchmarks; the API server mounts `RoomHub.handle` itself.
 */
export function createRoomRequestHandler(hub: RoomHub, options: RoomHttpOptions = {}) {
  const prefix = (options.prefix ?? '/rooms').replace(/\/+$/, '');
  const pattern = new RegExp(
    `^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/([^/]+)(/whep(?:/([^/]+))?)?/?$`,
  );
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = pattern.exec(url.pathname);
    if (!match) return false;
    const roomName = decodeURIComponent(match[1] ?? '');
    if (!match[2]) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendJsonError(res, 405, 'METHOD_NOT_ALLOWED', 'the room page only answers GET');
        return true;
      }
      const html = renderViewerPage({
        roomName,
        whepUrl: `${prefix}/${encodeURIComponent(roomName)}/whep`,
        iceServers: options.iceServers ?? [],
      });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : html);
      return true;
    }
    let body = '';
    try {
      body = await readBody(req, MAX_SDP_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        sendJsonError(res, 413, 'PAYLOAD_TOO_LARGE', `the SDP offer is larger than ${MAX_SDP_BYTES} bytes`);
      } else res.destroy();
      return true;
    }
    const response = await hub.handle({
      method: req.method ?? 'GET',
      roomName,
      viewerId: match[3] === undefined ? undefined : decodeURIComponent(match[3]),
      path: url.pathname,
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      body,
    });
    res.writeHead(response.status, response.headers);
    res.end(response.body);
    return true;
  };
}
