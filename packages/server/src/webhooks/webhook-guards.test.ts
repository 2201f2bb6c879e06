/**
 * Issue 16 (webhooks): what must not get out — the SSRF guard refuses private receivers (endpoints and
 * callback_url) unless the operator allows them, and no secret or signature reaches the log.
 */
import { Writable } from 'node:stream';
import { serversForEachTest } from '@agenthuman/server/testing/server-fixture';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { startWebhookReceiver } from '../testing/webhook-receiver.js';
import { ALLOW_LOOPBACK, FAST } from './webhooks-fixture.js';

describe('webhook URLs and the outbound guard', () => {
  const servers = serversForEachTest();

  it('refuses private receivers unless the operator allows them', async () => {
    const t = await servers.start('pglite', { server: { webhooks: { deliver: false } } });
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
  const servers = serversForEachTest();

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
      const t = await servers.start('pglite', {
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
