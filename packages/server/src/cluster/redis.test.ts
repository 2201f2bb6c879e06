import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../testing/redis-server.js';
import { closeRedisClient, createRedisClient, reconnectDelayMs, redisEndpoint } from './redis.js';

const until = async (check: () => Promise<boolean> | boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition not met in time');
};

describe('Redis client and test harness', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('backs off exponentially to a cap and never gives up', () => {
    expect(reconnectDelayMs(1)).toBe(50);
    expect(reconnectDelayMs(3)).toBe(200);
    expect(reconnectDelayMs(10_000)).toBe(2_000);
    expect(reconnectDelayMs(7, 1_000)).toBe(1_000);
  });

  it('logs the endpoint without user or password', () => {
    expect(redisEndpoint('redis://admin:hunter2@cache.internal:6380/1')).toBe('cache.internal:6380');
    expect(redisEndpoint('rediss://:hunter2@cache.internal')).toBe('cache.internal:6379');
  });

  it('keeps working across a Redis restart: commands fail fast while it is down, then succeed again', async () => {
    const lines: string[] = [];
    const logger = {
      info: (obj: object, msg: string) => lines.push(`${msg} ${JSON.stringify(obj)}`),
      warn: (obj: object, msg: string) => lines.push(`${msg} ${JSON.stringify(obj)}`),
    };
    const client = createRedisClient(redis.url, { name: 'test', logger, maxBackoffMs: 200 });
    try {
      await until(() => client.status === 'ready');
      await client.set('k', '1');
      expect(await client.get('k')).toBe('1');

      await redis.kill();
      const started = Date.now();
      await expect(client.incr('k')).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(3_000);
      await until(() => lines.some((line) => line.startsWith('Redis unreachable')));

      await redis.restart();
      await until(async () => (await client.ping().catch(() => 'down')) === 'PONG');
      // The restarted server is empty (no persistence): state in Redis is rebuilt, not restored.
      expect(await client.get('k')).toBeNull();
      await until(() => lines.some((line) => line.startsWith('Redis reachable again')));
    } finally {
      await closeRedisClient(client);
    }
    // Nothing listens on port 1: the outage line names the endpoint, never the URL's password.
    const secretClient = createRedisClient('redis://:unused-secret@127.0.0.1:1', {
      logger,
      maxBackoffMs: 50,
    });
    await until(() => lines.filter((line) => line.startsWith('Redis unreachable')).length >= 2);
    await closeRedisClient(secretClient);
    expect(lines.join('\n')).not.toContain('unused-secret');
  });

  it('closes at once when Redis is gone', async () => {
    await redis.kill();
    try {
      const client = createRedisClient(redis.url, { maxBackoffMs: 100 });
      const started = Date.now();
      await closeRedisClient(client);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(client.status).toBe('end');
    } finally {
      await redis.restart();
    }
  });

  it('a subscriber connection re-subscribes after a restart', async () => {
    const subscriber = createRedisClient(redis.url, { name: 'subscriber', maxBackoffMs: 100 });
    const publisher = createRedisClient(redis.url, { name: 'publisher', maxBackoffMs: 100 });
    const received: string[] = [];
    subscriber.on('message', (_channel: string, message: string) => received.push(message));
    try {
      await subscriber.subscribe('test-channel');
      await publisher.publish('test-channel', 'before');
      await until(() => received.includes('before'));
      await redis.restart();
      await until(async () => (await publisher.publish('test-channel', 'after').catch(() => 0)) > 0);
      await until(() => received.includes('after'));
    } finally {
      await closeRedisClient(subscriber);
      await closeRedisClient(publisher);
    }
  });
});
