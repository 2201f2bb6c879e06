/**
 * @module Agent turns on a cluster API process: `/v1/sessions/{id}/messages` (and the legacy
 * `/api/v1/sessions/{seq}/messages`) of a session whose media runs on a worker goes to that worker as it is
 * (its conversation lives with its media), streamed back (SSE included).
 * The API's rate limit applies first; the worker authenticates the caller itself, so a foreign session answers
 * there exactly like an unknown one. Sessions without a worker (agent_chat, unknown ids) stay with the local
 * routes.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../http/app-error.js';
import type { RateLimiter } from '../http/rate-limit.js';
import { INTERNAL_HEADER } from './internal-auth.js';

const MESSAGES = /^\/v1\/sessions\/([^/?#]+)\/messages(?:[?#]|$)/;
/** The legacy dialect names sessions by their integer id; anything else is the local route's 400 to give. */
const LEGACY_MESSAGES = /^\/api\/v1\/sessions\/(\d{1,10})\/messages(?:[?#]|$)/;
const INT32_MAX = 2_147_483_647;
const HOP_BY_HOP = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'keep-alive',
  'upgrade',
]);
const REPLY_HEADERS = ['content-type', 'cache-control', 'x-accel-buffering'];

export type MessageRelay = {
  internalSecret: string;
  rateLimiter: RateLimiter;
  /** The session's worker URL, `'none'` (no media: answered here) or `'unreachable'` (its worker is gone). */
  workerOf(sessionId: string): Promise<string | 'none' | 'unreachable'>;
  /** The same, for a session named by its legacy integer id. */
  workerOfSeq(seq: number): Promise<string | 'none' | 'unreachable'>;
};

/** Where the request's session runs, or undefined when the request is no message to a session. */
function workerOfRequest(
  url: string,
  relay: MessageRelay,
): Promise<string | 'none' | 'unreachable'> | undefined {
  const legacy = LEGACY_MESSAGES.exec(url)?.[1];
  if (legacy) {
    const seq = Number(legacy);
    return seq > 0 && seq <= INT32_MAX ? relay.workerOfSeq(seq) : undefined;
  }
  const id = MESSAGES.exec(url)?.[1];
  if (!id) return undefined;
  try {
    return relay.workerOf(decodeURIComponent(id));
  } catch {
    return undefined;
  }
}

const workerUnreachable = () =>
  new AppError('NO_CAPACITY', 'The worker running this session did not answer', {
    suggestion: 'Try again in a few seconds (a session in a LiveKit room resumes on another worker)',
  });

export function installMessageRelay(app: FastifyInstance, relay: MessageRelay): void {
  app.addHook('onRequest', async (request, reply) => {
    const found = workerOfRequest(request.url, relay);
    if (!found) return;
    const url = await found.catch(() => 'none' as const);
    if (url === 'none') return;
    if (!(await relay.rateLimiter.admit(request, reply))) return reply;
    // Not answered here: this process would start a voiceless conversation beside the session's real one.
    if (url === 'unreachable') throw workerUnreachable();
    const headers: Record<string, string> = { [INTERNAL_HEADER]: relay.internalSecret };
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string' && !HOP_BY_HOP.has(name) && name !== INTERNAL_HEADER)
        headers[name] = value;
    }
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const response = await fetch(`${url}${request.url}`, {
      method: request.method,
      headers,
      ...(hasBody ? { body: Readable.toWeb(request.raw) as ReadableStream, duplex: 'half' } : {}),
    } as RequestInit).catch(() => undefined);
    if (!response) throw workerUnreachable();
    reply.code(response.status);
    for (const name of REPLY_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) reply.header(name, value);
    }
    return reply.send(response.body ? Readable.fromWeb(response.body as never) : '');
  });
}
