/**
 * Issue 15 item 9: an account cannot make the server call its own network through an agent's `llm.base_url`.
 * A real loopback HTTP server stands in for an internal service; it must not be reached (at save time, nor at
 * connect time after a DNS answer changed), unless the operator lists it in AGENTHUMAN_ALLOWED_PRIVATE_HOSTS.
 */
import { type FakeHttpServer, startFakeHttpServer } from '@agenthuman/agents/testing/fake-http-server';
import { parseChatRequest, streamChatReply } from '@agenthuman/agents/testing/fake-openai-chat';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Resolver } from '../avatars/fetch/safe-fetch.js';
import { describeOnBothStores, type TestServer } from '../testing/test-server.js';

let internal: FakeHttpServer;
let port = 0;
// `rebind.example` answers a public address once (when the agent is saved), then loopback.
let rebindAnswers = 0;
const resolver: Resolver = async (hostname) => {
  if (hostname === 'rebind.example') {
    rebindAnswers += 1;
    return [{ address: rebindAnswers === 1 ? '93.184.216.34' : '127.0.0.1', family: 4 }];
  }
  if (hostname === 'internal.example') return [{ address: '127.0.0.1', family: 4 }];
  throw new Error(`ENOTFOUND ${hostname}`);
};

beforeAll(async () => {
  internal = await startFakeHttpServer(async (req, res) => {
    const body = parseChatRequest(req);
    await streamChatReply(res, [`internal secret for "${body.messages.at(-1)!.content}"`]);
  });
  port = Number(new URL(internal.url).port);
});
afterAll(async () => {
  await internal?.close();
});

const agentBody = (llm: Record<string, unknown>) => ({ name: 'Probe', llm: { model: 'm', ...llm } });

async function chat(t: TestServer, key: string, agentId: string) {
  const session = await t.request({
    method: 'POST',
    url: '/v1/sessions',
    key,
    payload: { agent_id: agentId, session_type: 'agent_chat' },
  });
  expect(session.statusCode, session.body).toBe(200);
  return t.request({
    method: 'POST',
    url: `/v1/sessions/${session.json().session.session_id}/messages`,
    key,
    payload: { message: 'hello' },
  });
}

describeOnBothStores(
  'llm.base_url cannot reach private addresses',
  (t) => {
    it('refuses loopback and private endpoints when the agent is saved, naming the field', async () => {
      const { key } = await t().newAccount('pro');
      const refused = [
        { provider: 'openai-compatible', base_url: `http://127.0.0.1:${port}/v1` },
        { provider: 'openai-compatible', base_url: `http://[::ffff:127.0.0.1]:${port}/v1` },
        { provider: 'ollama', base_url: `http://internal.example:${port}/v1` },
        { provider: 'vllm', base_url: 'http://169.254.169.254/latest' },
        // A provider name whose default endpoint is loopback is the account's choice too.
        { provider: 'ollama' },
      ];
      for (const llm of refused) {
        const res = await t().request({ method: 'POST', url: '/v1/agents', key, payload: agentBody(llm) });
        expect([res.statusCode, res.json().error?.details?.field], JSON.stringify(llm)).toEqual([
          400,
          'llm.base_url',
        ]);
        expect(res.json().error.message).toContain('AGENTHUMAN_ALLOWED_PRIVATE_HOSTS');
      }
      const agent = (
        await t().request({ method: 'POST', url: '/v1/agents', key, payload: { name: 'Plain' } })
      ).json().agent;
      const update = await t().request({
        method: 'PUT',
        url: `/v1/agents/${agent.agent_id}`,
        key,
        payload: {
          llm: { provider: 'openai-compatible', model: 'm', base_url: `http://127.0.0.1:${port}/v1` },
        },
      });
      expect([update.statusCode, update.json().error.details.field]).toEqual([400, 'llm.base_url']);
      expect(internal.requests).toHaveLength(0);
    });

    it('checks again when connecting: a name that turned private (DNS rebinding) is not reached', async () => {
      const { key } = await t().newAccount('pro');
      rebindAnswers = 0;
      const saved = await t().request({
        method: 'POST',
        url: '/v1/agents',
        key,
        payload: agentBody({ provider: 'openai-compatible', base_url: `http://rebind.example:${port}/v1` }),
      });
      expect(saved.statusCode, saved.body).toBe(200);
      const reply = await chat(t(), key, saved.json().agent.agent_id);
      expect(reply.statusCode).toBe(502);
      expect(reply.json().error.code).toBe('AGENT_REPLY_FAILED');
      expect(reply.body).not.toContain('internal secret');
      expect(rebindAnswers).toBeGreaterThanOrEqual(2);
      expect(internal.requests).toHaveLength(0);
    });
  },
  { server: { fetchPolicy: { resolver } } },
);

describeOnBothStores(
  'llm.base_url on a private host the operator allowed',
  (t) => {
    it('reaches a loopback model listed in AGENTHUMAN_ALLOWED_PRIVATE_HOSTS', async () => {
      const before = internal.requests.length;
      const { key } = await t().newAccount('pro');
      const saved = await t().request({
        method: 'POST',
        url: '/v1/agents',
        key,
        payload: agentBody({ provider: 'ollama', base_url: `http://127.0.0.1:${port}/v1` }),
      });
      expect(saved.statusCode, saved.body).toBe(200);
      const reply = await chat(t(), key, saved.json().agent.agent_id);
      expect(reply.statusCode, reply.body).toBe(200);
      expect(reply.json().reply.text).toContain('internal secret for "hello"');
      expect(internal.requests.length).toBeGreaterThan(before);
      // Only what is listed: another loopback address stays refused.
      const other = await t().request({
        method: 'POST',
        url: '/v1/agents',
        key,
        payload: agentBody({ provider: 'ollama', base_url: `http://127.0.0.2:${port}/v1` }),
      });
      expect(other.statusCode).toBe(400);
    });
  },
  { env: { AGENTHUMAN_ALLOWED_PRIVATE_HOSTS: '127.0.0.1' }, server: { fetchPolicy: { resolver } } },
);
