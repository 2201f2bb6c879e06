/** @module Request logs without secrets: join tokens, media signatures and preview tokens never reach a log. */
import type { FastifyRequest } from 'fastify';

const SECRET_QUERY_KEYS = new Set(['token', 'sig', 'session_token', 'access_token', 'api_key', 'key']);
// Paths whose last segment is itself a credential (single-use preview links).
const SECRET_PATH = /^(\/preview\/)[^/?]+/;

export function redactUrl(url: string): string {
  const [path = '', query] = url.split('?', 2);
  const safePath = path.replace(SECRET_PATH, '$1[redacted]');
  if (query === undefined) return safePath;
  const params = new URLSearchParams(query);
  for (const key of [...params.keys()])
    if (SECRET_QUERY_KEYS.has(key.toLowerCase())) params.set(key, '[redacted]');
  return `${safePath}?${params.toString().replaceAll('%5Bredacted%5D', '[redacted]')}`;
}

/** Fastify's default `req` serializer, with the URL redacted. */
export function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
