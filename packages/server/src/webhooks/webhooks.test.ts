/**
 * Issue 16 (webhooks): endpoints, signed at-least-once delivery to a real HTTP receiver on 127.0.0.1, retries
 * on a short injected schedule, per-endpoint order, disabling, replay, callback_url, and the SSRF guard.
 */
import { Writable } from 'node:stream';
import { WebhookEvent } from '@agenthuman/protocol';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeOnBothStores, startTestServer, type TestServer } from '../testing/test-server.js';
import {
  type ReceivedWebhook,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../testing/webhook-receiver.js';

const FAST = {
  pollMs: 20,
  timeoutMs: 2_000,
  schedule: { delaysMs: [150, 150, 150], thenEveryMs: 150, jitter: 0, disableAfterMs: 1_500 },
};
const ALLOW_LOOPBACK = { AGENTHUMAN_ALLOWED_PRIVATE_HOSTS: '127.0.0.1' };

const verified = (r: ReceivedWebhook, secret: string) =>
  WebhookEvent.parse(new Webhook(secret).verify(r.body, r.headers as Record<string, string>));
const typeOf = (r: ReceivedWebhook) => (JSON.parse(r.body) as { type: string }).type;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeOnBothStores(
  'webhooks',
  (t) => {
    let receiver: WebhookReceiver;
    beforeEach(async () => {
      receiver = await startWebhookReceiver();
    });
    afterEach(async () => {
      await receiver.close();
    });

    async function addWebhook(key: string, body: Record<string, unknown> = {}) {
      const res = await t().request({
        method: 'POST',
        url: '/v1/webhooks',
        key,
        payload: { url: `${receiver.url}/hook`, ...body },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { webhook: { webhook_id: string }; secret: string };
    }
    const createSession = async (key: string, payload: Record<string, unknown> = {}) => {
      const res = await t().request({
        method: 'POST',
        url: '/v1/sessions',
        key,
        payload: { avatar: 'PUBLIC/Avatars/ada', ...payload },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().session.session_id as string;
    };
    const endSession = async (key: string, id: string) => {
      const res = await t().request({ method: 'POST', url: `/v1/sessions/${id}/end`, key });
      expect(res.statusCode, res.body).toBe(200);
    };
    const deliveries = async (key: string, id: string) =>
      (await t().request({ method: 'GET', url: `/v1/webhooks/${id}/deliveries`, key })).json().deliveries;

    it('creates, lists, gets and deletes endpoints; the secret only once; foreign ids read like unknown ones', async () => {
      const { key } = await t().newAccount('pro');
      const other = await t().newAccount('pro');
      const created = await addWebhook(key, { events: ['session.ended'], description: 'backend' });
      expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      expect(created.webhook).toMatchObject({
        url: `${receiver.url}/hook`,
        events: ['session.ended'],
        description: 'backend',
        status: 'enabled',
        disabled_at: null,
      });
      const id = created.webhook.webhook_id;
      const list = await t().request({ method: 'GET', url: '/v1/webhooks', key });
      expect(list.json().webhooks).toEqual([created.webhook]);
      expect(list.body).not.toContain(created.secret);
      const got = await t().request({ method: 'GET', url: `/v1/webhooks/${id}`, key });
      expect(got.json().webhook).toEqual(created.webhook);
      expect(got.body).not.toContain(created.secret);

      const unknown = await t().request({ method: 'GET', url: '/v1/webhooks/whk_unknown', key });
      for (const [method, path] of [
        ['GET', ''],
        ['DELETE', ''],
        ['POST', '/test'],
        ['GET', '/deliveries'],
        ['POST', '/enable'],
      ] as const) {
        const foreign = await t().request({ method, url: `/v1/webhooks/${id}${path}`, key: other.key });
        expect(foreign.statusCode).toBe(404);
        expect(foreign.json()).toEqual(unknown.json());
      }
      expect(unknown.json().error.code).toBe('WEBHOOK_NOT_FOUND');
      expect(
        (await t().request({ method: 'GET', url: '/v1/webhooks', key: other.key })).json().webhooks,
      ).toEqual([]);

      const del = await t().request({ method: 'DELETE', url: `/v1/webhooks/${id}`, key });
      expect(del.statusCode).toBe(200);
      expect((await t().request({ method: 'GET', url: `/v1/webhooks/${id}`, key })).statusCode).toBe(404);
    });

    it('refuses bad input with a coded 400 naming the field', async () => {
      const { key } = await t().newAccount('pro');
      const cases: [Record<string, unknown>, string][] = [
        [{}, 'url'],
        [{ url: 'ftp://example.com/x' }, 'url'],
        [{ url: 'not a url' }, 'url'],
        [{ url: `${receiver.url}/h`, events: ['session.exploded'] }, 'events.0'],
        [{ url: `${receiver.url}/h`, events: [] }, 'events'],
      ];
      for (const [payload, field] of cases) {
        const res = await t().request({ method: 'POST', url: '/v1/webhooks', key, payload });
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        expect(res.json().error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field } });
      }
      const session = await t().request({
        method: 'POST',
        url: '/v1/sessions',
        key,
        payload: { avatar: 'PUBLIC/Avatars/ada', callback_url: 'javascript:alert(1)' },
      });
      expect(session.statusCode).toBe(400);
      expect(session.json().error).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: { field: 'callback_url' },
      });
      const created = await addWebhook(key);
      const replay = await t().request({
        method: 'POST',
        url: `/v1/webhooks/${created.webhook.webhook_id}/deliveries/whd_nope/replay`,
        key,
      });
      expect(replay.statusCode).toBe(404);
      expect(replay.json().error.code).toBe('WEBHOOK_DELIVERY_NOT_FOUND');
    });

    it('session.started and session.ended arrive signed, in order, and verify', async () => {
      const { key } = await t().newAccount('pro');
      const { secret } = await addWebhook(key);
      const sessionId = await createSession(key);
      await endSession(key, sessionId);
      const got = await receiver.waitFor(2);
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
      const [transcript] = await receiver.waitFor(1);
      const event = verified(transcript!, secret);
      expect(event.type).toBe('transcript.ready');
      if (event.type !== 'transcript.ready') return;
      expect(event.data.session_id).toBe(sessionId);
      expect(event.data.messages.map((m) => m.role)).toContain('user');
      expect(event.data.messages.find((m) => m.role === 'user')?.text).toBe('When are you open?');
      expect(event.data.messages.some((m) => m.role === 'agent' && /9 am/.test(m.text))).toBe(true);
      await sleep(300);
      expect(receiver.received.map(typeOf)).toEqual(['transcript.ready']);
    });

    it('a receiver answering 500 three times then 200 gets the event exactly once more', async () => {
      const { key } = await t().newAccount('pro');
      const { webhook, secret } = await addWebhook(key, { events: ['session.started'] });
      receiver.answerWith(500, 500, 500);
      await createSession(key);
      const got = await receiver.waitFor(4);
      await sleep(600);
      expect(receiver.received).toHaveLength(4);
      expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(1);
      for (const r of got) expect(verified(r, secret).type).toBe('session.started');
      // The schedule (150 ms) separates the attempts.
      for (let i = 1; i < got.length; i++) expect(got[i]!.at - got[i - 1]!.at).toBeGreaterThanOrEqual(100);
      const [delivery] = await deliveries(key, webhook.webhook_id);
      expect(delivery).toMatchObject({
        status: 'succeeded',
        attempts: 4,
        response_status: 200,
        event_type: 'session.started',
        last_error: null,
        next_attempt_at: null,
      });
      expect(delivery.latency_ms).toEqual(expect.any(Number));
    });

    it('a receiver that does not answer in time is retried (the attempt times out)', async () => {
      const { key } = await t().newAccount('pro');
      const { webhook } = await addWebhook(key, { events: ['session.started'] });
      receiver.answerWith(0);
      await createSession(key);
      const got = await receiver.waitFor(2, undefined, 15_000);
      // The 2 s timeout, then the 150 ms retry.
      expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(1_900);
      let delivery: { status: string; attempts: number } | undefined;
      for (let i = 0; i < 50 && delivery?.status !== 'succeeded'; i++) {
        [delivery] = await deliveries(key, webhook.webhook_id);
        await sleep(50);
      }
      expect(delivery).toMatchObject({ status: 'succeeded', attempts: 2, response_status: 200 });
    });

    it('keeps an endpoint’s order: the next event waits until the previous one got through', async () => {
      const { key } = await t().newAccount('pro');
      const { secret } = await addWebhook(key);
      receiver.answerWith(503, 503);
      const sessionId = await createSession(key);
      await endSession(key, sessionId);
      const got = await receiver.waitFor(4);
      expect(got.map(typeOf)).toEqual([
        'session.started',
        'session.started',
        'session.started',
        'session.ended',
      ]);
      expect(verified(got[3]!, secret).type).toBe('session.ended');
    });

    it('test event, replay with the same webhook-id, and the deliveries list', async () => {
      const { key } = await t().newAccount('pro');
      const { webhook, secret } = await addWebhook(key, { events: ['avatar.ready'] });
      const test = await t().request({ method: 'POST', url: `/v1/webhooks/${webhook.webhook_id}/test`, key });
      expect(test.statusCode, test.body).toBe(200);
      expect(test.json().delivery).toMatchObject({
        event_type: 'webhook.test',
        status: 'pending',
        attempts: 0,
      });
      const [first] = await receiver.waitFor(1);
      expect(verified(first!, secret)).toMatchObject({
        type: 'webhook.test',
        data: { webhook_id: webhook.webhook_id },
      });
      const deliveryId = test.json().delivery.delivery_id;
      const replay = await t().request({
        method: 'POST',
        url: `/v1/webhooks/${webhook.webhook_id}/deliveries/${deliveryId}/replay`,
        key,
      });
      expect(replay.statusCode, replay.body).toBe(200);
      expect(replay.json().delivery.delivery_id).not.toBe(deliveryId);
      const both = await receiver.waitFor(2);
      expect(both[1]!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
      // The receiver answers before the attempt is recorded: wait for the record.
      let list: { status: string }[] = [];
      for (let i = 0; i < 50; i++) {
        list = await deliveries(key, webhook.webhook_id);
        if (list.every((d) => d.status === 'succeeded')) break;
        await sleep(50);
      }
      expect(list).toHaveLength(2);
      expect(list.map((d) => d.status)).toEqual(['succeeded', 'succeeded']);
    });

    it('disables an endpoint after sustained failure, with the reason; enabling it resumes delivery', async () => {
      const { key } = await t().newAccount('pro');
      const { webhook } = await addWebhook(key, { events: ['session.started'] });
      receiver.answerWith(...Array<number>(40).fill(500));
      await createSession(key);
      const deadline = Date.now() + 10_000;
      let view: { status: string; disabled_reason: string | null } | undefined;
      while (Date.now() < deadline) {
        view = (await t().request({ method: 'GET', url: `/v1/webhooks/${webhook.webhook_id}`, key })).json()
          .webhook;
        if (view?.status === 'disabled') break;
        await sleep(100);
      }
      expect(view?.status).toBe('disabled');
      expect(view?.disabled_reason).toMatch(/failed .*HTTP 500/);
      const attemptsWhenDisabled = receiver.received.length;
      await sleep(500);
      expect(receiver.received.length).toBe(attemptsWhenDisabled);
      // New events do not queue for a disabled endpoint.
      await createSession(key);
      receiver.answerWith();
      receiver.received.length = 0;
      const enabled = await t().request({
        method: 'POST',
        url: `/v1/webhooks/${webhook.webhook_id}/enable`,
        key,
      });
      expect(enabled.json().webhook).toMatchObject({ status: 'enabled', disabled_reason: null });
      const [resumed] = await receiver.waitFor(1);
      expect(typeOf(resumed!)).toBe('session.started');
      await sleep(400);
      expect(receiver.received).toHaveLength(1);
    });

    it('a session’s callback_url gets that session’s events, signed with the account’s callback secret', async () => {
      const { key } = await t().newAccount('pro');
      const secret = (await t().request({ method: 'GET', url: '/v1/webhooks/callback-secret', key })).json()
        .secret;
      expect(secret).toMatch(/^whsec_/);
      const again = (await t().request({ method: 'GET', url: '/v1/webhooks/callback-secret', key })).json()
        .secret;
      expect(again).toBe(secret);
      const mine = await createSession(key, { callback_url: `${receiver.url}/cb` });
      const notMine = await createSession(key);
      await endSession(key, notMine);
      await endSession(key, mine);
      const got = await receiver.waitFor(2);
      await sleep(300);
      expect(receiver.received).toHaveLength(2);
      const events = got.map((r) => verified(r, secret));
      expect(events.map((e) => e.type)).toEqual(['session.started', 'session.ended']);
      for (const r of got) expect(r.path).toBe('/cb');
      for (const e of events) expect(JSON.stringify(e)).toContain(mine);
      // Callback URLs are not account endpoints.
      expect((await t().request({ method: 'GET', url: '/v1/webhooks', key })).json().webhooks).toEqual([]);
    });
  },
  { env: ALLOW_LOOPBACK, server: { webhooks: FAST } },
);

describe('webhook URLs and the outbound guard', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.server.close();
    await t?.database.drop();
    t = undefined;
  });

  it('refuses private receivers unless the operator allows them', async () => {
    t = await startTestServer('pglite', { server: { webhooks: { deliver: false } } });
    const { key } = await t.newAccount('pro');
    for (const url of [
      'http://127.0.0.1:9/hook',
      'http://[::1]/x',
      'http://10.0.0.7/x',
      'http://169.254.169.254/latest',
    ]) {
      const res = await t.request({ method: 'POST', url: '/v1/webhooks', key, payload: { url } });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'WEBHOOK_URL_NOT_ALLOWED', details: { field: 'url' } });
      expect(res.json().error.message).toContain('AGENTHUMAN_ALLOWED_PRIVATE_HOSTS');
    }
    const session = await t.request({
      method: 'POST',
      url: '/v1/sessions',
      key,
      payload: { avatar: 'PUBLIC/Avatars/ada', callback_url: 'http://127.0.0.1:9/cb' },
    });
    expect(session.statusCode).toBe(400);
    expect(session.json().error).toMatchObject({
      code: 'WEBHOOK_URL_NOT_ALLOWED',
      details: { field: 'callback_url' },
    });
    const sessions = (await t.request({ method: 'GET', url: '/v1/sessions', key })).json().sessions;
    expect(sessions).toEqual([]);
  });
});

