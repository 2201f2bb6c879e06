/**
 * @module Join tokens for the built-in room: `<base64url claims>.<base64url HMAC-SHA256>`, signed with the
 * server secret shared by every API process. The room server verifies them with `verifyRoomToken`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type RoomTokenClaims = {
  /** Room name. */
  room: string;
  session_id: string;
  /** Who joins: the caller's end user (`client`) or the avatar itself (`avatar`). */
  role: 'client' | 'avatar';
  /** Expiry, unix seconds. */
  exp: number;
};

const sign = (secret: string, payload: string) =>
  createHmac('sha256', secret).update(payload).digest('base64url');

export function signRoomToken(secret: string, claims: RoomTokenClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

/** The claims of a valid, unexpired token; undefined for anything else. */
export function verifyRoomToken(
  secret: string,
  token: string,
  nowMs = Date.now(),
): RoomTokenClaims | undefined {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as RoomTokenClaims;
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) return undefined;
    if (typeof claims.room !== 'string' || typeof claims.session_id !== 'string') return undefined;
    return claims;
  } catch {
    return undefined;
  }
}
