import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('uses the documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.rateLimitPerMinute).toBe(60);
    expect(config.defaultPlan).toBe('enterprise');
    expect(config.publicUrl).toBe('http://localhost:8080');
    expect(config.plans.free.maxConcurrentSessions).toBe(1);
  });

  it('uses the spec values for live sessions by default (5 s reconnect, 30 s empty room, 20 s ping)', () => {
    const { live } = loadConfig({});
    expect(live).toMatchObject({
      wsReconnectGraceMs: 5_000,
      roomEmptyTimeoutMs: 30_000,
      wsPingIntervalMs: 20_000,
      loopbackOnly: false,
      iceServers: [],
      warmAvatars: true,
    });
    expect(live.maxSessions).toBeGreaterThanOrEqual(6);
  });

  it('reads ICE servers as JSON and refuses malformed ones', () => {
    const servers = [
      { urls: ['stun:stun.example.com:3478'] },
      { urls: 'turn:t.example.com', username: 'u', credential: 'c' },
    ];
    expect(loadConfig({ AGENTHUMAN_ICE_SERVERS: JSON.stringify(servers) }).live.iceServers).toEqual(servers);
    for (const bad of ['[{"urls":"http://x"}]', 'nope', '{"urls":"stun:x"}', '[{}]']) {
      expect(() => loadConfig({ AGENTHUMAN_ICE_SERVERS: bad })).toThrow('AGENTHUMAN_ICE_SERVERS');
    }
  });

  it.each([
    ['PORT', 'eighty'],
    ['DATABASE_URL', 'mysql://x'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['AGENTHUMAN_BOOTSTRAP_KEY', 'ah_live_short'],
    ['AGENTHUMAN_PUBLIC_URL', 'ftp://example.com'],
    ['AGENTHUMAN_RATE_LIMIT', '0'],
    ['AGENTHUMAN_DEFAULT_PLAN', 'platinum'],
    ['AGENTHUMAN_PLANS', '{"free":{"includedMinutes":-1}}'],
    ['AGENTHUMAN_PLANS', 'not json'],
    ['AGENTHUMAN_MAX_LIVE_SESSIONS', '0'],
    ['AGENTHUMAN_ROOM_LOOPBACK_ONLY', 'yes'],
    ['AGENTHUMAN_WS_RECONNECT_GRACE_S', '-1'],
    ['AGENTHUMAN_VOICE_END_SILENCE_MS', '50'],
  ])('stops with a message naming %s when it is %s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it('reads REDIS_URL (absent: the embedded single-process mode) and never echoes its password', () => {
    expect(loadConfig({}).redisUrl).toBeUndefined();
    expect(loadConfig({ REDIS_URL: ' ' }).redisUrl).toBeUndefined();
    expect(loadConfig({ REDIS_URL: 'redis://:pw@10.0.0.5:6380/2' }).redisUrl).toBe(
      'redis://:pw@10.0.0.5:6380/2',
    );
    expect(() => loadConfig({ REDIS_URL: 'redis://:s3cret@[bad' })).toThrow('REDIS_URL');
    expect(() => loadConfig({ REDIS_URL: 'redis://:s3cret@[bad' })).not.toThrow('s3cret');
  });

  it('ends a spoken turn after 400 ms of silence unless told otherwise', () => {
    expect(loadConfig({}).agents.voiceEndSilenceMs).toBe(400);
    expect(loadConfig({ AGENTHUMAN_VOICE_END_SILENCE_MS: '650' }).agents.voiceEndSilenceMs).toBe(650);
    expect(loadConfig({}).agents.voiceEarlyEnd).toBe(true);
    expect(loadConfig({ AGENTHUMAN_VOICE_EARLY_END: 'false' }).agents.voiceEarlyEnd).toBe(false);
  });

  it('applies plan overrides on top of the defaults', () => {
    const config = loadConfig({
      AGENTHUMAN_PLANS: '{"free":{"includedMinutes":60,"maxSessionDuration":null}}',
    });
    expect(config.plans.free).toMatchObject({
      includedMinutes: 60,
      maxSessionDuration: null,
      maxConcurrentSessions: 1,
    });
  });

  it('reads trusted proxies and allowed private hosts as lists, and refuses what is neither IP nor CIDR', () => {
    const config = loadConfig({
      AGENTHUMAN_TRUST_PROXY: ' 10.0.0.1, 192.168.0.0/16 ,::1',
      AGENTHUMAN_ALLOWED_PRIVATE_HOSTS: '127.0.0.1,ollama.internal,10.0.0.0/8',
    });
    expect(config.trustProxy).toEqual(['10.0.0.1', '192.168.0.0/16', '::1']);
    expect(config.allowedPrivateHosts).toEqual(['127.0.0.1', 'ollama.internal', '10.0.0.0/8']);
    expect(loadConfig({}).trustProxy).toEqual([]);
    expect(() => loadConfig({ AGENTHUMAN_TRUST_PROXY: 'proxy.example.com' })).toThrow(
      /AGENTHUMAN_TRUST_PROXY/,
    );
    expect(() => loadConfig({ AGENTHUMAN_TRUST_PROXY: '10.0.0.0/33' })).toThrow(ConfigError);
    expect(() => loadConfig({ AGENTHUMAN_ALLOWED_PRIVATE_HOSTS: 'http://x' })).toThrow(
      /AGENTHUMAN_ALLOWED_PRIVATE_HOSTS/,
    );
  });

  it('needs all three LiveKit settings or none', () => {
    expect(() => loadConfig({ LIVEKIT_URL: 'wss://lk.example.com' })).toThrow('LIVEKIT_API_KEY');
    const config = loadConfig({ LIVEKIT_URL: 'wss://lk', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's' });
    expect(config.livekit?.url).toBe('wss://lk');
    expect(config.defaultRoom).toBe('builtin');
  });

  it('AGENTHUMAN_ROOMS=livekit needs the LiveKit settings', () => {
    expect(() => loadConfig({ AGENTHUMAN_ROOMS: 'livekit' })).toThrow(
      /AGENTHUMAN_ROOMS=livekit: needs LIVEKIT_URL/,
    );
    expect(() => loadConfig({ AGENTHUMAN_ROOMS: 'daily' })).toThrow('AGENTHUMAN_ROOMS');
    const lk = { LIVEKIT_URL: 'ws://127.0.0.1:7880', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's' };
    expect(loadConfig({ ...lk, AGENTHUMAN_ROOMS: 'livekit' }).defaultRoom).toBe('livekit');
  });
});
