import { expect, it } from 'vitest';
import { describeOnBothStores } from '../testing/test-server.js';

describeOnBothStores(
  'agents API',
  (t) => {
    it('creates, lists, gets, updates (voice_agent merged) and deletes agents', async () => {
      const { key } = await t().newAccount('pro');
      const created = await t().request({
        method: 'POST',
        url: '/v1/agents',
        key,
        payload: {
          name: 'Support Bot',
          avatar_id: 'PUBLIC/Avatars/ada',
          custom_greeting: 'Welcome!',
          context: 'Be brief.',
          knowledge: 'We ship worldwide.',
          voice_id: 'awb',
          llm: { provider: 'ollama', model: 'llama3.2' },
          voice_agent: { provider: 'builtin', agent_id: 'own-1', auth_method: 'public' },
        },
      });
      expect(created.statusCode).toBe(200);
      const agent = created.json().agent;
      expect(agent).toMatchObject({
        name: 'Support Bot',
        avatar_id: 'PUBLIC/Avatars/ada',
        language: 'en',
        custom_greeting: 'Welcome!',
        knowledge: 'We ship worldwide.',
        voice_id: 'awb',
        llm: { provider: 'ollama', model: 'llama3.2' },
        voice_agent: { provider: 'builtin', agent_id: 'own-1', auth_method: 'public' },
      });
      expect(agent.agent_id).toMatch(/^agnt_[0-9A-Z]{26}$/);
      const plain = (
        await t().request({ method: 'POST', url: '/v1/agents', key, payload: { name: 'Plain' } })
      ).json().agent;
      expect(plain).toMatchObject({ llm: { provider: 'builtin' }, voice_agent: { provider: 'builtin' } });

      const list = (await t().request({ method: 'GET', url: '/v1/agents', key })).json().agents;
      expect(list.map((a: { agent_id: string }) => a.agent_id)).toEqual([plain.agent_id, agent.agent_id]);

      const update = await t().request({
        method: 'PUT',
        url: `/v1/agents/${agent.agent_id}`,
        key,
        payload: { voice_agent: { auth_method: 'token' }, custom_greeting: null, language: 'de' },
      });
      expect(update.statusCode).toBe(200);
      expect(update.json().agent).toMatchObject({
        name: 'Support Bot',
        language: 'de',
        custom_greeting: null,
        context: 'Be brief.',
        voice_agent: { provider: 'builtin', agent_id: 'own-1', auth_method: 'token' },
        llm: { provider: 'ollama', model: 'llama3.2' },
      });
      const back = await t().request({
        method: 'PUT',
        url: `/v1/agents/${agent.agent_id}`,
        key,
        payload: { llm: null, avatar_id: null },
      });
      expect(back.json().agent).toMatchObject({ llm: { provider: 'builtin' }, avatar_id: null });
      const got = (await t().request({ method: 'GET', url: `/v1/agents/${agent.agent_id}`, key })).json()
        .agent;
      expect(got).toEqual(back.json().agent);

      const foreign = await t().newAccount('pro');
      for (const method of ['GET', 'PUT', 'DELETE'] as const) {
        const res = await t().request({
          method,
          url: `/v1/agents/${agent.agent_id}`,
          key: foreign.key,
          ...(method === 'PUT' && { payload: { name: 'x' } }),
        });
        expect(res.statusCode).toBe(404);
        expect(res.json().error.code).toBe('AGENT_NOT_FOUND');
      }

      const deleted = await t().request({ method: 'DELETE', url: `/v1/agents/${agent.agent_id}`, key });
      expect(deleted.json()).toEqual({ success: true, message: 'Agent deleted successfully' });
      expect(
        (await t().request({ method: 'GET', url: `/v1/agents/${agent.agent_id}`, key })).statusCode,
      ).toBe(404);
    });

    it('refuses bad settings with the field named, and never takes a provider key', async () => {
      const { key } = await t().newAccount('pro');
      const bad = async (payload: object, field: string) => {
        const res = await t().request({ method: 'POST', url: '/v1/agents', key, payload });
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION_ERROR');
        expect(res.json().error.details.field).toBe(field);
        return res;
      };
      await bad({}, 'name');
      await bad({ name: '  ' }, 'name');
      await bad({ name: 'x', llm: { provider: 'openai' } }, 'llm.model');
      await bad({ name: 'x', llm: { provider: 'skynet', model: 'm' } }, 'llm.provider');
      await bad({ name: 'x', llm: { provider: 'llama-cpp' } }, 'llm.provider');
      const secret = await bad(
        { name: 'x', llm: { provider: 'openai', model: 'gpt-4o-mini', api_key: 'sk-secret-value' } },
        'llm.api_key',
      );
      expect(secret.body).not.toContain('sk-secret-value');
      const update = await t().request({
        method: 'PUT',
        url: '/v1/agents/agnt_unknown',
        key,
        payload: { name: 'x' },
      });
      expect(update.statusCode).toBe(404);
    });
  },
  // The agents here use a local Ollama (127.0.0.1:11434 by default): private, so the operator allows it.
  { env: { AGENTHUMAN_ALLOWED_PRIVATE_HOSTS: '127.0.0.1' } },
);
