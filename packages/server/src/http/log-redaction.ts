/**
 * @module Logs without secrets: join tokens, media signatures and preview tokens never reach a log, nor do the
 * parameters of a failed query.
 */
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

// Fields of database driver errors that hold row values: a failed query's parameters carry room tokens,
// customer room tokens and token hashes; PostgreSQL's `detail` may echo the failing row.
const VALUE_FIELDS = new Set(['params', 'parameters', 'detail', 'where', 'internalQuery']);
const PARAMS_LINE = /\nparams: [\s\S]*$/;

/**
 * The `err` serializer: type, message, stack, code-like fields and causes, with a failed query's parameters
 * (Drizzle appends them to its message) and every value-bearing driver field removed.
 */
export function serializeError(error: Error): {
  type: string;
  message: string;
  stack: string;
  [key: string]: unknown;
} {
  const out = redactError(error, 0) as Record<string, unknown>;
  return { ...out, type: String(out.type), message: String(out.message), stack: String(out.stack ?? '') };
}

function redactError(error: unknown, depth: number): unknown {
  if (!(error instanceof Error)) return error;
  const message = error.message.replace(PARAMS_LINE, '\nparams: [redacted]');
  const out: Record<string, unknown> = {
    type: error.constructor?.name ?? error.name,
    message,
    stack: error.stack?.replace(error.message, message),
  };
  for (const [key, value] of Object.entries(error)) {
    if (VALUE_FIELDS.has(key) || key === 'cause' || key in out) continue;
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) out[key] = value;
  }
  if (error.cause !== undefined && depth < 4) out.cause = redactError(error.cause, depth + 1);
  return out;
}
