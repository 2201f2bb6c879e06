/** @module `/v1/webhooks`: endpoints, their deliveries (list, replay), the test event and the callback secret. */
import {
  CallbackSecretReply,
  CreateWebhookBody,
  CreateWebhookReply,
  DeliveryIdParams,
  DeliveryReply,
  ListDeliveriesQuery,
  ListDeliveriesReply,
  ListWebhooksReply,
  MessageReply,
  WebhookIdParams,
  WebhookReply,
} from '@agenthuman/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app-deps.js';
import { callerOf } from '../http/caller.js';
import {
  createWebhook,
  deleteWebhook,
  enableWebhook,
  findWebhook,
  listDeliveries,
  replayDelivery,
  sendTestEvent,
} from './manage-webhooks.js';
import { callbackSecret } from './webhook-secret.js';
import { toDeliveryView, toWebhookView } from './webhook-view.js';

const tags = ['Webhooks'];

const CREATE_DESCRIPTION = [
  'Events are POSTed as `{type, timestamp, data}` with the Standard Webhooks headers `webhook-id` (the event',
  'id: the same on retries and replays, deduplicate on it), `webhook-timestamp` (unix seconds) and',
  '`webhook-signature` (`v1,` + base64 HMAC-SHA256 of `id.timestamp.body` keyed by the secret without its',
  '`whsec_` prefix, base64-decoded). Verify with any Standard Webhooks library or',
  '`client.webhooks.verify(body, headers, secret)` in the SDK. A 2xx answer within 10 s is a success; otherwise',
  'the delivery is retried after about 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, then hourly for 24 h. An',
  'endpoint receives its events in order: the next waits until the previous succeeded or was given up. After',
  '24 hours of failed attempts the endpoint is disabled (`status: disabled`, `disabled_reason`); re-enable it',
  'with POST /v1/webhooks/{webhook_id}/enable. Private addresses (loopback, LAN) are refused with 400',
  'WEBHOOK_URL_NOT_ALLOWED unless the operator lists them in AGENTHUMAN_ALLOWED_PRIVATE_HOSTS.',
].join('\n');

export const webhookRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { store } = deps;
    const manage = { store, webhooks: deps.webhooks };

    app.post(
      '/v1/webhooks',
      {
        schema: {
          tags,
          summary: 'Add a webhook endpoint (the signing secret is in this answer only)',
          description: CREATE_DESCRIPTION,
          body: CreateWebhookBody,
          response: { 200: CreateWebhookReply },
        },
      },
      async (request) => {
        const { row, secret } = await createWebhook(manage, callerOf(request).accountId, request.body);
        return { success: true as const, webhook: toWebhookView(row), secret };
      },
    );

    app.get(
      '/v1/webhooks',
      { schema: { tags, summary: 'List webhook endpoints', response: { 200: ListWebhooksReply } } },
      async (request) => {
        const rows = await store.webhooks.listEndpoints(callerOf(request).accountId);
        return { success: true as const, webhooks: rows.map(toWebhookView) };
      },
    );

    app.get(
      '/v1/webhooks/callback-secret',
      {
        schema: {
          tags,
          summary: 'The secret that signs sessions’ callback_url deliveries (one per account)',
          response: { 200: CallbackSecretReply },
        },
      },
      async (request) => ({
        success: true as const,
        secret: await callbackSecret(store, callerOf(request).accountId),
      }),
    );

    app.get(
      '/v1/webhooks/:webhook_id',
      {
        schema: {
          tags,
          summary: 'Get a webhook endpoint',
          params: WebhookIdParams,
          response: { 200: WebhookReply },
        },
      },
      async (request) => {
        const row = await findWebhook(store, callerOf(request).accountId, request.params.webhook_id);
        return { success: true as const, webhook: toWebhookView(row) };
      },
    );

    app.delete(
      '/v1/webhooks/:webhook_id',
      {
        schema: {
          tags,
          summary: 'Delete a webhook endpoint (its pending deliveries are dropped)',
          params: WebhookIdParams,
          response: { 200: MessageReply },
        },
      },
      async (request) => {
        await deleteWebhook(store, callerOf(request).accountId, request.params.webhook_id);
        return { success: true as const, message: 'Webhook deleted' };
      },
    );

    app.post(
      '/v1/webhooks/:webhook_id/enable',
      {
        schema: {
          tags,
          summary: 'Re-enable a disabled endpoint (its pending deliveries resume)',
          params: WebhookIdParams,
          response: { 200: WebhookReply },
        },
      },
      async (request) => {
        const row = await enableWebhook(store, callerOf(request).accountId, request.params.webhook_id);
        deps.webhooks.wake();
        return { success: true as const, webhook: toWebhookView(row) };
      },
    );

    app.post(
      '/v1/webhooks/:webhook_id/test',
      {
        schema: {
          tags,
          summary: 'Queue a `webhook.test` event for this endpoint (see its deliveries for the outcome)',
          params: WebhookIdParams,
          response: { 200: DeliveryReply },
        },
      },
      async (request) => {
        const delivery = await sendTestEvent(manage, callerOf(request).accountId, request.params.webhook_id);
        return { success: true as const, delivery: toDeliveryView(delivery) };
      },
    );

    app.get(
      '/v1/webhooks/:webhook_id/deliveries',
      {
        schema: {
          tags,
          summary: 'Recent deliveries, newest first: status, attempts, last response code and latency',
          params: WebhookIdParams,
          querystring: ListDeliveriesQuery,
          response: { 200: ListDeliveriesReply },
        },
      },
      async (request) => {
        const rows = await listDeliveries(
          store,
          callerOf(request).accountId,
          request.params.webhook_id,
          request.query.limit,
        );
        return { success: true as const, deliveries: rows.map(toDeliveryView) };
      },
    );

    app.post(
      '/v1/webhooks/:webhook_id/deliveries/:delivery_id/replay',
      {
        schema: {
          tags,
          summary: 'Send a delivery’s event again (a new delivery, same webhook-id)',
          params: DeliveryIdParams,
          response: { 200: DeliveryReply },
        },
      },
      async (request) => {
        const { webhook_id, delivery_id } = request.params;
        const row = await replayDelivery(manage, callerOf(request).accountId, webhook_id, delivery_id);
        return { success: true as const, delivery: toDeliveryView(row) };
      },
    );
  };
