import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, retryDelayMs, serverRetryAfterMs } from './retry-delay.js';

const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });

describe('serverRetryAfterMs', () => {
  it('prefers Retry-After seconds, then X-RateLimit-Reset in unix seconds', () => {
    const now = 1_700_000_000_000;
    expect(serverRetryAfterMs(headers({ 'retry-after': '7', 'x-ratelimit-reset': '1700000030' }), now)).toBe(
      7000,
    );
    expect(serverRetryAfterMs(headers({ 'x-ratelimit-reset': '1700000030' }), now)).toBe(30_000);
    expect(serverRetryAfterMs(headers({}), now)).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  it('grows exponentially under a jittered ceiling when the server says nothing', () => {
    const top = () => 0.999;
    expect(retryDelayMs(0, DEFAULT_RETRY_POLICY, undefined, top)).toBeCloseTo(499.5);
    expect(retryDelayMs(3, DEFAULT_RETRY_POLICY, undefined, top)).toBeCloseTo(3996);
    expect(retryDelayMs(3, DEFAULT_RETRY_POLICY, undefined, () => 0)).toBe(0);
  });

  it('waits what the server asked plus a little jitter, capped by maxDelayMs', () => {
    expect(retryDelayMs(0, DEFAULT_RETRY_POLICY, 2000, () => 0.5)).toBe(2125);
    expect(retryDelayMs(0, { ...DEFAULT_RETRY_POLICY, maxDelayMs: 100 }, 2000, () => 0.5)).toBe(100);
  });
});