describe('webhook secrets and the log', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.server.close();
    await t?.database.drop();
    t = undefined;
  });

  it('never logs a secret or a signature: failed deliveries, a failed insert, the callback secret', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const receiver = await startWebhookReceiver();
    try {
      t = await startTestServer('pglite', {
        env: ALLOW_LOOPBACK,
        server: { logger: { level: 'trace', stream }, webhooks: FAST },
      });
      const { key } = await t.newAccount('pro');
      const created = await t.request({
        method: 'POST',
        url: '/v1/webhooks',
        key,
        payload: { url: receiver.url },
      });
      const { secret, webhook } = created.json();
      const callback = (await t.request({ method: 'GET', url: '/v1/webhooks/callback-secret', key })).json()
        .secret;
      receiver.answerWith(500, 500);
      await t.request({ method: 'POST', url: `/v1/webhooks/${webhook.webhook_id}/test`, key });
      const got = await receiver.waitFor(3);
      // A failed query whose parameters hold a secret (an insert refused by a trigger).
      const { db } = t.server.deps.store;
      await db.execute(sql`create or replace function refuse_insert() returns trigger language plpgsql as
        $$ begin raise exception 'inserts refused by the test'; end $$`);
      await db.execute(
        sql`create trigger refuse_endpoints before insert on webhook_endpoints for each row execute function refuse_insert()`,
      );
      const failed = await t.request({
        method: 'POST',
        url: '/v1/webhooks',
        key,
        payload: { url: receiver.url },
      });
      expect(failed.statusCode).toBe(500);
      expect(failed.body).not.toMatch(/whsec_/);
      const log = lines.join('');
      expect(log).toContain('/v1/webhooks');
      for (const value of [
        secret,
        secret.slice(6),
        callback,
        callback.slice(6),
        ...got.map((r) => r.headers['webhook-signature'] as string),
      ])
        expect(log).not.toContain(value);
      expect(log).not.toMatch(/whsec_/);
    } finally {
      await receiver.close();
    }
  });
});
