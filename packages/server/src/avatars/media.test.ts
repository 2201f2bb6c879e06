import { afterAll, beforeAll, expect, it } from 'vitest';
import { multipartBody, portrait } from '../testing/avatar-fixtures.js';
import { describeOnBothStores, type TestServer } from '../testing/test-server.js';
import { createFaceWorkerPool } from './ingest/face-worker-pool.js';
import { createMediaSigner } from './media/media-signer.js';

const faces = createFaceWorkerPool({ size: 1, maxQueue: 16 });
let photo: Uint8Array;
beforeAll(async () => {
  photo = await portrait();
});
afterAll(() => faces.close());

const local = (url: string) => url.replace('http://api.test', '');
const get = (t: TestServer, url: string, headers: Record<string, string> = {}) =>
  t.request({ method: 'GET', url: local(url), headers });

async function newAvatar(t: TestServer) {
  const account = await t.newAccount('pro');
  const res = await t.request({
    method: 'POST',
    url: '/v1/avatars/upload-face',
    key: account.key,
    ...multipartBody([
      { name: 'file', filename: 'me.jpg', bytes: photo },
      { name: 'name', value: 'Greeter' },
    ]),
  });
  if (res.statusCode !== 200) throw new Error(res.body);
  return { ...account, ...(res.json() as { avatar_id: string; preview_url: string; image_url: string }) };
}

