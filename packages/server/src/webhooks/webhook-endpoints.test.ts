/**
 * Issue 16 (webhooks): endpoints over the API — create, list, get, delete (the secret shown once, foreign ids read
 * like unknown ones), bad input, the test event and replay, disabling after sustained failure and enabling.
 */
import { expect, it } from 'vitest';
import { describeOnBothStores } from '../testing/test-server.js';
import { sleep, typeOf, verified, WEBHOOK_SUITE, webhookFixture } from './webhooks-fixture.js';

describeOnBothStores(
  'webhook endpoints',
  (t) => {
    const hooks = webhookFixture(t);
    const { addWebhook, createSession, deliveries } = hooks;

    it('creates, lists, gets and deletes endpoints; the secret only once; foreign ids read like unknown ones', async () => {
      const { key } = await t().newAccount('pro');
      const other = await t().newAccount('pro');
      const created = await addWebhook(key, { events: ['session.ended'], description: 'backend' });
      expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      expect(created.webhook).toMatchObject({
        url: `${hooks.receiver.url}/hook`,
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
        [{ url: `${hooks.receiver.url}/h`, events: ['session.exploded'] }, 'events.0'],
        [{ url: `${hooks.receiver.url}/h`, events: [] }, 'events'],
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
      const [first] = await hooks.receiver.waitFor(1);
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
      const both = await hooks.receiver.waitFor(2);
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
      hooks.receiver.answerWith(...Array<number>(40).fill(500));
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
      const attemptsWhenDisabled = hooks.receiver.received.length;
      await sleep(500);
      expect(hooks.receiver.received.length).toBe(attemptsWhenDisabled);
      // New events do not queue for a disabled endpoint.
      await createSession(key);
      hooks.receiver.answerWith();
      hooks.receiver.received.length = 0;
      const enabled = await t().request({
        method: 'POST',
        url: `/v1/webhooks/${webhook.webhook_id}/enable`,
        key,
      });
      expect(enabled.json().webhook).toMatchObject({ status: 'enabled', disabled_reason: null });
      const [resumed] = await hooks.receiver.waitFor(1);
      expect(typeOf(resumed!)).toBe('session.started');
      await sleep(400);
      expect(hooks.receiver.received).toHaveLength(1);
    });
  },
  WEBHOOK_SUITE,
);
