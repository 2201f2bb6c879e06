/**
 * @module Rate-limit windows in Redis, shared by every API process. One Lua script per request (atomic: the
 * failure check, INCR and PEXPIRE cannot interleave with another process's), its expiry being the window's end.
 * While Redis is not connected every call answers undefined at once, without queueing, and the limiter uses its
 * local windows; an in-flight command that fails or times out (the client's command timeout) does the same.
 */
import type { Redis } from 'ioredis';
import type { SharedRateWindows } from '../http/rate-limit.js';

// KEYS[1] failure window, KEYS[2] request window; ARGV[1] limit, ARGV[2] window ms.
// Returns {refused (0/1), count, ms until the window resets}.
const HIT = `
local fails = tonumber(redis.call('GET', KEYS[1]) or '0')
if fails >= tonumber(ARGV[1]) then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then ttl = tonumber(ARGV[2]) end
  return {1, fails, ttl}
end
local count = redis.call('INCR', KEYS[2])
local ttl = redis.call('PTTL', KEYS[2])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {0, count, ttl}
`;

// KEYS[1] failure window; ARGV[1] window ms.
const FAIL = `
local count = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count
`;

type ScriptedRedis = Redis & {
  agenthumanRateHit(failKey: string, key: string, limit: number, windowMs: number): Promise<unknown>;
  agenthumanRateFail(failKey: string, windowMs: number): Promise<unknown>;
};

/** `prefix` keeps each limiter's windows apart (e.g. `agenthuman:rate:api:`). */
export function createRedisRateWindows(
  client: Redis,
  options: { prefix: string; now?: () => number },
): SharedRateWindows {
  const now = options.now ?? Date.now;
  // defineCommand sends EVALSHA and falls back to EVAL once after a restart emptied the script cache.
  if (!('agenthumanRateHit' in client)) {
    client.defineCommand('agenthumanRateHit', { numberOfKeys: 2, lua: HIT });
    client.defineCommand('agenthumanRateFail', { numberOfKeys: 1, lua: FAIL });
  }
  const scripted = client as ScriptedRedis;
  const ready = () => client.status === 'ready';

  return {
    async hit(failKey, key, limit, windowMs) {
      if (!ready()) return undefined;
      try {
        const reply = await scripted.agenthumanRateHit(
          options.prefix + failKey,
          options.prefix + key,
          limit,
          windowMs,
        );
        const [refused, count, ttl] = reply as [number, number, number];
        return {
          refusedBy: refused === 1 ? 'failures' : undefined,
          window: { count, resetAtMs: now() + ttl },
        };
      } catch {
        return undefined;
      }
    },

    async fail(failKey, windowMs) {
      if (!ready()) return false;
      try {
        await scripted.agenthumanRateFail(options.prefix + failKey, windowMs);
        return true;
      } catch {
        return false;
      }
    },
  };
}
