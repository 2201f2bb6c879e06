/**
 * @module How a worker knows a request comes from an API process: a secret derived from `settings.server_secret`
 * (which every process of one deployment reads from the same database) in one header. API keys never reach
 * the internal endpoints, and the secret itself never leaves the processes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const INTERNAL_HEADER = 'x-agenthuman-internal';

/** A derived value, so the room-token signing secret is never sent over the wire itself. */
export const internalSecretOf = (serverSecret: string): string =>
  createHmac('sha256', serverSecret).update('agenthuman internal v1').digest('base64url');

export function isInternalRequest(header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== 'string') return false;
  const given = Buffer.from(header);
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