describeOnBothStores(
  'Signed media URLs and preview links',
  (t) => {
    it('serves a valid signature with private, immutable caching until expiry and an ETag', async () => {
      const { preview_url } = await newAvatar(t());
      const url = new URL(preview_url);
      const expires = Number(url.searchParams.get('expires'));
      const now = Date.now() / 1000;
      expect(expires - now).toBeGreaterThan(3600 - 5);
      expect(expires - now).toBeLessThanOrEqual(7200);
      const res = await get(t(), preview_url);
      expect(res.statusCode).toBe(200);
      const maxAge = Number(/max-age=(\d+)/.exec(res.headers['cache-control'] as string)?.[1]);
      expect(res.headers['cache-control']).toMatch(/^private, max-age=\d+, immutable$/);
      expect(Math.abs(maxAge - (expires - now))).toBeLessThan(5);
      const etag = res.headers.etag as string;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      const again = await get(t(), preview_url, { 'if-none-match': etag });
      expect([again.statusCode, again.rawPayload.length]).toEqual([304, 0]);
    });

    it('answers 403 to a tampered signature, expiry or path, and to a missing signature', async () => {
      const { preview_url, image_url, avatar_id } = await newAvatar(t());
      const url = new URL(preview_url);
      const sig = url.searchParams.get('sig')!;
      const flipped = `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
      const later = String(Number(url.searchParams.get('expires')) + 3600);
      const tampered = [
        preview_url.replace(`sig=${sig}`, `sig=${flipped}`),
        preview_url.replace(/expires=\d+/, `expires=${later}`),
        // A preview signature does not open the full image, nor another avatar's files.
        preview_url.replace('/preview?', '/image?'),
        preview_url.replace(avatar_id, 'avat_01ZZZZZZZZZZZZZZZZZZZZZZZZ'),
        url.pathname,
        `${url.pathname}?expires=${url.searchParams.get('expires')}`,
      ];
      for (const bad of tampered) {
        const res = await get(t(), bad);
        expect(res.statusCode, bad).toBe(403);
        expect(res.json().error.code, bad).toBe('INVALID_SIGNATURE');
      }
      expect((await get(t(), image_url)).statusCode).toBe(200);
    });

    it('answers 403 LINK_EXPIRED once the URL has expired', async () => {
      const { avatar_id } = await newAvatar(t());
      const secret = await t().server.deps.store.settings.get('server_secret');
      const threeHoursAgo = () => Date.now() - 3 * 3600_000;
      const oldSigner = createMediaSigner({
        secret: secret!,
        publicUrl: 'http://api.test',
        now: threeHoursAgo,
      });
      const expired = oldSigner.url(`/v1/media/avatars/${avatar_id}/preview`);
      const res = await get(t(), expired);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('LINK_EXPIRED');
      // Same key, current time: the same path signs fine (so the refusal above is the expiry, not the key).
      const fresh = createMediaSigner({ secret: secret!, publicUrl: 'http://api.test' });
      expect((await get(t(), fresh.url(`/v1/media/avatars/${avatar_id}/preview`))).statusCode).toBe(200);
      const otherKey = createMediaSigner({ secret: 'not-the-server-secret', publicUrl: 'http://api.test' });
      expect((await get(t(), otherKey.url(`/v1/media/avatars/${avatar_id}/preview`))).statusCode).toBe(403);
    });

    it('makes single-use preview links: the first open shows the avatar, a second is refused', async () => {
      const { key, avatar_id } = await newAvatar(t());
      const res = await t().request({
        method: 'POST',
        url: '/v1/avatars/preview',
        key,
        payload: { avatar_id },
      });
      expect(res.statusCode).toBe(200);
      const { url } = res.json();
      expect(url).toMatch(/^http:\/\/api\.test\/preview\/[A-Za-z0-9_-]{43}$/);
      const first = await get(t(), url);
      expect(first.statusCode).toBe(200);
      expect(first.headers['content-type']).toContain('text/html');
      expect(first.headers['cache-control']).toBe('no-store');
      expect(first.headers['referrer-policy']).toBe('no-referrer');
      expect(first.body).toContain('Greeter');
      const img = /<img src="([^"]+)"/.exec(first.body)?.[1]?.replaceAll('&amp;', '&');
      expect((await get(t(), img!)).statusCode).toBe(200);
      // The avatar is live in a short-lived room of its own, embedded with the room's token.
      const frame = /<iframe src="([^"]+)"/.exec(first.body)?.[1]?.replaceAll('&amp;', '&');
      const roomName = /^\/rooms\/([\w-]+)\?token=/.exec(frame ?? '')?.[1];
      expect(roomName).toBeDefined();
      expect(t().server.live.hub.get(roomName!)).toBeDefined();
      expect((await get(t(), frame!)).body).toContain('<video');
      const second = await get(t(), url);
      expect(second.statusCode).toBe(410);
      expect(second.body).toContain('already been opened');

      const publicLink = await t().request({
        method: 'POST',
        url: '/v1/avatars/preview',
        key,
        payload: { avatar_id: 'PUBLIC/Avatars/kai' },
      });
      expect((await get(t(), publicLink.json().url)).body).toContain('Kai');
    });

    it('expires preview links after 5 minutes, and refuses unknown links and foreign avatars', async () => {
      const { key, accountId, avatar_id } = await newAvatar(t());
      const sixMinutesAgo = new Date(Date.now() - 6 * 60_000);
      const old = await t().server.deps.previews.create(accountId, avatar_id, sixMinutesAgo);
      const expired = await get(t(), old);
      expect(expired.statusCode).toBe(410);
      expect(expired.body).toContain('expired');
      const unknown = await get(t(), `/preview/${'x'.repeat(43)}`);
      expect(unknown.statusCode).toBe(404);
      const other = await t().newAccount('pro');
      const foreign = await t().request({
        method: 'POST',
        url: '/v1/avatars/preview',
        key: other.key,
        payload: { avatar_id },
      });
      // Another account's avatar reads exactly like an unknown one (issue 15 item 11).
      const unknownAvatar = await t().request({
        method: 'POST',
        url: '/v1/avatars/preview',
        key: other.key,
        payload: { avatar_id: `avat_${'Z'.repeat(26)}` },
      });
      expect(foreign.statusCode).toBe(404);
      expect(foreign.body).toBe(unknownAvatar.body.replace(`avat_${'Z'.repeat(26)}`, avatar_id));
      const missing = await t().request({ method: 'POST', url: '/v1/avatars/preview', key, payload: {} });
      expect(missing.json().error).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: { field: 'avatar_id' },
      });
    });
  },
  { server: { faces } },
);
