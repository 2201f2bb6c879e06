/**
 * @module `/v1/webhooks`: endpoints, deliveries (list, replay), the test event, the callback secret, and
 * `verify`, which checks a delivery's Standard Webhooks signature with the convention's own library.
 */
import { Webhook as StandardWebhook, WebhookVerificationError } from 'standardwebhooks';
import { WebhookSignatureError, type WebhookSignatureErrorCode } from '../errors.js';
import type { HttpClient } from '../http-client.js';
import type { CreatedWebhook, CreateWebhookBody, Webhook, WebhookDelivery, WebhookEvent } from '../types.js';

/** Node's `IncomingHttpHeaders`, a fetch `Headers`, or a plain object. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export class WebhooksResource {
  readonly #http: HttpClient;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  /** The answer holds the signing secret; it is never shown again. */
  create(body: CreateWebhookBody): Promise<CreatedWebhook> {
    return this.#http.request<CreatedWebhook>({ method: 'POST', path: '/v1/webhooks', body });
  }

  async list(): Promise<Webhook[]> {
    return (await this.#http.request<{ webhooks: Webhook[] }>({ method: 'GET', path: '/v1/webhooks' }))
      .webhooks;
  }

  async get(webhookId: string): Promise<Webhook> {
    const path = `/v1/webhooks/${encodeURIComponent(webhookId)}`;
    return (await this.#http.request<{ webhook: Webhook }>({ method: 'GET', path })).webhook;
  }

  async delete(webhookId: string): Promise<void> {
    await this.#http.request({ method: 'DELETE', path: `/v1/webhooks/${encodeURIComponent(webhookId)}` });
  }

  /** Re-enables an endpoint disabled after sustained failure. */
  async enable(webhookId: string): Promise<Webhook> {
    const path = `/v1/webhooks/${encodeURIComponent(webhookId)}/enable`;
    return (await this.#http.request<{ webhook: Webhook }>({ method: 'POST', path })).webhook;
  }

  /** Queues a `webhook.test` event for this endpoint; the delivery's outcome shows in `deliveries`. */
  async test(webhookId: string): Promise<WebhookDelivery> {
    const path = `/v1/webhooks/${encodeURIComponent(webhookId)}/test`;
    return (await this.#http.request<{ delivery: WebhookDelivery }>({ method: 'POST', path })).delivery;
  }

  /** Newest first. */
  async deliveries(webhookId: string, params: { limit?: number } = {}): Promise<WebhookDelivery[]> {
    const path = `/v1/webhooks/${encodeURIComponent(webhookId)}/deliveries`;
    const reply = await this.#http.request<{ deliveries: WebhookDelivery[] }>({
      method: 'GET',
      path,
      query: params,
    });
    return reply.deliveries;
  }

  /** Sends a delivery's event again (a new delivery with the same `webhook-id`). */
  async replay(webhookId: string, deliveryId: string): Promise<WebhookDelivery> {
    const path = `/v1/webhooks/${encodeURIComponent(webhookId)}/deliveries/${encodeURIComponent(deliveryId)}/replay`;
    return (await this.#http.request<{ delivery: WebhookDelivery }>({ method: 'POST', path })).delivery;
  }

  /** The account's secret for sessions' `callback_url` deliveries. */
  async callbackSecret(): Promise<string> {
    const path = '/v1/webhooks/callback-secret';
    return (await this.#http.request<{ secret: string }>({ method: 'GET', path })).secret;
  }

  /**
   * Checks a delivery and returns its event. `body` must be the raw request body, exactly as received (not
   * re-serialised JSON); `secret` is the endpoint's `whsec_…`. Throws `WebhookSignatureError` when a header is
   * missing, the signature does not match, or the timestamp is more than 5 minutes off (a replayed request).
   */
  verify(body: string | Uint8Array, headers: WebhookHeaders, secret: string): WebhookEvent {
    let checker: StandardWebhook;
    try {
      checker = new StandardWebhook(secret);
    } catch (error) {
      throw new WebhookSignatureError(
        'WEBHOOK_SECRET_INVALID',
        'The secret is not a whsec_… signing secret',
        error,
      );
    }
    try {
      return checker.verify(body, plainHeaders(headers)) as WebhookEvent;
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      const [code, message] = explain(error.message);
      throw new WebhookSignatureError(code, message, error);
    }
  }
}

function plainHeaders(headers: WebhookHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  const entries =
    typeof Headers !== 'undefined' && headers instanceof Headers
      ? headers.entries()
      : Object.entries(headers);
  for (const [name, value] of entries as Iterable<[string, string | string[] | undefined]>) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function explain(reason: string): [WebhookSignatureErrorCode, string] {
  if (/too old|too new/i.test(reason))
    return [
      'WEBHOOK_TIMESTAMP_OUT_OF_RANGE',
      `The webhook-timestamp is more than 5 minutes from now (${reason.toLowerCase()}): a replayed or delayed request`,
    ];
  if (/missing|headers/i.test(reason))
    return [
      'WEBHOOK_HEADERS_MISSING',
      'webhook-id, webhook-timestamp and webhook-signature are all required (is a proxy dropping them?)',
    ];
  return [
    'WEBHOOK_SIGNATURE_INVALID',
    'The webhook-signature does not match: wrong secret, or the body changed (verify the raw body as received)',
  ];
}
