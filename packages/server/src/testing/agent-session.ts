/** @module Test helper: an agent and an `agent_video` session for it, created through the HTTP API. */
import type { TestServer } from './test-server.js';

export async function createAgentVideoSession(
  t: TestServer,
  key: string,
  agent: { name: string; knowledge: string; custom_greeting: string },
) {
  const created = (await t.request({ method: 'POST', url: '/v1/agents', key, payload: agent })).json().agent;
  return (
    await t.request({
      method: 'POST',
      url: '/v1/sessions',
      key,
      payload: { agent_id: created.agent_id, session_type: 'agent_video' },
    })
  ).json().session;
}
