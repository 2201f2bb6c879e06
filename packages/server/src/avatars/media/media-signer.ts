/**
 * @module Signed, expiring media URLs: `<publicUrl><path>?expires=<unix s>&sig=<base64url HMAC-SHA256>`.
 * The key is derived from the server secret for this purpose only (HKDF), so a media signature can never
 * stand in for a room token or anything else signed with the same secret.
 *
 * Expiry is rounded to the hour: every URL for a file made within the same hour is identical, so browsers
 * and proxies can cache it, and it stays valid for between one and two hours.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

const HOUR_S = 3600;

export type MediaCheck = 'ok' | 'invalid' | 'expired';
export type MediaSigner = ReturnType<typeof createMediaSigner>;

export function createMediaSigner(options: { secret: string; publicUrl: string; now?: () => number }) {
  const now = options.now ?? Date.now;
  const key = Buffer.from(hkdfSync('sha256', options.secret, 'agenthuman', 'media-url/v1', 32));
  const sign = (path: string, expires: number) =>
    createHmac('sha256', key).update(`${path}\n${expires}`).digest('base64url');

  return {
    /** A URL for `path` (starting with /) valid until at least an hour from now. */
    url(path: string): string {
      const expires = (Math.floor(now() / 1000 / HOUR_S) + 2) * HOUR_S;
      return `${options.publicUrl}${path}?expires=${expires}&sig=${sign(path, expires)}`;
    },

    /** A URL valid for exactly `ttlSeconds` (short-lived pages). */
    shortUrl(path: string, ttlSeconds: number): string {
      const expires = Math.floor(now() / 1000) + ttlSeconds;
      return `${options.publicUrl}${path}?expires=${expires}&sig=${sign(path, expires)}`;
    },

    check(path: string, expires: string | undefined, sig: string | undefined): MediaCheck {
      if (!expires || !sig || !/^\d{1,12}$/.test(expires)) return 'invalid';
      const expected = Buffer.from(sign(path, Number(expires)));
      const given = Buffer.from(sig);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
      return Number(expires) * 1000 <= now() ? 'expired' : 'ok';
    },

    /** Seconds the URL has left (for Cache-Control). */
    secondsLeft(expires: string): number {
      return Math.max(0, Number(expires) - Math.floor(now() / 1000));
    },
  };
}
