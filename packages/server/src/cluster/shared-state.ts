/**
 * @module What API processes share through Redis (REDIS_URL): rate-limit windows and key revocations. Two
 * connections: one for commands, one subscribed (a subscribed connection can send nothing else). Without
 * REDIS_URL there is nothing to share and the server keeps it all in this process.
 */
import type { Redis } from 'ioredis';
import type { KeyRevocations } from '../http/auth.js';
import type { SharedRateWindows } from '../http/rate-limit.js';
import { createRedisKeyRevocations } from './key-revocations.js';
import { closeRedisClient, createRedisClient, type RedisLogger } from './redis.js';
import { createRedisRateWindows } from './redis-rate-windows.js';

export type SharedState = {
  /** The command connection, for other cluster code (registry, routing) that needs one. */
  redis: Redis;
  /** Windows of one limiter; `name` keeps limiters apart (`api`, `link-start`). */
  rateWindows(name: string): SharedRateWindows;
  revocations: KeyRevocations;
  close(): Promise<void>;
};

export function openSharedState(redisUrl: string, logger: RedisLogger): SharedState {
  const redis = createRedisClient(redisUrl, { name: 'commands', logger });
  const subscriber = createRedisClient(redisUrl, { name: 'subscriber', logger });
  return {
    redis,
    rateWindows: (name) => createRedisRateWindows(redis, { prefix: `agenthuman:rate:${name}:` }),
    revocations: createRedisKeyRevocations(redis, subscriber),
    async close() {
      await Promise.all([closeRedisClient(redis), closeRedisClient(subscriber)]);
    },
  };
}
