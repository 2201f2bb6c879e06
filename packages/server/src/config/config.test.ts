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

  it.each([
    ['PORT', 'eighty'],
    ['DATABASE_URL', 'mysql://x'],
    ['AGENTHUMAN_BOOTSTRAP_KEY', 'ah_live_short'],
    ['AGENTHUMAN_PUBLIC_URL', 'ftp://example.com'],
    ['AGENTHUMAN_RATE_LIMIT', '0'],
    ['AGENTHUMAN_DEFAULT_PLAN', 'platinum'],
    ['AGENTHUMAN_PLANS', '{"free":{"includedMinutes":-1}}'],
    ['AGENTHUMAN_PLANS', 'not json'],
  ])('stops with a message naming %s when it is %s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
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

  it('needs all three LiveKit settings or none', () => {
    expect(() => loadConfig({ LIVEKIT_URL: 'wss://lk.example.com' })).toThrow('LIVEKIT_API_KEY');
    const config = loadConfig({ LIVEKIT_URL: 'wss://lk', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's' });
    expect(config.livekit?.url).toBe('wss://lk');
  });
});
