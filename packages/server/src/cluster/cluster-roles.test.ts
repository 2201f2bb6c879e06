import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/config.js';
import { assertRoleConfig } from './cluster-roles.js';

const PG = 'postgres://u@localhost/db';
const REDIS = 'redis://127.0.0.1:6379';

describe('api and worker settings', () => {
  it('serve needs neither PostgreSQL nor Redis', () => {
    expect(() => assertRoleConfig('all', loadConfig({}))).not.toThrow();
  });

  it('refuses api and worker without PostgreSQL and Redis, naming each missing variable', () => {
    const error = (() => {
      try {
        assertRoleConfig('worker', loadConfig({}));
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toContain('agenthuman worker');
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'AGENTHUMAN_WORKER_URL'])
      expect(error?.message).toContain(name);
    expect(() => assertRoleConfig('api', loadConfig({ DATABASE_URL: PG }))).toThrow(/REDIS_URL/);
    expect(() => assertRoleConfig('api', loadConfig({ DATABASE_URL: PG, REDIS_URL: REDIS }))).not.toThrow();
    expect(() =>
      assertRoleConfig(
        'worker',
        loadConfig({ DATABASE_URL: PG, REDIS_URL: REDIS, AGENTHUMAN_WORKER_URL: 'http://10.0.0.5:8081/' }),
      ),
    ).not.toThrow();
  });

  it('checks AGENTHUMAN_WORKER_URL is an http(s) URL', () => {
    expect(() => loadConfig({ AGENTHUMAN_WORKER_URL: 'ftp://x' })).toThrow(/AGENTHUMAN_WORKER_URL/);
    expect(loadConfig({ AGENTHUMAN_WORKER_URL: 'http://w1:8081/' }).workerUrl).toBe('http://w1:8081');
  });
});
