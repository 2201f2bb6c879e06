import { API_KEY_PATTERN } from '@agenthuman/protocol';
import { expect, it } from 'vitest';
import { ADMIN_KEY, describeOnBothStores } from '../testing/test-server.js';

describeOnBothStores('API keys and admin', (t) => {
  it('creates a key shown once, lists keys without secrets, deactivates and deletes', async () => {
    const { key } = await t().newAccount('pro');
    const created = await t().request({
      method: 'POST',
      url: '/v1/api-keys',
      key,
      payload: { name: 'ci', environment: 'test' },
    });
    expect(created.statusCode).toBe(200);
    const apiKey = created.json().api_key;
    expect(apiKey.key).toMatch(API_KEY_PATTERN);
    expect(apiKey.key.startsWith('ah_test_')).toBe(true);
    expect(apiKey).toMatchObject({ name: 'ci', status: 'active', prefix: `${apiKey.key.slice(0, 12)}…` });
    expect((await t().request({ method: 'GET', url: '/v1/usage', key: apiKey.key })).statusCode).toBe(200);

    const list = await t().request({ method: 'GET', url: '/v1/api-keys', key });
    expect(list.json().api_keys.map((k: { key_id: string }) => k.key_id)).toContain(apiKey.key_id);
    expect(list.body).not.toContain(apiKey.key);
    expect(list.body).not.toContain(key);

    const deactivated = await t().request({
      method: 'POST',
      url: `/v1/api-keys/${apiKey.key_id}/deactivate`,
      key,
    });
    expect(deactivated.json().api_key.status).toBe('deactivated');
    const refused = await t().request({ method: 'GET', url: '/v1/usage', key: apiKey.key });
    expect([refused.statusCode, refused.json()]).toEqual([401, { error: 'API key deactivated' }]);

    const deleted = await t().request({ method: 'DELETE', url: `/v1/api-keys/${apiKey.key_id}`, key });
    expect(deleted.json()).toEqual({ success: true, message: 'API key deleted successfully' });
    const gone = await t().request({ method: 'GET', url: '/v1/usage', key: apiKey.key });
    expect([gone.statusCode, gone.json()]).toEqual([401, { error: 'Invalid API key' }]);
  });

  it("cannot see or touch another account's keys", async () => {
    const a = await t().newAccount('pro');
    const b = await t().newAccount('pro');
    const aKeyId = (await t().request({ method: 'GET', url: '/v1/api-keys', key: a.key })).json().api_keys[0]
      .key_id;
    for (const res of [
      await t().request({ method: 'POST', url: `/v1/api-keys/${aKeyId}/deactivate`, key: b.key }),
      await t().request({ method: 'DELETE', url: `/v1/api-keys/${aKeyId}`, key: b.key }),
    ]) {
      expect([res.statusCode, res.json().error.code]).toEqual([404, 'API_KEY_NOT_FOUND']);
    }
    expect((await t().request({ method: 'GET', url: '/v1/usage', key: a.key })).statusCode).toBe(200);
  });

  it('lets only admin keys manage accounts', async () => {
    const { key } = await t().newAccount('free');
    const refused = await t().request({
      method: 'POST',
      url: '/v1/admin/accounts',
      key,
      payload: { plan: 'pro' },
    });
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'ADMIN_REQUIRED']);

    const created = await t().request({
      method: 'POST',
      url: '/v1/admin/accounts',
      key: ADMIN_KEY,
      payload: { plan: 'growth' },
    });
    const { account, api_key } = created.json();
    expect(account).toMatchObject({
      plan: 'growth',
      is_admin: false,
      purchased_minutes: { total: 0, remaining: 0 },
    });
    const updated = await t().request({
      method: 'PUT',
      url: `/v1/admin/accounts/${account.account_id}`,
      key: ADMIN_KEY,
      payload: { plan: 'explorer', add_purchased_minutes: 30 },
    });
    expect(updated.json().account).toMatchObject({
      plan: 'explorer',
      purchased_minutes: { total: 30, remaining: 30 },
    });
    const usage = (await t().request({ method: 'GET', url: '/v1/usage', key: api_key.key })).json().usage;
    expect(usage.plan.key).toBe('explorer');
    expect(usage.purchased_minutes).toEqual({ total: 30, remaining: 30 });

    const unknown = await t().request({
      method: 'PUT',
      url: '/v1/admin/accounts/acct_nope',
      key: ADMIN_KEY,
      payload: { plan: 'pro' },
    });
    expect(unknown.statusCode).toBe(404);
    const badPlan = await t().request({
      method: 'POST',
      url: '/v1/admin/accounts',
      key: ADMIN_KEY,
      payload: { plan: 'gold' },
    });
    expect([badPlan.statusCode, badPlan.json().error.details.field]).toEqual([400, 'plan']);
  });
});
