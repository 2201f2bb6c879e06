import { statSync } from 'node:fs';
import { expect, it } from 'vitest';
import { bootstrapKeyFile } from './accounts/bootstrap.js';
import { ADMIN_KEY, describeOnBothStores } from './testing/test-server.js';

describeOnBothStores('restart', (t) => {
  it('finds sessions, keys and usage as they were after a restart', async () => {
    const { key } = await t().newAccount('free');
    const spare = (
      await t().request({ method: 'POST', url: '/v1/api-keys', key, payload: { name: 'spare' } })
    ).json().api_key;
    const revoked = (
      await t().request({ method: 'POST', url: '/v1/api-keys', key, payload: { name: 'old' } })
    ).json().api_key;
    await t().request({ method: 'POST', url: `/v1/api-keys/${revoked.key_id}/deactivate`, key });
    const ended = (
      await t().request({
        method: 'POST',
        url: '/v1/sessions',
        key,
        payload: { avatar: 'PUBLIC/Avatars/ada' },
      })
    ).json().session;
    await t().request({ method: 'POST', url: `/v1/sessions/${ended.session_id}/end`, key });
    const running = (
      await t().request({
        method: 'POST',
        url: '/v1/sessions',
        key,
        payload: { avatar: 'PUBLIC/Avatars/kai', metadata: { n: 1 } },
      })
    ).json().session;
    const before = {
      ended: (await t().request({ method: 'GET', url: `/v1/sessions/${ended.session_id}`, key })).json(),
      running: (await t().request({ method: 'GET', url: `/v1/sessions/${running.session_id}`, key })).json(),
      usage: (await t().request({ method: 'GET', url: '/v1/usage', key })).json().usage,
      keys: (await t().request({ method: 'GET', url: '/v1/api-keys', key })).json().api_keys,
    };

    await t().restart();

    expect(
      (await t().request({ method: 'GET', url: `/v1/sessions/${ended.session_id}`, key })).json(),
    ).toEqual(before.ended);
    const after = (
      await t().request({ method: 'GET', url: `/v1/sessions/${running.session_id}`, key })
    ).json();
    expect(after.session.duration).toBeGreaterThanOrEqual(before.running.session.duration);
    expect(sansDuration(after)).toEqual(sansDuration(before.running));
    const usage = (await t().request({ method: 'GET', url: '/v1/usage', key: spare.key })).json().usage;
    expect(sansDuration({ ...usage, active_minutes: 0 })).toEqual(
      sansDuration({ ...before.usage, active_minutes: 0 }),
    );
    const keys = (await t().request({ method: 'GET', url: '/v1/api-keys', key })).json().api_keys;
    expect(keys.map((k: { key_id: string; status: string }) => [k.key_id, k.status])).toEqual(
      before.keys.map((k: { key_id: string; status: string }) => [k.key_id, k.status]),
    );
    const refused = await t().request({ method: 'GET', url: '/v1/usage', key: revoked.key });
    expect(refused.json()).toEqual({ error: 'API key deactivated' });
    expect((await t().request({ method: 'GET', url: '/v1/usage', key: ADMIN_KEY })).statusCode).toBe(200);
    // Still one running session, so the free plan's one slot is taken.
    expect(
      (
        await t().request({
          method: 'POST',
          url: '/v1/sessions',
          key,
          payload: { avatar: 'PUBLIC/Avatars/ada' },
        })
      ).statusCode,
    ).toBe(429);
  });
});

describeOnBothStores(
  'first start',
  (t) => {
    it('creates one admin key, writes it to a 0600 file, and not again after a restart', async () => {
      const key = t().server.bootstrap.generatedKey;
      expect(key).toMatch(/^ah_live_[0-9A-Za-z]{32}$/);
      const file = bootstrapKeyFile(t().database.dataDir);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const admin = await t().request({
        method: 'POST',
        url: '/v1/admin/accounts',
        key: key!,
        payload: { plan: 'free' },
      });
      expect(admin.statusCode).toBe(200);
      await t().restart();
      expect(t().server.bootstrap.generatedKey).toBeUndefined();
      expect((await t().request({ method: 'GET', url: '/v1/usage', key: key! })).statusCode).toBe(200);
    });
  },
  { env: { AGENTHUMAN_BOOTSTRAP_KEY: '' } },
);

/** A running `avatar` session counts whole seconds in `duration`, which may grow across the restart. */
function sansDuration(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (k, v) => (k === 'duration' && typeof v === 'number' ? 0 : v));
}
