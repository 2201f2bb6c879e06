/** @module API key strings: generation (ah_live_ + 32 base62), the stored hash, the display prefix. */
import { createHash, randomInt } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export type KeyEnvironment = 'live' | 'test';

export function generateApiKey(environment: KeyEnvironment = 'live'): string {
  let body = '';
  for (let i = 0; i < 32; i++) body += BASE62[randomInt(62)];
  return `ah_${environment}_${body}`;
}

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** Enough to recognise a key in a list, too little to guess it: `ah_live_AbCd…`. */
export const displayPrefix = (key: string): string => `${key.slice(0, 12)}…`;
