/**
 * Issue 14: per-key rate limits, failed-auth limits and key revocation hold across API processes through Redis.
 * Two real servers on one PostgreSQL database and one real Redis (two processes' worth of state in one test
 * process: every window and cache is per server instance), then a Redis restart and a Redis that is down.
 */
import { randomBytes } from 'node:crypto';
import { serverForSuite } from '@agenthuman/server/testing/server-fixture';
import { postgresUnavailableReason } from '@agenthuman/store/testing';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { createServer, type RunningServer } from '../server.js';
import { startTestRedis, type TestRedis } from '../testing/redis-server.js';
import { testServerEnv } from '../testing/test-server.js';
import { closeRedisClient, createRedisClient } from './redis.js';

const LIMIT = 10;
const unavailable = postgresUnavailableReason();
const invented = () => `ah_live_${randomBytes(24).toString('base64url').replace(/[-_]/g, 'x').slice(0, 32)}`;

const until = async (check: () => Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not met in time');
};

describe.skipIf(unavailable)('limits and revocation shared through Redis (two API processes)', () => {
  let redis: TestRedis;
  const env = () => ({ REDIS_URL: redis.url, AGENTHUMAN_RATE_LIMIT: String(LIMIT) });
  // Hooks in this order: Redis, then server a, then b on a's database; closed the other way round.
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const a = serverForSuite('postgres', () => ({ env: env() }));
  let b: RunningServer;
  const accounts: { key: string }[] = [];

  beforeAll(async () => {
    b = await createServer(loadConfig(testServerEnv(a().database, env())), {
      sweep: false,
      startMediaWithSession: false,
    });
    // Both connected: until then each process counts on its own, by design.
    await untilBothConnected();
    // Every account up front: the admin key has a window of LIMIT requests too.
    for (let i = 0; i < 6; i++) accounts.push(await a().newAccount('pro'));
  });
  afterAll(async () => {
    await b?.close();
  });

  const get = (server: RunningServer, key: string, remoteAddress = '127.0.0.1') =>
    server.app.inject({ method: 'GET', url: '/v1/usage', headers: { 'x-api-key': key }, remoteAddress });
  const statuses = (replies: LightMyRequestResponse[]) => replies.map((reply) => reply.statusCode);

  it('counts one key’s requests across both processes, with one window in the headers', async () => {
    const { key } = accounts.pop()!;
    const replies: LightMyRequestResponse[] = [];
    for (let i = 0; i < LIMIT + 2; i++) replies.push(await get(i % 2 === 0 ? a().server : b, key));
    expect(statuses(replies)).toEqual([...Array(LIMIT).fill(200), 429, 429]);
    expect(replies.map((reply) => Number(reply.headers['x-ratelimit-remaining']))).toEqual([
      ...Array.from({ length: LIMIT }, (_, i) => LIMIT - 1 - i),
      0,
      0,
    ]);
    const resets = new Set(replies.map((reply) => reply.headers['x-ratelimit-reset']));
    expect(resets.size).toBe(1);
    expect(Number([...resets][0])).toBeGreaterThan(Date.now() / 1000);
    expect(replies[LIMIT]?.json()).toEqual({
      success: false,
      error: 'Too many requests. Please retry after 1 minute.',
    });
    expect(Number(replies[LIMIT]?.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('counts failed authentications per client IP across both processes', async () => {
    const ip = '203.0.113.21';
    const replies: LightMyRequestResponse[] = [];
    for (let i = 0; i < LIMIT + 2; i++) replies.push(await get(i % 2 === 0 ? b : a().server, invented(), ip));
    expect(statuses(replies)).toEqual([...Array(LIMIT).fill(401), 429, 429]);
    // A real key from that IP is refused too, on either process; another IP is untouched.
    const { key } = accounts.pop()!;
    expect((await get(a().server, key, ip)).statusCode).toBe(429);
    expect((await get(b, key, ip)).statusCode).toBe(429);
    expect((await get(b, invented(), '203.0.113.22')).statusCode).toBe(401);
  });

  it('a key deactivated or deleted in one process is refused by the other at once (its cache dropped)', async () => {
    const owner = accounts.pop()!;
    const made = await Promise.all(
      [1, 2].map(async () => {
        const res = await a().request({ method: 'POST', url: '/v1/api-keys', key: owner.key, payload: {} });
        return res.json().api_key as { key_id: string; key: string };
      }),
    );
    const [toDeactivate, toDelete] = made as [(typeof made)[0], (typeof made)[0]];
    // B has both keys cached (30 s) ...
    expect((await get(b, toDeactivate.key)).statusCode).toBe(200);
    expect((await get(b, toDelete.key)).statusCode).toBe(200);
    // ... A revokes them; B's very next request sees it.
    const deactivate = await a().request({
      method: 'POST',
      url: `/v1/api-keys/${toDeactivate.key_id}/deactivate`,
      key: owner.key,
    });
    expect(deactivate.statusCode).toBe(200);
    const afterDeactivate = await get(b, toDeactivate.key);
    expect(afterDeactivate.statusCode).toBe(401);
    expect(afterDeactivate.json()).toEqual({ error: 'API key deactivated' });
    const remove = await a().request({
      method: 'DELETE',
      url: `/v1/api-keys/${toDelete.key_id}`,
      key: owner.key,
    });
    expect(remove.statusCode).toBe(200);
    const afterDelete = await get(b, toDelete.key);
    expect(afterDelete.statusCode).toBe(401);
    expect(afterDelete.json()).toEqual({ error: 'Invalid API key' });
  });

  it('keeps limiting while Redis restarts: local windows while it is down, shared ones once it is back', async () => {
    const { key } = accounts.pop()!;
    await redis.kill();
    // Down: each process counts on its own, quickly, never 500.
    const started = Date.now();
    const down: LightMyRequestResponse[] = [];
    for (let i = 0; i < LIMIT + 1; i++) down.push(await get(a().server, key));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(statuses(down)).toEqual([...Array(LIMIT).fill(200), 429]);
    expect(down[0]?.headers['x-ratelimit-limit']).toBe(String(LIMIT));
    expect((await get(b, key)).statusCode).toBe(200);

    // Back (and empty): once both processes reconnected by themselves, one key is counted across both again.
    await redis.restart();
    await untilBothConnected();
    const other = accounts.pop()!;
    const replies: LightMyRequestResponse[] = [];
    for (let i = 0; i < LIMIT + 1; i++) replies.push(await get(i % 2 === 0 ? b : a().server, other.key));
    expect(statuses(replies)).toEqual([...Array(LIMIT).fill(200), 429]);
  });

  it('a revocation made while Redis was down reaches the other process once Redis is back', async () => {
    const owner = accounts.pop()!;
    const res = await a().request({ method: 'POST', url: '/v1/api-keys', key: owner.key, payload: {} });
    const made = res.json().api_key as { key_id: string; key: string };
    expect((await get(b, made.key)).statusCode).toBe(200);
    await redis.kill();
    const deactivate = await a().request({
      method: 'POST',
      url: `/v1/api-keys/${made.key_id}/deactivate`,
      key: owner.key,
    });
    expect(deactivate.statusCode).toBe(200);
    // B still serves its cached entry meanwhile (it cannot know); after the restart it must not wait for the
    // 30 s cache lifetime: it forgets its cache on re-subscribing, and A publishes the revocation again.
    await redis.restart();
    await untilBothConnected();
    const startedMs = Date.now();
    await until(async () => (await get(b, made.key)).statusCode === 401, 5_000);
    expect(Date.now() - startedMs).toBeLessThan(5_000);
  });

  /** Both servers' command and subscriber connections are back (CLIENT LIST names them). */
  async function untilBothConnected() {
    const probe = createRedisClient(redis.url, { name: 'probe' });
    try {
      await until(async () => {
        const list = String(await probe.client('LIST').catch(() => ''));
        const count = (name: string) =>
          list.split('\n').filter((line) => line.includes(`name=${name} `)).length;
        return count('agenthuman-commands') === 2 && count('agenthuman-subscriber') === 2;
      }, 15_000);
    } finally {
      await closeRedisClient(probe);
    }
  }
});

describe.skipIf(unavailable)('a server whose Redis is down', () => {
  // Nothing listens on port 1: the server starts and answers anyway, limiting per process.
  const server = serverForSuite('postgres', {
    env: { REDIS_URL: 'redis://:not-logged@127.0.0.1:1', AGENTHUMAN_RATE_LIMIT: String(LIMIT) },
  });

  it('answers at once with local windows, never a 500', async () => {
    const { key } = await server().newAccount('pro');
    const started = Date.now();
    const replies: number[] = [];
    for (let i = 0; i < LIMIT + 1; i++)
      replies.push((await server().request({ method: 'GET', url: '/v1/usage', key })).statusCode);
    expect(replies).toEqual([...Array(LIMIT).fill(200), 429]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
