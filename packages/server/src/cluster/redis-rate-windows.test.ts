import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../testing/redis-server.js';
import { closeRedisClient, createRedisClient } from './redis.js';
import { createRedisRateWindows } from './redis-rate-windows.js';

describe('rate-limit windows in Redis', () => {
  let redis: TestRedis;
  let client: ReturnType<typeof createRedisClient>;
  beforeAll(async () => {
    redis = await startTestRedis();
    client = createRedisClient(redis.url, { maxBackoffMs: 100 });
    // Connected first: before that every call answers undefined (fall back), by design.
    await client.ping();
  });
  afterAll(async () => {
    await closeRedisClient(client);
    await redis?.stop();
  });

  it('counts within a window, resets when it expires, and sets the expiry once per window', async () => {
    const windows = createRedisRateWindows(client, { prefix: 'test:a:' });
    const first = await windows.hit('fail:1', 'k:1', 10, 300);
    const second = await windows.hit('fail:1', 'k:1', 10, 300);
    expect(first?.window.count).toBe(1);
    expect(second?.window.count).toBe(2);
    // The second hit did not push the window's end out: it reads the very same end, to the millisecond (what
    // keeps two processes' x-ratelimit-reset equal).
    expect(second!.window.resetAtMs).toBe(first!.window.resetAtMs);
    expect(Math.abs(first!.window.resetAtMs - (Date.now() + 300))).toBeLessThan(250);
    expect(await client.pttl('test:a:k:1')).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await windows.hit('fail:1', 'k:1', 10, 300))?.window.count).toBe(1);
  });

  it('refuses without counting once the failure window is full', async () => {
    const windows = createRedisRateWindows(client, { prefix: 'test:b:' });
    for (let i = 0; i < 3; i++) expect(await windows.fail('fail:ip', 60_000)).toBe(true);
    const refused = await windows.hit('fail:ip', 'k:2', 3, 60_000);
    expect(refused?.refusedBy).toBe('failures');
    expect(await client.get('test:b:k:2')).toBeNull();
    // Limiters with other prefixes keep their own windows.
    const other = createRedisRateWindows(client, { prefix: 'test:c:' });
    expect((await other.hit('fail:ip', 'k:2', 3, 60_000))?.refusedBy).toBeUndefined();
  });

  it('answers undefined at once while Redis is down (the caller falls back to its own windows)', async () => {
    const windows = createRedisRateWindows(client, { prefix: 'test:d:' });
    await redis.kill();
    try {
      const started = Date.now();
      expect(await windows.hit('fail:x', 'k:x', 3, 60_000)).toBeUndefined();
      expect(await windows.fail('fail:x', 60_000)).toBe(false);
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      await redis.restart();
    }
  });
});
