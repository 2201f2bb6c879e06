/**
 * @module Fixed one-minute windows per API key (per client IP without one), and one per client IP for failed
 * authentications (so invented keys cannot each open a fresh window), with the documented headers on
 * every response. Written here rather than with @fastify/rate-limit because the contract wants
 * `X-RateLimit-Reset` in unix seconds (the plugin sends seconds-until-reset). With `shared` windows (Redis,
 * when REDIS_URL is set) the counts hold across every API process; when the shared store does not answer, this
 * process's own windows decide, so a Redis outage never blocks or fails a request.
 */
import { RATE_LIMIT_MESSAGE } from '@agenthuman/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hashApiKey } from '../keys/api-key-secret.js';

/** A window's count so far and when it resets (epoch ms). */
export type WindowCount = { count: number; resetAtMs: number };

/** Where the windows live when several processes share them. Each call answers undefined when it cannot. */
export type SharedRateWindows = {
  /**
   * One request: when `failKey` has reached `limit` this window, refuses without counting (`refusedBy:
   * 'failures'`); otherwise counts it against `key`.
   */
  hit(
    failKey: string,
    key: string,
    limit: number,
    windowMs: number,
  ): Promise<{ refusedBy: 'failures' | undefined; window: WindowCount } | undefined>;
  /** One failed authentication against `failKey`; false when it could not be counted. */
  fail(failKey: string, windowMs: number): Promise<boolean>;
};

type Window = { startMs: number; count: number };

const WINDOW_MS = 60_000;

export type RateLimiter = ReturnType<typeof createRateLimiter>;

/** `by: 'ip'` counts per client IP even when a key is sent (public endpoints, where a key proves nothing). */
export function createRateLimiter(options: {
  perMinute: number;
  now?: () => number;
  by?: 'key' | 'ip';
  shared?: SharedRateWindows;
}) {
  const now = options.now ?? Date.now;
  const limit = options.perMinute;
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

  function hitLocally(failKey: string, key: string, at: number) {
    prune(at);
    const failures = windows.get(failKey);
    if (failures && at - failures.startMs < WINDOW_MS && failures.count >= limit) {
      return { refusedBy: 'failures' as const, window: toCount(failures) };
    }
    const window = current(key, at);
    window.count += 1;
    return { refusedBy: undefined, window: toCount(window) };
  }

  return {
    /**
     * Counts one request; answers 429 (and resolves false) when the caller is over its limit, or when its IP
     * has failed authentication more than the limit this window (whatever key it sends now).
     */
    // Named apart from the old synchronous `hit`: a caller that forgot the await would pass every request.
    async admit(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
      const failKey = failureKey(request);
      const key = options.by === 'ip' ? `ip:${request.ip}` : rateLimitKey(request);
      const decision =
        (await options.shared?.hit(failKey, key, limit, WINDOW_MS)) ?? hitLocally(failKey, key, now());
      const { window } = decision;
      reply.header('x-ratelimit-limit', limit);
      reply.header('x-ratelimit-remaining', Math.max(0, limit - window.count));
      reply.header('x-ratelimit-reset', Math.ceil(window.resetAtMs / 1000));
      if (!decision.refusedBy && window.count <= limit) return true;
      reply.header('x-ratelimit-remaining', 0);
      reply.header('retry-after', Math.max(1, Math.ceil((window.resetAtMs - now()) / 1000)));
      reply.code(429).send({ success: false, error: RATE_LIMIT_MESSAGE });
      return false;
    },

    /** A failed authentication: counts against the client IP, so invented keys share one window. */
    authFailed(request: FastifyRequest): void {
      const failKey = failureKey(request);
      const countLocally = () => {
        current(failKey, now()).count += 1;
      };
      if (!options.shared) {
        countLocally();
        return;
      }
      // Not awaited: the failing request is answered 401 anyway. One connection keeps commands in order, so
      // this count still lands before the same client's next request is checked.
      options.shared.fail(failKey, WINDOW_MS).then(
        (counted) => counted || countLocally(),
        () => countLocally(),
      );
    },
  };
}

const toCount = (window: Window): WindowCount => ({
  count: window.count,
  resetAtMs: window.startMs + WINDOW_MS,
});

// request.ip is the forwarded address only when the socket belongs to a trusted proxy (AGENTHUMAN_TRUST_PROXY).
const failureKey = (request: FastifyRequest) => `fail:${request.ip}`;

function rateLimitKey(request: FastifyRequest): string {
  const key = request.headers['x-api-key'];
  if (typeof key === 'string' && key.length > 0) return `k:${hashApiKey(key)}`;
  return `ip:${request.ip}`;
}
