/**
 * Issue 15 items 3–7: every malformed input the probe found, fired at every route family in both dialects.
 * Each must answer a coded 4xx in the dialect's error shape: never a 500, never a Fastify `FST_ERR_*` body.
 */
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { ADMIN_KEY, describeOnBothStores } from '../testing/test-server.js';

const NUL = 'a\u0000b';
const LONE = 'a\ud800b';
const INT32_OVER = 2 ** 31;
const LONG_ID = 'x'.repeat(5000);

type Case = {
  name: string;
  method: string;
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
};

/** `{"a":{"a":…"leaf"…}}` as JSON text: built as a string, because serialising it would overflow the stack. */
const nestedJson = (depth: number) => `${'{"a":'.repeat(depth)}"leaf"${'}'.repeat(depth)}`;

function expectDialectError(res: LightMyRequestResponse, url: string, label = url) {
  const what = `${label} → ${res.statusCode} ${res.body.slice(0, 300)}`;
  expect(res.statusCode, what).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, what).toBeLessThan(500);
  const body = res.json();
  expect(JSON.stringify(body)).not.toContain('FST_');
  if (url.startsWith('/api/v1')) {
    expect(body, what).toEqual({ success: false, error: expect.any(String) });
  } else {
    expect(body, what).toMatchObject({
      success: false,
      error: { message: expect.any(String), code: expect.stringMatching(/^[A-Z_]+$/) },
    });
  }
}

