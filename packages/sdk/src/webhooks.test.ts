/**
 * Issue 16: the SDK's webhook methods against a real server, and `client.webhooks.verify` on real deliveries
 * received by a node:http server on 127.0.0.1 (plus the refusals: wrong secret, changed body, old timestamp).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentHuman } from './client.js';
import { NotFoundError, WebhookSignatureError } from './errors.js';
import { type ListeningServer, startListeningServer } from './testing/listening-server.js';

type Received = { headers: IncomingHttpHeaders; body: string };

let server: ListeningServer;
let client: AgentHuman;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  server = await startListeningServer({
    env: { AGENTHUMAN_ALLOWED_PRIVATE_HOSTS: '127.0.0.1' },
    server: { webhooks: { pollMs: 20 } },
  });
  const { key } = await server.newAccount('enterprise');
  client = new AgentHuman({ baseUrl: server.url, apiKey: key });
});
afterAll(async () => {
  await server.close();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

async function waitForDeliveries(count: number): Promise<Received[]> {
  const deadline = Date.now() + 15_000;
  while (received.length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} deliveries, got ${received.length}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return received.slice(0, count);
}

const caught = (work: () => unknown): unknown => {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('client.webhooks', () => {
  it('manages an endpoint and verifies the events a session sends to it', async () => {
    const { webhook, secret } = await client.webhooks.create({ url: receiverUrl, description: 'sdk test' });
    expect(secret).toMatch(/^whsec_/);
    expect(await client.webhooks.list()).toEqual([webhook]);
    expect(await client.webhooks.get(webhook.webhook_id)).toEqual(webhook);

    const created = await client.sessions.create({ avatar: 'PUBLIC/Avatars/kai' });
    await client.sessions.end(created.session.session_id);
    const [started, ended] = await waitForDeliveries(2);

    const first = client.webhooks.verify(started!.body, started!.headers, secret);
    expect(first.type).toBe('session.started');
    const last = client.webhooks.verify(new TextEncoder().encode(ended!.body), ended!.headers, secret);
    expect(last).toMatchObject({ type: 'session.ended', data: { end_reason: 'client' } });
    if (last.type === 'session.ended') expect(last.data.session.session_id).toBe(created.session.session_id);
    // A fetch Headers object works too.
    expect(
      client.webhooks.verify(started!.body, new Headers(started!.headers as Record<string, string>), secret)
        .type,
    ).toBe('session.started');

    const deliveries = await client.webhooks.deliveries(webhook.webhook_id);
    expect(deliveries.map((d) => d.event_type).sort()).toEqual(['session.ended', 'session.started']);
    const replay = await client.webhooks.replay(webhook.webhook_id, deliveries[0]!.delivery_id);
    expect(replay.status).toBe('pending');
    const test = await client.webhooks.test(webhook.webhook_id);
    expect(test.event_type).toBe('webhook.test');
    await waitForDeliveries(4);

    await client.webhooks.delete(webhook.webhook_id);
    await expect(client.webhooks.get(webhook.webhook_id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a wrong secret, a changed body, missing headers and an old timestamp with clear codes', async () => {
    const [delivery] = await waitForDeliveries(1);
    const { webhook, secret } = await client.webhooks.create({ url: receiverUrl });
    await client.webhooks.delete(webhook.webhook_id);
    const headers = delivery!.headers as Record<string, string>;

    const wrong = caught(() => client.webhooks.verify(delivery!.body, headers, secret));
    expect(wrong).toBeInstanceOf(WebhookSignatureError);
    expect((wrong as WebhookSignatureError).code).toBe('WEBHOOK_SIGNATURE_INVALID');

    const { 'webhook-signature': _dropped, ...noSignature } = headers;
    expect(
      (caught(() => client.webhooks.verify(delivery!.body, noSignature, secret)) as WebhookSignatureError)
        .code,
    ).toBe('WEBHOOK_HEADERS_MISSING');
    const old = { ...headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000) - 600) };
    const stale = caught(() => client.webhooks.verify(delivery!.body, old, secret)) as WebhookSignatureError;
    expect(stale.code).toBe('WEBHOOK_TIMESTAMP_OUT_OF_RANGE');
    expect(stale.message).toMatch(/5 minutes/);
    expect(
      (
        caught(() =>
          client.webhooks.verify(delivery!.body, headers, 'not-a-secret!'),
        ) as WebhookSignatureError
      ).code,
    ).toMatch(/WEBHOOK_(SECRET|SIGNATURE)_INVALID/);
  });
});
