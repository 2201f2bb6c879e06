/**
 * @module Rate-limit windows in Redis, shared by every API process. One Lua script per request (atomic: the
 * failure check, INCR and PEXPIRE cannot interleave with another process's), its expiry being the window's end.
 * While Redis is not connected every call answers undefined at once, without queueing, and the limiter uses its
 * local windows; an in-flight command that fails or times out (the client's command timeout) does the same.
 */
import type { Redis } from 'ioredis';
import type { SharedRateWindows } from '../http/rate-limit.js';

// KEYS[1] failure window, KEYS[2] request window; ARGV[1] limit, ARGV[2] window ms.
// Returns {refused (0/1), count, the window's end in Unix ms}. The end is the key's own expiry as Redis stores it
// (PEXPIRETIME, Redis 7), not each process's now + TTL: every process answering in one window then prints the same
// x-ratelimit-reset, where local clocks and round trips could put their replies a second apart. Before Redis 7 it
// is Redis's clock plus the TTL, still one clock for all processes.
const HIT = `
local function endOf(key)
  local at = redis.pcall('PEXPIRETIME', key)
  if type(at) == 'number' and at > 0 then return at end
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then ttl = tonumber(ARGV[2]) end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + ttl
end
local fails = tonumber(redis.call('GET', KEYS[1]) or '0')
if fails >= tonumber(ARGV[1]) then
  return {1, fails, endOf(KEYS[1])}
end
local count = redis.call('INCR', KEYS[2])
if redis.call('PTTL', KEYS[2]) < 0 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
return {0, count, endOf(KEYS[2])}
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
export function createRedisRateWindows(client: Redis, options: { prefix: string }): SharedRateWindows {
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
        const [refused, count, resetAtMs] = reply as [number, number, number];
        return {
          refusedBy: refused === 1 ? 'failures' : undefined,
          window: { count, resetAtMs },
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
