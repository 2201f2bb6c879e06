import { expect, it } from 'vitest';
import { describeOnBothStores } from '../testing/test-server.js';

describeOnBothStores('legacy /api/v1 dialect', (t) => {
  it('creates agents and agent sessions with integer ids, lists, gets and ends them', async () => {
    const { key } = await t().newAccount('pro');
    const agentRes = await t().request({
      method: 'POST',
      url: '/api/v1/agents',
      key,
      payload: { name: 'Support', avatar_id: 1, custom_greeting: 'Hello', context: 'Be brief' },
    });
    expect(agentRes.statusCode).toBe(200);
    const agent = agentRes.json().agent;
    expect(agent).toMatchObject({
      name: 'Support',
      avatar_id: 1,
      language: 'en',
      status: 'active',
      custom_greeting: 'Hello',
    });
    expect(Number.isInteger(agent.agent_id)).toBe(true);

    const created = await t().request({
      method: 'POST',
      url: '/api/v1/sessions',
      key,
      payload: { agent_id: agent.agent_id, metadata: { a: 1 } },
    });
    expect(created.statusCode).toBe(200);
    const body = created.json();
    expect(body.message).toBe('Session started successfully');
    expect(body.session).toMatchObject({
      agent_id: agent.agent_id,
      agent_name: 'Support',
      session_type: 'agent_voice',
      status: 'active',
      metadata: { a: 1 },
      avatar_id: 1,
      avatar_name: 'Eileen',
    });
    const sessionId = body.session.session_id;
    expect(Number.isInteger(sessionId)).toBe(true);

    const active = await t().request({
      method: 'GET',
      url: `/api/v1/sessions?agent_id=${agent.agent_id}&status=active`,
      key,
    });
    expect(active.json().sessions.map((s: { session_id: number }) => s.session_id)).toEqual([sessionId]);

    const ended = await t().request({
      method: 'PUT',
      url: `/api/v1/sessions/${sessionId}/end`,
      key,
      payload: { duration: 42, transcript: [{ role: 'user', text: 'hi' }] },
    });
    expect(ended.json()).toMatchObject({
      message: 'Session ended successfully',
      session: {
        status: 'completed',
        duration: 42,
        transcript: [{ role: 'user', text: 'hi' }],
        language: 'en',
      },
    });
    const one = (await t().request({ method: 'GET', url: `/api/v1/sessions/${sessionId}`, key })).json()
      .session;
    expect(one).toMatchObject({ status: 'completed', duration: 42 });
    expect(one.created_at).toMatch(/Z$/);
    expect(one.ended_at).toMatch(/Z$/);
    const completed = await t().request({ method: 'GET', url: '/api/v1/sessions?status=completed', key });
    expect(completed.json().sessions).toHaveLength(1);
    expect(
      (await t().request({ method: 'GET', url: '/api/v1/sessions?status=active', key })).json().sessions,
    ).toEqual([]);

    const list = (await t().request({ method: 'GET', url: '/api/v1/agents', key })).json().agents;
    expect(list[0]).toMatchObject({ agent_id: agent.agent_id, total_sessions: 1, avatar_name: 'Eileen' });
    const detail = (await t().request({ method: 'GET', url: `/api/v1/agents/${agent.agent_id}`, key })).json()
      .agent;
    expect(detail).toMatchObject({ properties: {}, memories: [], role_id: null });
    expect(Number.isInteger(detail.user_id)).toBe(true);

    const messages = await t().request({
      method: 'POST',
      url: `/api/v1/sessions/${sessionId}/messages`,
      key,
      payload: { message: 'hi' },
    });
    expect([messages.statusCode, typeof messages.json().error]).toEqual([409, 'string']);
  });

  it('answers string errors: unknown or foreign agent, foreign session, bad input', async () => {
    const a = await t().newAccount('pro');
    const b = await t().newAccount('pro');
    const agent = (
      await t().request({ method: 'POST', url: '/api/v1/agents', key: a.key, payload: { name: 'A' } })
    ).json().agent;
    for (const agentId of [agent.agent_id, 99_999_999]) {
      const res = await t().request({
        method: 'POST',
        url: '/api/v1/sessions',
        key: b.key,
        payload: { agent_id: agentId },
      });
      expect([res.statusCode, res.json()]).toEqual([
        404,
        { success: false, error: 'Agent not found or access denied' },
      ]);
    }
    const session = (
      await t().request({
        method: 'POST',
        url: '/api/v1/sessions',
        key: a.key,
        payload: { agent_id: agent.agent_id },
      })
    ).json().session;
    const foreign = await t().request({
      method: 'GET',
      url: `/api/v1/sessions/${session.session_id}`,
      key: b.key,
    });
    expect(foreign.statusCode).toBe(404);
    expect(
      (await t().request({ method: 'GET', url: `/api/v1/agents/${agent.agent_id}`, key: b.key })).statusCode,
    ).toBe(404);
    const bad = await t().request({
      method: 'POST',
      url: '/api/v1/sessions',
      key: a.key,
      payload: { agent_id: 'x' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().success).toBe(false);
    expect(bad.json().error).toContain('agent_id');
    const v1 = (await t().request({ method: 'GET', url: '/v1/sessions', key: a.key })).json().sessions;
    expect(v1[0]).toMatchObject({ status: 'started', session_type: 'agent_voice' });
  });

  it('ends a session on PUT …/end with no body at all, as with an empty one (issue 15 item 15)', async () => {
    const { key } = await t().newAccount('pro');
    const agent = (
      await t().request({ method: 'POST', url: '/api/v1/agents', key, payload: { name: 'Bodiless' } })
    ).json().agent;
    for (const headers of [{}, { 'content-type': 'application/json' }]) {
      const session = (
        await t().request({
          method: 'POST',
          url: '/api/v1/sessions',
          key,
          payload: { agent_id: agent.agent_id },
        })
      ).json().session;
      const ended = await t().request({
        method: 'PUT',
        url: `/api/v1/sessions/${session.session_id}/end`,
        key,
        headers,
      });
      expect([ended.statusCode, ended.json().session?.status], ended.body).toEqual([200, 'completed']);
    }
  });

  it('is described in /openapi.json (and so in /docs) next to /v1', async () => {
    const spec = (await t().request({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of [
      '/api/v1/sessions',
      '/api/v1/sessions/{id}',
      '/api/v1/sessions/{id}/end',
      '/api/v1/sessions/{id}/messages',
      '/api/v1/agents',
      '/api/v1/agents/{id}',
    ]) {
      expect(spec.paths[path], path).toBeDefined();
    }
    expect(spec.paths['/api/v1/sessions/{id}/end'].put.tags).toEqual(['Legacy /api/v1']);
    expect(spec.paths['/api/v1/sessions/{id}/end'].put.requestBody?.required ?? false).toBe(false);
    const docs = await t().request({ method: 'GET', url: '/docs/json' });
    expect(Object.keys(docs.json().paths)).toContain('/api/v1/agents/{id}');
  });
});
