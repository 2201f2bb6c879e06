/**
 * What the webhook test files share: a short retry schedule, the permission to deliver to loopback receivers, a
 * real receiver on 127.0.0.1 per test, and the API calls the tests repeat.
 */
import { WebhookEvent } from '@agenthuman/protocol';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, expect } from 'vitest';
import type { TestServer } from '../testing/test-server.js';
import {
  type ReceivedWebhook,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../testing/webhook-receiver.js';

export const FAST = {
  pollMs: 20,
  timeoutMs: 2_000,
  schedule: { delaysMs: [150, 150, 150], thenEveryMs: 150, jitter: 0, disableAfterMs: 1_500 },
};
export const ALLOW_LOOPBACK = { AGENTHUMAN_ALLOWED_PRIVATE_HOSTS: '127.0.0.1' };
/** The server options of the webhook suites: loopback receivers allowed, the short schedule. */
export const WEBHOOK_SUITE = { env: ALLOW_LOOPBACK, server: { webhooks: FAST } };

export const verified = (r: ReceivedWebhook, secret: string) =>
  WebhookEvent.parse(new Webhook(secret).verify(r.body, r.headers as Record<string, string>));
export const typeOf = (r: ReceivedWebhook) => (JSON.parse(r.body) as { type: string }).type;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Inside a `describeOnBothStores` body: a fresh receiver for each test, and the calls made against `t()`. */
export function webhookFixture(t: () => TestServer) {
  let receiver: WebhookReceiver | undefined;
  beforeEach(async () => {
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    await receiver?.close();
  });

  const current = (): WebhookReceiver => {
    if (!receiver) throw new Error('the webhook receiver did not start');
    return receiver;
  };

  return {
    /** This test's receiver. */
    get receiver(): WebhookReceiver {
      return current();
    },

    async addWebhook(key: string, body: Record<string, unknown> = {}) {
      const res = await t().request({
        method: 'POST',
        url: '/v1/webhooks',
        key,
        payload: { url: `${current().url}/hook`, ...body },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { webhook: { webhook_id: string }; secret: string };
    },

    async createSession(key: string, payload: Record<string, unknown> = {}) {
      const res = await t().request({
        method: 'POST',
        url: '/v1/sessions',
        key,
        payload: { avatar: 'PUBLIC/Avatars/ada', ...payload },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().session.session_id as string;
    },

    async endSession(key: string, id: string) {
      const res = await t().request({ method: 'POST', url: `/v1/sessions/${id}/end`, key });
      expect(res.statusCode, res.body).toBe(200);
    },

    async deliveries(key: string, id: string) {
      return (await t().request({ method: 'GET', url: `/v1/webhooks/${id}/deliveries`, key })).json()
        .deliveries;
    },
  };
}
