import { expect, it } from 'vitest';
import { ADMIN_KEY, describeOnBothStores } from '../testing/test-server.js';

describeOnBothStores('HTTP behaviour', (t) => {
  it('answers 401 with the bare-string bodies', async () => {
    const missing = await t().request({ method: 'GET', url: '/v1/sessions' });
    expect([missing.statusCode, missing.json()]).toEqual([401, { error: 'API key required' }]);
    const invalid = await t().request({ method: 'GET', url: '/v1/sessions', key: 'ah_live_nope' });
    expect([invalid.statusCode, invalid.json()]).toEqual([401, { error: 'Invalid API key' }]);
    const legacy = await t().request({ method: 'GET', url: '/api/v1/sessions' });
    expect(legacy.json()).toEqual({ error: 'API key required' });
  });

  it('reads the key header in any case', async () => {
    const res = await t().request({ method: 'GET', url: '/v1/usage', headers: { 'X-API-KEY': ADMIN_KEY } });
    expect(res.statusCode).toBe(200);
  });

  it('sends rate-limit headers on every API response, errors included', async () => {
    for (const res of [
      await t().request({ method: 'GET', url: '/v1/usage', key: ADMIN_KEY }),
      await t().request({ method: 'GET', url: '/v1/usage' }),
      await t().request({ method: 'GET', url: '/v1/sessions/sess_x', key: ADMIN_KEY }),
    ]) {
      expect(res.headers['x-ratelimit-limit']).toBe('100000');
      expect(Number(res.headers['x-ratelimit-remaining'])).toBeLessThan(100000);
      const reset = Number(res.headers['x-ratelimit-reset']);
      expect(reset - Date.now() / 1000).toBeGreaterThan(0);
      expect(reset - Date.now() / 1000).toBeLessThanOrEqual(61);
    }
  });

  it('answers 413 for bodies over 10 MB', async () => {
    const res = await t().request({
      method: 'POST',
      url: '/v1/sessions',
      key: ADMIN_KEY,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        avatar: 'PUBLIC/Avatars/ada',
        metadata: { pad: 'x'.repeat(10 * 1024 * 1024 + 10) },
      }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({
      success: false,
      error: {
        code: 'PAYLOAD_TOO_LARGE',
        message: 'Request body is too large (at most 10 MB)',
        details: { field: 'body', max_bytes: 10 * 1024 * 1024 },
      },
    });
  });

  it('answers 400 INVALID_JSON for a broken body, and treats an empty JSON body as none', async () => {
    const broken = await t().request({
      method: 'POST',
      url: '/v1/sessions',
      key: ADMIN_KEY,
      headers: { 'content-type': 'application/json' },
      payload: '{"avatar": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('INVALID_JSON');
    const id = (
      await t().request({
        method: 'POST',
        url: '/v1/sessions',
        key: ADMIN_KEY,
        payload: { avatar: 'PUBLIC/Avatars/ada' },
      })
    ).json().session.session_id;
    const end = await t().request({
      method: 'POST',
      url: `/v1/sessions/${id}/end`,
      key: ADMIN_KEY,
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(end.statusCode).toBe(200);
  });

  it('answers unknown routes with the dialect error shape', async () => {
    const v1 = await t().request({ method: 'GET', url: '/v1/nothing', key: ADMIN_KEY });
    expect([v1.statusCode, v1.json().error.code]).toEqual([404, 'NOT_FOUND']);
    const legacy = await t().request({ method: 'GET', url: '/api/v1/sessions/999999', key: ADMIN_KEY });
    expect([legacy.statusCode, legacy.json()]).toEqual([
      404,
      { success: false, error: 'Session not found or access denied' },
    ]);
  });

  it('serves the OpenAPI document and the docs page from the same schemas', async () => {
    const doc = await t().request({ method: 'GET', url: '/openapi.json' });
    expect(doc.statusCode).toBe(200);
    const spec = doc.json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/v1/sessions', '/v1/sessions/{session_id}', '/v1/usage', '/v1/api-keys']),
    );
    // Both dialects are documented (issue 15 item 15).
    expect(Object.keys(spec.paths).some((p) => p.startsWith('/api/v1'))).toBe(true);
    expect(JSON.stringify(spec.paths['/v1/sessions'].post)).toContain('aspect_ratio');
    // The LiveKit room shapes, the Daily refusal and the duration dialect are documented where clients look.
    const create = JSON.stringify(spec.paths['/v1/sessions'].post);
    for (const text of ['"proxy"', 'DAILY_NOT_SUPPORTED', 'LIVEKIT_NOT_CONFIGURED', 'lk.publish_on_behalf'])
      expect(create).toContain(text);
    expect(spec.info.description).toContain('AgentHumanApi.BASE_URL');
    expect(JSON.stringify(spec.components.schemas.Session.properties.daily_room)).toContain('null');
    const docs = await t().request({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });
});

describeOnBothStores(
  'rate limiting',
  (t) => {
    it('allows the configured requests per minute per key, then 429 with the string body', async () => {
      const a = await t().newAccount('pro');
      const b = await t().newAccount('pro');
      // newAccount used the admin key; a and b have untouched windows.
      const statuses: number[] = [];
      let last = await t().request({ method: 'GET', url: '/v1/usage', key: a.key });
      statuses.push(last.statusCode);
      for (let i = 0; i < 4; i++) {
        last = await t().request({ method: 'GET', url: '/v1/usage', key: a.key });
        statuses.push(last.statusCode);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(last.json()).toEqual({
        success: false,
        error: 'Too many requests. Please retry after 1 minute.',
      });
      expect(last.headers['x-ratelimit-limit']).toBe('3');
      expect(last.headers['x-ratelimit-remaining']).toBe('0');
      expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
      expect((await t().request({ method: 'GET', url: '/v1/usage', key: b.key })).statusCode).toBe(200);
    });
  },
  { env: { AGENTHUMAN_RATE_LIMIT: '3' } },
);
