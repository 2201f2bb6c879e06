/** @module A signed URL's signature and expiry checked, as the coded 403s every signed download answers. */
import { AppError } from '../../http/app-error.js';
import type { MediaSigner } from './media-signer.js';

export type SignedUrlWords = {
  /** What the URL is, in the messages: "media", "recording". */
  what: string;
  /** How to get a good URL (tampered or malformed). */
  invalid: string;
  /** How to get a fresh one (expired). */
  expired: string;
};

/** Throws 403 INVALID_SIGNATURE or LINK_EXPIRED unless `expires` + `sig` sign `path` and have not run out. */
export function checkSignedUrl(
  signer: MediaSigner,
  path: string,
  query: { expires?: string | undefined; sig?: string | undefined },
  words: SignedUrlWords,
): void {
  const check = signer.check(path, query.expires, query.sig);
  if (check === 'invalid') {
    throw new AppError('INVALID_SIGNATURE', `This ${words.what} URL is not valid`, {
      suggestion: words.invalid,
    });
  }
  if (check === 'expired') {
    throw new AppError('LINK_EXPIRED', `This ${words.what} URL has expired`, { suggestion: words.expired });
  }
}
