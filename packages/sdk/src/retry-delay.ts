/**
 * @module How long to wait before retrying a 429/503: the server's own word first (`Retry-After`, then
 * `X-RateLimit-Reset` in unix seconds), otherwise exponential backoff with full jitter so many clients that
 * failed together do not retry together.
 */

export type RetryPolicy = {
  /** Retries after the first attempt (default 2). */
  maxRetries: number;
  /** First backoff step (default 500 ms); doubles each attempt. */
  baseDelayMs: number;
  /** No single wait is longer than this (default 60 s, one rate-limit window). */
  maxDelayMs: number;
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 2, baseDelayMs: 500, maxDelayMs: 60_000 };

type HeaderReader = { get(name: string): string | null };

/** The wait the server asked for, in ms, or undefined when it did not say. */
export function serverRetryAfterMs(headers: HeaderReader, nowMs = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - nowMs);
  }
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (headers.get('x-ratelimit-reset') && Number.isFinite(reset) && reset > 0) {
    return Math.max(0, reset * 1000 - nowMs);
  }
  return undefined;
}

export function retryDelayMs(
  attempt: number,
  policy: RetryPolicy,
  serverSaysMs: number | undefined,
  random = Math.random,
): number {
  if (serverSaysMs !== undefined) {
    // A little jitter on top so clients released by the same reset do not stampede.
    return Math.min(policy.maxDelayMs, serverSaysMs + random() * 250);
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return random() * ceiling;
}
