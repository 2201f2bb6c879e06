/**
 * Issue 16 (webhooks): retries on a short injected schedule — failed answers and timed-out attempts are retried
 * with the same webhook-id, and an endpoint's next event waits for the previous one.
 */
import { expect, it } from 'vitest';
import { describeOnBothStores } from '../testing/test-server.js';
import { sleep, typeOf, verified, WEBHOOK_SUITE, webhookFixture } from './webhooks-fixture.js';

describeOnBothStores(
  'webhook retries',
  (t) => {
    const hooks = webhookFixture(t);
    const { addWebhook, createSession, endSession, deliveries } = hooks;

    it('a receiver answering 500 three times then 200 gets the event exactly once more', async () => {
      const { key } = await t().newAccount('pro');
      const { webhook, secret } = await addWebhook(key, { events: ['session.started'] });
      hooks.receiver.answerWith(500, 500, 500);
      await createSession(key);
      const got = await hooks.receiver.waitFor(4);
      await sleep(600);
      expect(hooks.receiver.received).toHaveLength(4);
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
      hooks.receiver.answerWith(0);
      await createSession(key);
      const got = await hooks.receiver.waitFor(2, undefined, 15_000);
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
      hooks.receiver.answerWith(503, 503);
      const sessionId = await createSession(key);
      await endSession(key, sessionId);
      const got = await hooks.receiver.waitFor(4);
      expect(got.map(typeOf)).toEqual([
        'session.started',
        'session.started',
        'session.started',
        'session.ended',
      ]);
      expect(verified(got[3]!, secret).type).toBe('session.ended');
    });
  },
  WEBHOOK_SUITE,
);