describeOnBothStores('bad input never answers 500', (t) => {
  let key = '';
  let accountId = '';
  let agentId = '';
  let legacyAgentId = 0;
  let legacySessionId = 0;

  beforeAll(async () => {
    ({ key, accountId } = await t().newAccount('enterprise'));
    const agent = await t().request({ method: 'POST', url: '/v1/agents', key, payload: { name: 'probe' } });
    agentId = agent.json().agent.agent_id;
    const legacyAgent = await t().request({
      method: 'POST',
      url: '/api/v1/agents',
      key,
      payload: { name: 'probe legacy' },
    });
    legacyAgentId = legacyAgent.json().agent.agent_id;
    const legacySession = await t().request({
      method: 'POST',
      url: '/api/v1/sessions',
      key,
      payload: { agent_id: legacyAgentId, session_type: 'agent_chat' },
    });
    legacySessionId = legacySession.json().session.session_id;
  });

  function stringCases(bad: string, label: string): Case[] {
    return [
      { name: `${label} avatar_id`, method: 'POST', url: '/v1/sessions', payload: { avatar_id: bad } },
      { name: `${label} avatar`, method: 'POST', url: '/v1/sessions', payload: { avatar: bad } },
      { name: `${label} agent_id`, method: 'POST', url: '/v1/sessions', payload: { agent_id: bad } },
      {
        name: `${label} metadata value`,
        method: 'POST',
        url: '/v1/sessions',
        payload: { avatar_id: 'PUBLIC/Avatars/ada', metadata: { note: bad } },
      },
      {
        name: `${label} metadata key`,
        method: 'POST',
        url: '/v1/sessions',
        payload: { avatar_id: 'PUBLIC/Avatars/ada', metadata: { [bad]: 1 } },
      },
      {
        name: `${label} room token`,
        method: 'POST',
        url: '/v1/sessions',
        payload: {
          avatar: 'PUBLIC/Avatars/ada',
          room: { platform: 'livekit', url: 'wss://x.example', token: bad },
        },
      },
      { name: `${label} agent name`, method: 'POST', url: '/v1/agents', payload: { name: bad } },
      {
        name: `${label} agent knowledge`,
        method: 'POST',
        url: '/v1/agents',
        payload: { name: 'k', knowledge: bad },
      },
      {
        name: `${label} agent update`,
        method: 'PUT',
        url: `/v1/agents/${agentId}`,
        payload: { context: bad },
      },
      { name: `${label} key name`, method: 'POST', url: '/v1/api-keys', payload: { name: bad } },
      {
        name: `${label} link name`,
        method: 'POST',
        url: '/v1/links',
        payload: { agent_id: agentId, name: bad },
      },
      {
        name: `${label} account name`,
        method: 'POST',
        url: '/v1/admin/accounts',
        payload: { name: bad },
      },
      {
        name: `${label} account update`,
        method: 'PUT',
        url: `/v1/admin/accounts/${accountId}`,
        payload: { name: bad },
      },
      {
        name: `${label} message`,
        method: 'POST',
        url: `/api/v1/sessions/${legacySessionId}/messages`,
        payload: { message: bad },
      },
      { name: `${label} legacy agent`, method: 'POST', url: '/api/v1/agents', payload: { name: bad } },
      {
        name: `${label} legacy session metadata`,
        method: 'POST',
        url: '/api/v1/sessions',
        payload: { agent_id: legacyAgentId, metadata: { a: bad } },
      },
      {
        name: `${label} legacy end transcript`,
        method: 'PUT',
        url: `/api/v1/sessions/${legacySessionId}/end`,
        payload: { transcript: [{ text: bad }] },
      },
    ];
  }

  const pathCases = (segment: string, inQuery = true): Case[] => [
    { name: `session ${segment.slice(0, 8)}`, method: 'GET', url: `/v1/sessions/${segment}` },
    { name: 'session start', method: 'POST', url: `/v1/sessions/${segment}/start` },
    { name: 'session end', method: 'POST', url: `/v1/sessions/${segment}/end` },
    { name: 'session delete', method: 'DELETE', url: `/v1/sessions/${segment}` },
    { name: 'messages', method: 'GET', url: `/v1/sessions/${segment}/messages` },
    { name: 'agent', method: 'GET', url: `/v1/agents/${segment}` },
    { name: 'avatar', method: 'GET', url: `/v1/avatars/${segment}` },
    { name: 'link', method: 'GET', url: `/v1/links/${segment}` },
    { name: 'key', method: 'POST', url: `/v1/api-keys/${segment}/deactivate` },
    { name: 'account', method: 'GET', url: `/v1/admin/accounts/${segment}` },
    { name: 'legacy session', method: 'GET', url: `/api/v1/sessions/${segment}` },
    { name: 'legacy end', method: 'PUT', url: `/api/v1/sessions/${segment}/end` },
    { name: 'legacy agent', method: 'GET', url: `/api/v1/agents/${segment}` },
    ...(inQuery
      ? [
          { name: 'list cursor', method: 'GET', url: `/v1/sessions?cursor=${segment}` },
          { name: 'list status', method: 'GET', url: `/v1/sessions?status=${segment}` },
          { name: 'legacy list', method: 'GET', url: `/api/v1/sessions?status=${segment}` },
        ]
      : []),
  ];

  const run = async (cases: Case[]) => {
    for (const c of cases) {
      const key = c.url.startsWith('/v1/admin') ? ADMIN_KEY : undefined;
      const res = await t().request({
        method: c.method as 'GET',
        url: c.url,
        ...(c.payload !== undefined && { payload: JSON.stringify(c.payload) }),
        headers: { 'content-type': 'application/json', ...c.headers },
        key: key ?? keyOf(),
      });
      expectDialectError(res, c.url, `${c.name}: ${c.method} ${c.url.slice(0, 80)}`);
    }
  };
  const keyOf = () => key;

  it('NUL characters in body strings, metadata and ids (item 3)', async () => {
    await run(stringCases(NUL, 'NUL'));
    await run(pathCases('a%00b'));
  });

  it('lone surrogates anywhere in a JSON body (item 5)', async () => {
    await run(stringCases(LONE, 'surrogate'));
    // Escaped in the JSON text itself, as a client library would send it.
    const res = await t().request({
      method: 'POST',
      url: '/v1/sessions',
      key,
      headers: { 'content-type': 'application/json' },
      payload: '{"avatar_id":"PUBLIC/Avatars/ada","metadata":{"k":"\\ud800"}}',
    });
    expectDialectError(res, '/v1/sessions', 'escaped surrogate');
  });

  it('integers past 32 bits where the column is 32-bit (item 4)', async () => {
    await run([
      {
        name: 'add_purchased_minutes',
        method: 'PUT',
        url: `/v1/admin/accounts/${accountId}`,
        payload: { add_purchased_minutes: INT32_OVER },
      },
      {
        name: 'purchased_minutes',
        method: 'POST',
        url: '/v1/admin/accounts',
        payload: { purchased_minutes: INT32_OVER },
      },
      {
        name: 'use_limit',
        method: 'POST',
        url: '/v1/links',
        payload: { agent_id: agentId, use_limit: INT32_OVER },
      },
      { name: 'agent_id number', method: 'POST', url: '/v1/sessions', payload: { agent_id: INT32_OVER } },
      { name: 'legacy session id', method: 'GET', url: `/api/v1/sessions/${INT32_OVER}` },
      { name: 'legacy agent id', method: 'GET', url: '/api/v1/agents/99999999999999' },
      { name: 'legacy list agent', method: 'GET', url: `/api/v1/sessions?agent_id=${INT32_OVER}` },
      {
        name: 'legacy create agent_id',
        method: 'POST',
        url: '/api/v1/sessions',
        payload: { agent_id: INT32_OVER },
      },
      {
        name: 'legacy avatar_id',
        method: 'POST',
        url: '/api/v1/agents',
        payload: { name: 'n', avatar_id: INT32_OVER },
      },
      {
        name: 'legacy end duration',
        method: 'PUT',
        url: `/api/v1/sessions/${legacySessionId}/end`,
        payload: { duration: INT32_OVER },
      },
    ]);
    // The largest 32-bit value is still fine where it is a quantity.
    const ok = await t().request({
      method: 'PUT',
      url: `/v1/admin/accounts/${accountId}`,
      key: ADMIN_KEY,
      payload: { add_purchased_minutes: 1 },
    });
    expect(ok.statusCode).toBe(200);
    // A sum past the column's range is refused too, not left to the database.
    const nearMax = { add_purchased_minutes: INT32_OVER - 1 };
    await t().request({
      method: 'PUT',
      url: `/v1/admin/accounts/${accountId}`,
      key: ADMIN_KEY,
      payload: nearMax,
    });
    const overflow = await t().request({
      method: 'PUT',
      url: `/v1/admin/accounts/${accountId}`,
      key: ADMIN_KEY,
      payload: nearMax,
    });
    expectDialectError(overflow, '/v1/admin/accounts', 'purchased minutes sum');
  });

  it('metadata nested too deep or too large names its cap (item 5)', async () => {
    for (const url of ['/v1/sessions', '/api/v1/sessions']) {
      const base = url === '/v1/sessions' ? { avatar_id: 'PUBLIC/Avatars/ada' } : { agent_id: legacyAgentId };
      for (const metadata of [
        nestedJson(6000),
        nestedJson(11),
        JSON.stringify({ big: 'x'.repeat(20_000) }),
      ]) {
        const payload = `${JSON.stringify(base).slice(0, -1)},"metadata":${metadata}}`;
        const res = await t().request({
          method: 'POST',
          url,
          key,
          headers: { 'content-type': 'application/json' },
          payload,
        });
        expectDialectError(res, url, `${url} metadata`);
        expect(res.body).toMatch(/metadata/);
      }
    }
    const deepButAllowed = await t().request({
      method: 'POST',
      url: '/v1/sessions',
      key,
      headers: { 'content-type': 'application/json' },
      payload: `{"avatar_id":"PUBLIC/Avatars/ada","metadata":${nestedJson(9)}}`,
    });
    expect(deepButAllowed.statusCode, deepButAllowed.body).toBe(200);
    // A deep body that is not metadata is refused too, before anything walks it.
    const deepElsewhere = await t().request({
      method: 'POST',
      url: '/v1/agents',
      key,
      headers: { 'content-type': 'application/json' },
      payload: `{"name":"deep","llm":${nestedJson(6000)}}`,
    });
    expectDialectError(deepElsewhere, '/v1/agents', 'deep llm');
    // So is a flat body with more values than any request needs (the guard's walk stays bounded).
    const wide = await t().request({
      method: 'PUT',
      url: `/api/v1/sessions/${legacySessionId}/end`,
      key,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ transcript: Array.from({ length: 100_001 }, () => 0) }),
    });
    expectDialectError(wide, '/api/v1/sessions', 'wide transcript');
    expect(wide.json().error).toMatch(/more than 100000 values/);
  });

  it('multipart upload-face with no, wrong or truncated boundary, or 100 MB (item 6)', async () => {
    const boundary = `----probe${randomBytes(4).toString('hex')}`;
    const part = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nPNGDATA`;
    const cases: { name: string; type: string; body: Buffer | string }[] = [
      { name: 'no boundary', type: 'multipart/form-data', body: `${part}\r\n--${boundary}--\r\n` },
      { name: 'empty boundary', type: 'multipart/form-data; boundary=', body: 'x' },
      {
        name: 'wrong boundary',
        type: 'multipart/form-data; boundary=nothere',
        body: `${part}\r\n--${boundary}--\r\n`,
      },
      { name: 'truncated', type: `multipart/form-data; boundary=${boundary}`, body: part },
      { name: 'garbage', type: `multipart/form-data; boundary=${boundary}`, body: '\u0000\u0001\u0002' },
      {
        name: '100 MB',
        type: `multipart/form-data; boundary=${boundary}`,
        body: Buffer.concat([Buffer.from(part), Buffer.alloc(100 * 1024 * 1024, 0x41)]),
      },
      {
        name: '100 MB, complete',
        type: `multipart/form-data; boundary=${boundary}`,
        body: Buffer.concat([
          Buffer.from(part),
          Buffer.alloc(100 * 1024 * 1024, 0x41),
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]),
      },
    ];
    for (const c of cases) {
      const res = await t().request({
        method: 'POST',
        url: '/v1/avatars/upload-face',
        key,
        headers: { 'content-type': c.type },
        payload: c.body,
      });
      expectDialectError(res, '/v1/avatars/upload-face', `upload-face ${c.name}`);
    }
  });

  it('undecodable and 5,000-character path ids answer the dialect error shape (item 7)', async () => {
    await run(pathCases('%ZZ', false));
    await run(pathCases(LONG_ID, false));
    const unknown = await t().request({ method: 'GET', url: `/v1/sessions/${LONG_ID}`, key });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('SESSION_NOT_FOUND');
  });
});
