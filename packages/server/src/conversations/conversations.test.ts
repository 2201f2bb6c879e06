import { expect, it } from 'vitest';
import { parseSse } from '../testing/sse.js';
import { describeOnBothStores } from '../testing/test-server.js';

const KNOWLEDGE = `# Opening hours
The shop is open Monday to Saturday from 9 am to 6 pm. It is closed on Sundays.

# Repairs
A standard service costs 49 dollars and takes two days. Book a repair by phone or in the shop.

# Rentals
City bikes can be rented for 15 dollars a day. A deposit of 100 dollars is needed.`;

describeOnBothStores('agent conversations over HTTP', (t) => {
  async function chatSession(key: string, extra: Record<string, unknown> = {}) {
    const agent = await t().request({
      method: 'POST',
      url: '/v1/agents',
      key,
      payload: {
        name: 'Ava',
        context: 'You are Ava, the support assistant of Acme Bikes.',
        knowledge: KNOWLEDGE,
        custom_greeting: 'Hi, I am Ava from Acme Bikes. Ask me anything about the shop.',
        ...extra,
      },
    });
    expect(agent.statusCode).toBe(200);
    const created = await t().request({
      method: 'POST',
      url: '/v1/sessions',
      key,
      payload: { agent_id: agent.json().agent.agent_id, session_type: 'agent_chat' },
    });
    expect(created.statusCode).toBe(200);
    return created.json().session as { session_id: string; session_token: string };
  }
  const say = (key: string, id: string, payload: unknown, headers: Record<string, string> = {}) =>
    t().request({
      method: 'POST',
      url: `/v1/sessions/${id}/messages`,
      key,
      headers,
      payload: payload as object,
    });
  const transcriptOf = async (key: string, id: string) =>
    (await t().request({ method: 'GET', url: `/v1/sessions/${id}/messages`, key })).json().messages;
  /** The legacy dialect (`/api/v1`): an agent_chat session of `agentId`, and a message posted to it. */
  const legacyChatSession = async (key: string, agentId: string) =>
    (
      await t().request({
        method: 'POST',
        url: '/api/v1/sessions',
        key,
        payload: { agent_id: agentId, session_type: 'agent_chat' },
      })
    ).json().session as { session_id: string };
  const legacySay = (key: string, id: string, payload: object) =>
    t().request({ method: 'POST', url: `/api/v1/sessions/${id}/messages`, key, payload });

  it('holds a multi-turn chat from the knowledge, says when it does not know, keeps the transcript', async () => {
    const { key } = await t().newAccount('pro');
    const session = await chatSession(key);

    const hours = await say(key, session.session_id, { message: 'When are you open?' });
    expect(hours.statusCode).toBe(200);
    expect(hours.json()).toMatchObject({
      success: true,
      message: { role: 'user', text: 'When are you open?', interrupted: false },
      reply: { role: 'agent', interrupted: false },
    });
    expect(hours.json().reply.text).toContain('Monday to Saturday from 9 am to 6 pm');
    expect(hours.json().message.created_at).toMatch(/Z$/);

    const price = await say(key, session.session_id, { text: 'How much does a bike service cost?' });
    expect(price.json().message.text).toBe('How much does a bike service cost?');
    expect(price.json().reply.text).toContain('49 dollars');
    // A follow-up without the topic's words is answered from the previous turn's topic.
    const followUp = await say(key, session.session_id, { message: 'And how long does it take?' });
    expect(followUp.json().reply.text).toContain('two days');
    const unknown = await say(key, session.session_id, { message: 'Can you recommend a pizza place?' });
    expect(unknown.json().reply.text).toMatch(/don't have information about that/);
    expect(unknown.json().reply.text).not.toContain('49 dollars');

    const transcript = await t().request({
      method: 'GET',
      url: `/v1/sessions/${session.session_id}/messages`,
      key,
    });
    expect(transcript.statusCode).toBe(200);
    const messages = transcript.json().messages;
    expect(messages.map((m: { role: string }) => m.role)).toEqual([
      'agent',
      'user',
      'agent',
      'user',
      'agent',
      'user',
      'agent',
      'user',
      'agent',
    ]);
    expect(messages[0]).toMatchObject({
      text: 'Hi, I am Ava from Acme Bikes. Ask me anything about the shop.',
      greeting: true,
    });
    expect(messages[2].text).toBe(hours.json().reply.text);
    expect(messages[8].text).toBe(unknown.json().reply.text);
  });

  it('streams a reply as server-sent events that add up to the stored reply', async () => {
    const { key } = await t().newAccount('pro');
    const session = await chatSession(key);
    const res = await say(
      key,
      session.session_id,
      { message: 'How much is a city bike rental?' },
      { accept: 'text/event-stream' },
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(res.headers['x-ratelimit-limit']).toBeDefined();
    const events = parseSse(res.body);
    const names = events.map((e) => e.event);
    expect(names[0]).toBe('message');
    expect(names.at(-1)).toBe('done');
    expect(names.filter((n) => n === 'text.delta').length).toBeGreaterThan(1);
    const deltas = events
      .filter((e) => e.event === 'text.delta')
      .map((e) => (e.data as { delta: string }).delta)
      .join('');
    const done = events.at(-1)!.data as { success: boolean; reply: { text: string } };
    expect(done.success).toBe(true);
    expect(done.reply.text).toContain('15 dollars a day');
    expect(deltas.trim()).toBe(done.reply.text);
    const sentences = events
      .filter((e) => e.event === 'sentence')
      .map((e) => (e.data as { text: string }).text);
    expect(sentences.join(' ')).toBe(done.reply.text);
  });

  it('answers the page that holds only the session token, and refuses clearly', async () => {
    const { key } = await t().newAccount('pro');
    const session = await chatSession(key);
    const byToken = await t().request({
      method: 'POST',
      url: `/v1/sessions/${session.session_id}/messages`,
      headers: { 'x-session-token': session.session_token },
      payload: { message: 'Are you open on Sundays?' },
    });
    expect(byToken.statusCode).toBe(200);
    expect(byToken.json().reply.text).toContain('closed on Sundays');

    const other = await chatSession(key);
    const wrongToken = await t().request({
      method: 'GET',
      url: `/v1/sessions/${other.session_id}/messages`,
      headers: { 'x-session-token': session.session_token },
    });
    // Another session's token reads exactly like an unknown session (issue 15 item 11).
    const unknownSession = await t().request({
      method: 'GET',
      url: '/v1/sessions/sess_01ZZZZZZZZZZZZZZZZZZZZZZZZ/messages',
      headers: { 'x-session-token': session.session_token },
    });
    expect([wrongToken.statusCode, wrongToken.json()]).toEqual([404, unknownSession.json()]);
    expect(unknownSession.json().error.code).toBe('SESSION_NOT_FOUND');
    const noAuth = await t().request({ method: 'GET', url: `/v1/sessions/${other.session_id}/messages` });
    expect(noAuth.statusCode).toBe(401);

    const empty = await say(key, session.session_id, { message: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'message' } });
    const missing = await say(key, session.session_id, {});
    expect(missing.json().error.details.field).toBe('message');

    const plain = await t().request({
      method: 'POST',
      url: '/v1/sessions',
      key,
      payload: { avatar: 'PUBLIC/Avatars/ada' },
    });
    const notAgent = await say(key, plain.json().session.session_id, { message: 'hi' });
    expect(notAgent.statusCode).toBe(409);
    expect(notAgent.json().error.code).toBe('NOT_AN_AGENT_SESSION');

    const foreign = await t().newAccount('pro');
    const hidden = await say(foreign.key, session.session_id, { message: 'hi' });
    expect(hidden.statusCode).toBe(404);

    await t().request({ method: 'POST', url: `/v1/sessions/${session.session_id}/end`, key });
    const ended = await say(key, session.session_id, { message: 'Still there?' });
    expect(ended.statusCode).toBe(409);
    expect(ended.json().error.code).toBe('SESSION_ENDED');
    const streamedEnd = await say(
      key,
      session.session_id,
      { message: 'hi' },
      { accept: 'text/event-stream' },
    );
    expect(streamedEnd.statusCode).toBe(409);
    // The transcript stays readable after the end.
    expect(await transcriptOf(key, session.session_id)).toHaveLength(3);
  });

  it('keeps the transcript and the thread of the conversation across a server restart', async () => {
    const { key } = await t().newAccount('pro');
    const session = await chatSession(key);
    const price = await say(key, session.session_id, { message: 'How much does a bike service cost?' });
    expect(price.json().reply.text).toContain('49 dollars');
    const before = await transcriptOf(key, session.session_id);

    await t().restart();

    const after = await transcriptOf(key, session.session_id);
    expect(after).toEqual(before);
    // The new process reloads the history: a follow-up still refers to the earlier topic, no second greeting.
    const followUp = await say(key, session.session_id, { message: 'And how long does it take?' });
    expect(followUp.json().reply.text).toContain('two days');
    const all = await transcriptOf(key, session.session_id);
    expect(all).toHaveLength(5);
    expect(all.filter((m: { greeting?: boolean }) => m.greeting)).toHaveLength(1);
  });

  it('legacy /api/v1: messages by integer id and the transcript in the session', async () => {
    const { key } = await t().newAccount('pro');
    const agent = (
      await t().request({
        method: 'POST',
        url: '/api/v1/agents',
        key,
        payload: { name: 'Legacy', custom_greeting: 'Hello from legacy', context: 'Be brief' },
      })
    ).json().agent;
    await t().request({
      method: 'PUT',
      url: `/v1/agents/${(await t().request({ method: 'GET', url: '/v1/agents', key })).json().agents[0].agent_id}`,
      key,
      payload: { knowledge: KNOWLEDGE },
    });
    const session = await legacyChatSession(key, agent.agent_id);
    const sent = await legacySay(key, session.session_id, { message: 'When are you open?' });
    expect(sent.statusCode).toBe(200);
    expect(sent.json().reply.text).toContain('Monday to Saturday');
    const empty = await legacySay(key, session.session_id, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toEqual({ success: false, error: 'message is required and must not be empty' });

    const detail = (
      await t().request({ method: 'GET', url: `/api/v1/sessions/${session.session_id}`, key })
    ).json().session;
    expect(
      detail.transcript.map((m: { role: string; text: string }) => [m.role, m.text.slice(0, 20)]),
    ).toEqual([
      ['agent', 'Hello from legacy'],
      ['user', 'When are you open?'],
      ['agent', sent.json().reply.text.slice(0, 20)],
    ]);

    // A transcript the client reports at the end is what the session shows from then on.
    const clientTranscript = [
      { role: 'agent', content: 'Hello from legacy', timestamp: '2024-01-15T10:00:00Z' },
      { role: 'user', content: 'bye', timestamp: '2024-01-15T10:00:05Z' },
    ];
    const ended = await t().request({
      method: 'PUT',
      url: `/api/v1/sessions/${session.session_id}/end`,
      key,
      payload: { transcript: clientTranscript },
    });
    expect(ended.json().session).toMatchObject({ status: 'completed', transcript: clientTranscript });
    const closed = await legacySay(key, session.session_id, { message: 'hi' });
    expect(closed.statusCode).toBe(409);
    expect(closed.json()).toEqual({ success: false, error: 'This session has ended' });
  });

  it('legacy /api/v1: an agent whose facts are in its context answers from them', async () => {
    // The legacy dialect has no knowledge field: its clients write the facts into the context.
    const { key } = await t().newAccount('pro');
    const agent = (
      await t().request({
        method: 'POST',
        url: '/api/v1/agents',
        key,
        payload: {
          name: 'Max',
          context:
            'You are Max, the assistant of Sunny Bikes. Keep answers short. Bikes bought from us can be ' +
            'returned within 30 days with the receipt. A basic tune-up costs 49 dollars.',
        },
      })
    ).json().agent;
    const session = await legacyChatSession(key, agent.agent_id);
    const ask = async (message: string) =>
      (await legacySay(key, session.session_id, { message })).json().reply.text as string;
    expect(await ask('Can I bring back a bike I bought last week?')).toBe(
      'Bikes bought from us can be returned within 30 days with the receipt.',
    );
    expect(await ask('What is the capital of France?')).toMatch(
      /^I'm sorry, I don't have information about that\./,
    );
  });
});
