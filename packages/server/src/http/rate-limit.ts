/**
 * @module Fixed one-minute windows per API key (per client IP without one), and one per client IP for failed
 * authentications (so invented keys cannot each open a fresh window), with the documented headers on
 * every response. Written here rather than with @fastify/rate-limit because the contract wants
 * `X-RateLimit-Reset` in unix seconds (the plugin sends seconds-until-reset). Counters are per process.
 */
import { RATE_LIMIT_MESSAGE } from '@agenthuman/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hashApiKey } from '../keys/api-key-secret.js';

type Window = { startMs: number; count: number };

const WINDOW_MS = 60_000;

export type RateLimiter = ReturnType<typeof createRateLimiter>;

/** `by: 'ip'` counts per client IP even when a key is sent (public endpoints, where a key proves nothing). */
export function createRateLimiter(options: { perMinute: number; now?: () => number; by?: 'key' | 'ip' }) {
  const now = options.now ?? Date.now;
  const windows = new Map<string, Window>();
  let lastPruneMs = 0;

  function prune(at: number) {
    if (at - lastPruneMs < WINDOW_MS) return;
    lastPruneMs = at;
    for (const [key, window] of windows) if (at - window.startMs >= WINDOW_MS) windows.delete(key);
  }

  function current(key: string, at: number): Window {
    let window = windows.get(key);
    if (!window || at - window.startMs >= WINDOW_MS) {
      window = { startMs: at, count: 0 };
      windows.set(key, window);
    }
    return window;
  }

  return {
    /**
     * Counts one request; answers 429 (and returns false) when the caller is over its limit, or when its IP
     * has failed authentication more than the limit this window (whatever key it sends now).
     */
    hit(request: FastifyRequest, reply: FastifyReply): boolean {
      const at = now();
      prune(at);
      const failures = windows.get(failureKey(request));
      if (failures && at - failures.startMs < WINDOW_MS && failures.count >= options.perMinute) {
        return refuse(failures, reply, at);
      }
      const window = current(options.by === 'ip' ? `ip:${request.ip}` : rateLimitKey(request), at);
      window.count += 1;
      const remaining = Math.max(0, options.perMinute - window.count);
      reply.header('x-ratelimit-limit', options.perMinute);
      reply.header('x-ratelimit-remaining', remaining);
      reply.header('x-ratelimit-reset', Math.ceil((window.startMs + WINDOW_MS) / 1000));
      if (window.count <= options.perMinute) return true;
      return refuse(window, reply, at);
    },

    /** A failed authentication: counts against the client IP, so invented keys share one window. */
    authFailed(request: FastifyRequest): void {
      const at = now();
      current(failureKey(request), at).count += 1;
    },
  };

  function refuse(window: Window, reply: FastifyReply, at: number): false {
    reply.header('x-ratelimit-limit', options.perMinute);
    reply.header('x-ratelimit-remaining', 0);
    reply.header('x-ratelimit-reset', Math.ceil((window.startMs + WINDOW_MS) / 1000));
    reply.header('retry-after', Math.ceil((window.startMs + WINDOW_MS - at) / 1000));
    reply.code(429).send({ success: false, error: RATE_LIMIT_MESSAGE });
    return false;
  }
}

// request.ip is the forwarded address only when the socket belongs to a trusted proxy (AGENTHUMAN_TRUST_PROXY).
const failureKey = (request: FastifyRequest) => `fail:${request.ip}`;

function rateLimitKey(request: FastifyRequest): string {
  const key = request.headers['x-api-key'];
  if (typeof key === 'string' && key.length > 0) return `k:${hashApiKey(key)}`;
  return `ip:${request.ip}`;
}
