/**
 * @module The headers of every HTML page the server renders (room, link and preview pages): never cached, no
 * Referer out of it (its URL may carry a token), and the page's own Content-Security-Policy where it has one.
 */
import type { FastifyReply } from 'fastify';

export function htmlPageHeaders<R extends FastifyReply>(reply: R, contentSecurityPolicy?: string): R {
  reply
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer');
  if (contentSecurityPolicy !== undefined) reply.header('content-security-policy', contentSecurityPolicy);
  return reply;
}
