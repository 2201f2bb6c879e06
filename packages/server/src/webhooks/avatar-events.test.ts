/** Issue 16: avatar.ready (with the avatar as the API shows it) and avatar.failed (the refusal code), signed. */
import { WebhookEvent } from '@agenthuman/protocol';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFaceWorkerPool } from '../avatars/ingest/face-worker-pool.js';
import { blankJpeg, portrait } from '../testing/avatar-fixtures.js';
import { describeOnBothStores } from '../testing/test-server.js';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.js';

const faces = createFaceWorkerPool({ size: 1, maxQueue: 16 });
let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver.close();
  await faces.close();
});

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describeOnBothStores(
  'avatar webhook events',
  (t) => {
    it('avatar.ready after an upload, avatar.failed with the code when the face is refused', async () => {
      const { key } = await t().newAccount('pro');
      const hook = await t().request({
        method: 'POST',
        url: '/v1/webhooks',
        key,
        payload: { url: `${receiver.url}/${t().backend}`, events: ['avatar.ready', 'avatar.failed'] },
      });
      const { secret } = hook.json();
      const mine = (r: { path: string }) => r.path === `/${t().backend}`;

      const ok = await t().request({
        method: 'POST',
        url: '/v1/avatars/upload-face',
        key,
        payload: { image_base64: base64(await portrait()), name: 'Me' },
      });
      expect(ok.statusCode, ok.body).toBe(200);
      const refused = await t().request({
        method: 'POST',
        url: '/v1/avatars/upload-face',
        key,
        payload: { image_base64: base64(await blankJpeg()) },
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.code).toBe('NO_FACE_DETECTED');
      const badBase64 = await t().request({
        method: 'POST',
        url: '/v1/avatars/upload-face',
        key,
        payload: { image_base64: '!!!not base64!!!' },
      });
      expect(badBase64.statusCode).toBe(400);

      const got = await receiver.waitFor(3, mine, 30_000);
      const events = got.map((r) =>
        WebhookEvent.parse(new Webhook(secret).verify(r.body, r.headers as Record<string, string>)),
      );
      expect(events.map((e) => e.type)).toEqual(['avatar.ready', 'avatar.failed', 'avatar.failed']);
      expect(events[0]).toMatchObject({ data: { avatar: { avatar_id: ok.json().avatar_id, name: 'Me' } } });
      expect(events[1]).toMatchObject({ data: { code: 'NO_FACE_DETECTED', field: 'image_base64' } });
      expect(events[2]).toMatchObject({ data: { code: badBase64.json().error.code, field: 'image_base64' } });
    }, 120_000);
  },
  {
    env: { AGENTHUMAN_ALLOWED_PRIVATE_HOSTS: '127.0.0.1' },
    server: { faces, webhooks: { pollMs: 20 } },
  },
);
