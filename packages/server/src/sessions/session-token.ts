/** @module The session's streaming credential (`session_token` / `access_token`): random, stored only as a hash. */
import { createHash, randomBytes } from 'node:crypto';

export const generateSessionToken = () => `st_${randomBytes(24).toString('base64url')}`;

export const hashSessionToken = (token: string) => createHash('sha256').update(token).digest('hex');
