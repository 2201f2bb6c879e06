/**
 * Issue 16 (webhooks): signed at-least-once delivery to a real HTTP receiver on 127.0.0.1 — the session events in
 * order and verifiable, only the subscribed types, transcript.ready, and a session's callback_url.
 */
import { Webhook } from 'standardwebhooks';
import { expect, it } from 'vitest';
import { describeOnBothStores } from '../testing/test-server.js';
import { sleep, typeOf, verified, WEBHOOK_SUITE, webhookFixture } from './webhooks-fixture.js';

describeOnBothStores(
  'webhook delivery',
  (t) => {
    const hooks = webhookFixture(t);
    const { addWebhook, createSession, endSession } = hooks;

    it('session.started and session.ended arrive signed, in order, and verify', async () => {
      const { key } = await t().newAccount('pro');
      const { secret } = await addWebhook(key);
      const sessionId = await createSession(key);
      await endSession(key, sessionId);
      const got = await hooks.receiver.waitFor(2);
      expect(got.map(typeOf)).toEqual(['session.started', 'session.ended']);
      const [started, ended] = got.map((r) => verified(r, secret));
      expect(started).toMatchObject({
        type: 'session.started',
        data: { session: { session_id: sessionId, status: 'started' } },
      });
      expect(ended).toMatchObject({
        type: 'session.ended',
        data: {
          session: { session_id: sessionId, status: 'ended', end_reason: 'client' },
          end_reason: 'client',
          billing: { minutes_charged: expect.any(Number) },
          duration: expect.any(Number),
        },
      });
      for (const r of got) {
        expect(r.path).toBe('/hook');
        expect(r.headers['webhook-id']).toMatch(/^evt_/);
        expect(r.headers['content-type']).toBe('application/json');
        expect(r.body).not.toContain(secret);
        // Viewer credentials of the platform room stay in the API.
        expect(JSON.parse(r.body).data.session.room).toBeUndefined();
      }
      // A wrong secret or a changed body fails verification.
      expect(() =>
        new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(
          got[0]!.body,
          got[0]!.headers as Record<string, string>,
        ),
      ).toThrow();
      expect(() =>
        new Webhook(secret).verify(`${got[0]!.body} `, got[0]!.headers as Record<string, string>),
      ).toThrow();
    });

    it('sends only the subscribed types, and transcript.ready when an agent session ends', async () => {
      const { key } = await t().newAccount('pro');
      const { secret } = await addWebhook(key, { events: ['transcript.ready'] });
      const agent = await t().request({
        method: 'POST',
        url: '/v1/agents',
        key,
        payload: { name: 'Ava', knowledge: 'We are open Monday to Saturday from 9 am to 6 pm.' },
      });
      expect(agent.statusCode, agent.body).toBe(200);
      const session = await t().request({
        method: 'POST',
        url: '/v1/sessions',
        key,
        payload: { agent_id: agent.json().agent.agent_id, session_type: 'agent_chat' },
      });
      const sessionId = session.json().session.session_id;
      const said = await t().request({
        method: 'POST',
        url: `/v1/sessions/${sessionId}/messages`,
        key,
        payload: { message: 'When are you open?' },
      });
      expect(said.statusCode, said.body).toBe(200);
      await endSession(key, sessionId);
      const [transcript] = await hooks.receiver.waitFor(1);
      const event = verified(transcript!, secret);
      expect(event.type).toBe('transcript.ready');
      if (event.type !== 'transcript.ready') return;
      expect(event.data.session_id).toBe(sessionId);
      expect(event.data.messages.map((m) => m.role)).toContain('user');
      expect(event.data.messages.find((m) => m.role === 'user')?.text).toBe('When are you open?');
      expect(event.data.messages.some((m) => m.role === 'agent' && /9 am/.test(m.text))).toBe(true);
      await sleep(300);
      expect(hooks.receiver.received.map(typeOf)).toEqual(['transcript.ready']);
    });

    it('a session’s callback_url gets that session’s events, signed with the account’s callback secret', async () => {
      const { key } = await t().newAccount('pro');
      const secret = (await t().request({ method: 'GET', url: '/v1/webhooks/callback-secret', key })).json()
        .secret;
      expect(secret).toMatch(/^whsec_/);
      const again = (await t().request({ method: 'GET', url: '/v1/webhooks/callback-secret', key })).json()
        .secret;
      expect(again).toBe(secret);
      const mine = await createSession(key, { callback_url: `${hooks.receiver.url}/cb` });
      const notMine = await createSession(key);
      await endSession(key, notMine);
      await endSession(key, mine);
      const got = await hooks.receiver.waitFor(2);
      await sleep(300);
      expect(hooks.receiver.received).toHaveLength(2);
      const events = got.map((r) => verified(r, secret));
      expect(events.map((e) => e.type)).toEqual(['session.started', 'session.ended']);
      for (const r of got) expect(r.path).toBe('/cb');
      for (const e of events) expect(JSON.stringify(e)).toContain(mine);
      // Callback URLs are not account endpoints.
      expect((await t().request({ method: 'GET', url: '/v1/webhooks', key })).json().webhooks).toEqual([]);
    });
  },
  WEBHOOK_SUITE,
);
