/**
 * @module API-key authentication. Lookups are cached in memory (sha256 of the key → account) for a short time
 * so a hot GET costs no database round trip; deactivating or deleting a key drops it from the cache at once,
 * here and, through `revocations` (Redis pub/sub when REDIS_URL is set), in every other API process; without
 * it other processes see the change within the cache lifetime.
 */
import { AUTH_MESSAGES } from '@agenthuman/protocol';
import type { Store } from '@agenthuman/store';
import type { FastifyRequest } from 'fastify';
import { hashApiKey } from '../keys/api-key-secret.js';
import { AppError } from './app-error.js';

export type Caller = { accountId: string; keyId: string; isAdmin: boolean };

type CacheEntry = { caller: Caller; deactivated: boolean; expiresAtMs: number };

const CACHE_TTL_MS = 30_000;
const TOUCH_EVERY_MS = 60_000;
const MAX_CACHE_ENTRIES = 100_000;

export type Authenticator = ReturnType<typeof createAuthenticator>;

/** How revocations reach the other API processes (cluster/key-revocations.ts). */
export type KeyRevocations = {
  /** Tells every other process; resolves once sent (or queued for a retry). */
  announce(keyId: string): Promise<void>;
  /** `keyId` undefined: forget every cached key (revocations may have been missed). */
  onRevoked(listener: (keyId: string | undefined) => void): void;
};

export function createAuthenticator(
  store: Store,
  options: { onFailure?: (request: FastifyRequest) => void; revocations?: KeyRevocations } = {},
) {
  const cache = new Map<string, CacheEntry>();
  const touchedAtMs = new Map<string, number>();
  const forgetLocally = (keyId: string | undefined) => {
    if (keyId === undefined) return cache.clear();
    for (const [hash, entry] of cache) if (entry.caller.keyId === keyId) cache.delete(hash);
  };
  options.revocations?.onRevoked(forgetLocally);

  async function lookup(hash: string, nowMs: number): Promise<CacheEntry | undefined> {
    const cached = cache.get(hash);
    if (cached && cached.expiresAtMs > nowMs) return cached;
    const found = await store.apiKeys.findByHash(hash);
    if (!found) {
      cache.delete(hash);
      return undefined;
    }
    if (cache.size >= MAX_CACHE_ENTRIES) cache.clear();
    const entry: CacheEntry = {
      caller: { accountId: found.account.id, keyId: found.key.id, isAdmin: found.account.isAdmin },
      deactivated: found.key.deactivatedAt !== null,
      expiresAtMs: nowMs + CACHE_TTL_MS,
    };
    cache.set(hash, entry);
    return entry;
  }

  function touch(keyId: string, nowMs: number) {
    if (nowMs - (touchedAtMs.get(keyId) ?? 0) < TOUCH_EVERY_MS) return;
    touchedAtMs.set(keyId, nowMs);
    store.apiKeys.touch(keyId, new Date(nowMs)).catch(() => undefined);
  }

  return {
    async authenticate(request: FastifyRequest): Promise<Caller> {
      const fail = (code: keyof typeof AUTH_MESSAGES) => {
        options.onFailure?.(request);
        return new AppError(code, AUTH_MESSAGES[code]);
      };
      const key = request.headers['x-api-key'];
      if (typeof key !== 'string' || key.length === 0) throw fail('API_KEY_REQUIRED');
      const nowMs = Date.now();
      const entry = await lookup(hashApiKey(key), nowMs);
      if (!entry) throw fail('INVALID_API_KEY');
      if (entry.deactivated) throw fail('API_KEY_DEACTIVATED');
      touch(entry.caller.keyId, nowMs);
      return entry.caller;
    },

    /** Called after a key is deactivated or deleted; resolves once the other processes were told. */
    async forgetKey(keyId: string): Promise<void> {
      forgetLocally(keyId);
      await options.revocations?.announce(keyId);
    },
  };
}
