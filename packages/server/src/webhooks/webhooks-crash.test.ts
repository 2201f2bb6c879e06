/**
 * Issue 16: an event committed with its change survives kill -9 of the server before delivery (the outbox is in
 * the database); and on PostgreSQL, two server processes sharing one database deliver each event once, in
 * order (SKIP LOCKED claims).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serversForEachTest } from '@agenthuman/server/testing/server-fixture';
import type { TestDatabase } from '@agenthuman/store/testing';
import { describeEachBackend } from '@agenthuman/store/testing/store-fixture';
import { Webhook } from 'standardwebhooks';
import { afterEach, expect, it } from 'vitest';
import { testServerEnv } from '../testing/test-server.js';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.js';
import { ALLOW_LOOPBACK } from './webhooks-fixture.js';

const childMain = fileURLToPath(new URL('../testing/webhook-child-main.ts', import.meta.url));
const FAST = { pollMs: 20, timeoutMs: 2_000, schedule: { delaysMs: [100], thenEveryMs: 100, jitter: 0 } };

type ChildOut = { sessionId: string; key: string; secret: string };

async function serveInChild(database: TestDatabase, receiverUrl: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', childMain], {
    env: {
      ...process.env,
      ...testServerEnv(database, { ...ALLOW_LOOPBACK, AGENTHUMAN_FACE_WORKERS: '1' }),
      WEBHOOK_RECEIVER_URL: receiverUrl,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const out = await new Promise<ChildOut>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const line = text.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as ChildOut);
    });
    child.once('exit', (code) => reject(new Error(`server child exited early (${code})`)));
  });
  return { child, out };
}

const killHard = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

describeEachBackend('webhook outbox across a crash', (backend) => {
  const servers = serversForEachTest();
  let receiver: WebhookReceiver | undefined;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    child?.kill('SIGKILL');
    await receiver?.close();
  });

  it('kill -9 between the change and the delivery: the event is delivered after restart', async () => {
    receiver = await startWebhookReceiver();
    const database = await servers.database(backend);
    const started = await serveInChild(database, `${receiver.url}/after-crash`);
    child = started.child;
    await killHard(child);
    expect(receiver.received).toHaveLength(0);

    await servers.start(backend, { database, env: ALLOW_LOOPBACK, server: { webhooks: FAST } });
    const [delivered] = await receiver.waitFor(1);
    const event = new Webhook(started.out.secret).verify(
      delivered!.body,
      delivered!.headers as Record<string, string>,
    ) as { type: string; data: { session: { session_id: string } } };
    expect(event.type).toBe('session.started');
    expect(event.data.session.session_id).toBe(started.out.sessionId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received).toHaveLength(1);
  }, 120_000);

  if (backend === 'postgres') {
    it('two server processes on one database deliver every event once, in order', async () => {
      receiver = await startWebhookReceiver();
      const database = await servers.database(backend);
      const options = { database, env: ALLOW_LOOPBACK, server: { webhooks: FAST } };
      const a = await servers.start(backend, options);
      const b = await servers.start(backend, options);
      const { key } = await a.newAccount('enterprise');
      const created = await a.request({
        method: 'POST',
        url: '/v1/webhooks',
        key,
        payload: { url: receiver.url },
      });
      const { webhook } = created.json();
      // Every third answer fails, so retries interleave with both processes' claims.
      receiver.answerWith(500, 200, 200, 500, 200, 200, 500);
      const events = 12;
      for (let i = 0; i < events; i++) {
        const res = await (i % 2 ? a : b).request({
          method: 'POST',
          url: `/v1/webhooks/${webhook.webhook_id}/test`,
          key,
        });
        expect(res.statusCode, res.body).toBe(200);
      }
      const ids = (
        await a.request({ method: 'GET', url: `/v1/webhooks/${webhook.webhook_id}/deliveries`, key })
      )
        .json()
        .deliveries.map((d: { event_id: string }) => d.event_id)
        .reverse();
      await receiver.waitFor(events + 3, undefined, 30_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const received = receiver.received.map((r) => r.headers['webhook-id']);
      expect(received).toHaveLength(events + 3);
      // Every event arrived, and never one before an earlier one: a retry repeats the same event only.
      expect(new Set(received)).toEqual(new Set(ids));
      const positions = received.map((id) => ids.indexOf(id as string));
      expect(positions).toEqual([...positions].sort((x, y) => x - y));
    }, 120_000);
  }
});
