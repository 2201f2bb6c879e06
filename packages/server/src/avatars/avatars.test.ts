import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  blankJpeg,
  decompressionBomb,
  groupPhoto,
  type ImageServer,
  loopbackConnector,
  multipartBody,
  portrait,
  startImageServer,
  testResolver,
} from '../testing/avatar-fixtures.js';
import { describeOnBothStores, type TestServer } from '../testing/test-server.js';
import { createFaceWorkerPool } from './ingest/face-worker-pool.js';

// One pool of face workers for both backends' servers (the model loads once per worker).
const faces = createFaceWorkerPool({ size: 1, maxQueue: 16 });
const connector = loopbackConnector();
let photo: Uint8Array;
let images: ImageServer;

beforeAll(async () => {
  photo = await portrait();
  images = await startImageServer(photo);
});
afterAll(async () => {
  await images.close();
  await faces.close();
});

const upload = (t: TestServer, key: string, payload: Record<string, unknown>) =>
  t.request({ method: 'POST', url: '/v1/avatars/upload-face', key, payload });

const uploadFile = (
  t: TestServer,
  key: string,
  bytes: Uint8Array,
  extra: Array<{ name: string; value: string }> = [],
) =>
  t.request({
    method: 'POST',
    url: '/v1/avatars/upload-face',
    key,
    ...multipartBody([{ name: 'file', filename: 'me.jpg', bytes }, ...extra]),
  });

/** Fetches a signed media URL through the app (no API key) and decodes the image. */
async function fetchMedia(t: TestServer, url: string) {
  const res = await t.request({ method: 'GET', url: url.replace('http://api.test', '') });
  const meta = res.statusCode === 200 ? await sharp(res.rawPayload).metadata() : undefined;
  return { res, meta };
}

describeOnBothStores(
  'Avatars API',
  (t) => {
    it('turns a multipart file into an avatar with a 500×500 preview and a ≤1200 px image', async () => {
      const { key } = await t().newAccount('pro');
      const res = await uploadFile(t(), key, photo, [{ name: 'name', value: 'Portrait' }]);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ success: true, avatar_id: expect.stringMatching(/^avat_[0-9A-Z]{26}$/) });

      const preview = await fetchMedia(t(), body.preview_url);
      expect(preview.res.statusCode).toBe(200);
      expect(preview.res.headers['content-type']).toBe('image/jpeg');
      expect([preview.meta?.format, preview.meta?.width, preview.meta?.height]).toEqual(['jpeg', 500, 500]);
      const image = await fetchMedia(t(), body.image_url);
      expect(image.meta?.format).toBe('jpeg');
      expect(image.meta?.width).toBe(540); // the crop is 540 px wide: kept, not enlarged

      const list = (await t().request({ method: 'GET', url: '/v1/avatars', key })).json();
      expect(list.my_avatars).toEqual([
        expect.objectContaining({
          avatar_id: body.avatar_id,
          name: 'Portrait',
          tags: ['user_exclusive', expect.stringMatching(/^user_\d+$/)],
        }),
      ]);
      const one = (await t().request({ method: 'GET', url: `/v1/avatars/${body.avatar_id}`, key })).json();
      expect(one.avatar).toMatchObject({ avatar_id: body.avatar_id, name: 'Portrait' });

      // The stored rigs decode for every aspect ratio.
      const { loadAvatarRig } = await import('./load-avatar-rig.js');
      for (const ar of ['4:3', '3:4', '1:1'] as const) {
        const rig = await loadAvatarRig(t().server.deps.blobs, body.avatar_id, ar);
        expect(rig?.aspectRatio).toBe(ar);
      }
    });

    it('accepts image_base64 with and without a data-URI prefix, and image_url', async () => {
      const { key } = await t().newAccount('pro');
      const b64 = Buffer.from(photo).toString('base64');
      const plain = await upload(t(), key, { image_base64: b64, name: 'Plain' });
      expect(plain.statusCode, plain.body).toBe(200);
      const dataUri = await upload(t(), key, { image_base64: `data:image/jpeg;base64,${b64}` });
      expect(dataUri.statusCode, dataUri.body).toBe(200);
      const fromUrl = await upload(t(), key, { image_url: `http://photos.example:${images.port}/face.jpg` });
      expect(fromUrl.statusCode, fromUrl.body).toBe(200);
      const list = (await t().request({ method: 'GET', url: '/v1/avatars', key })).json();
      expect(list.my_avatars.map((a: { name: string }) => a.name).sort()).toEqual([
        'My avatar',
        'My avatar',
        'Plain',
      ]);
    });

    it.each([
      ['no input', {}, 'VALIDATION_ERROR', 'file,image_url,image_base64'],
      [
        'two inputs',
        { image_url: 'https://a.example/x.jpg', image_base64: 'AAAA' },
        'VALIDATION_ERROR',
        'image_url,image_base64',
      ],
      ['bad base64', { image_base64: 'this is not base64!' }, 'INVALID_BASE64', 'image_base64'],
      ['a data URI without base64', { image_base64: 'data:image/png,abc' }, 'INVALID_BASE64', 'image_base64'],
      [
        'text, not an image',
        { image_base64: Buffer.from('hello, I am a text file').toString('base64') },
        'UNSUPPORTED_IMAGE_FORMAT',
        'image_base64',
      ],
    ])('refuses %s with 400', async (_what, payload, code, field) => {
      const { key } = await t().newAccount('pro');
      const res = await upload(t(), key, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code, details: { field } });
    });

    it('refuses a BMP (format read from the bytes, not the name) and images over 10 MB', async () => {
      const { key } = await t().newAccount('pro');
      const bmp = new Uint8Array(Buffer.concat([Buffer.from('BM'), Buffer.alloc(200)]));
      const wrong = await uploadFile(t(), key, bmp);
      expect([wrong.statusCode, wrong.json().error.code]).toEqual([400, 'UNSUPPORTED_IMAGE_FORMAT']);
      expect(wrong.json().error.details.field).toBe('file');

      const huge = new Uint8Array(10 * 1024 * 1024 + 1);
      huge.set([0xff, 0xd8, 0xff]);
      const bigFile = await uploadFile(t(), key, huge);
      expect([bigFile.statusCode, bigFile.json().error.code]).toEqual([400, 'IMAGE_TOO_LARGE']);
      const bigB64 = await upload(t(), key, { image_base64: Buffer.from(huge).toString('base64') });
      expect([bigB64.statusCode, bigB64.json().error.code]).toEqual([400, 'IMAGE_TOO_LARGE']);
      const bomb = await uploadFile(t(), key, await decompressionBomb());
      expect(bomb.statusCode).toBe(400);
      expect(bomb.json().error).toMatchObject({
        code: 'IMAGE_TOO_LARGE',
        message: expect.stringContaining('9000×5000'),
      });
      const bigUrl = await upload(t(), key, {
        image_url: `http://photos.example:${images.port}/huge-streamed`,
      });
      expect([bigUrl.statusCode, bigUrl.json().error.code]).toEqual([400, 'IMAGE_TOO_LARGE']);
    });

    it('says what is wrong with the face: none, several', async () => {
      const { key } = await t().newAccount('pro');
      const none = await uploadFile(t(), key, await blankJpeg());
      expect(none.statusCode).toBe(400);
      expect(none.json().error).toMatchObject({
        code: 'NO_FACE_DETECTED',
        message: expect.stringContaining('No face'),
      });
      const group = await uploadFile(t(), key, await groupPhoto());
      expect(group.statusCode).toBe(400);
      expect(group.json().error).toMatchObject({ code: 'MULTIPLE_FACES', details: { field: 'file' } });
      const list = (await t().request({ method: 'GET', url: '/v1/avatars', key })).json();
      expect(list.my_avatars).toEqual([]);
    });

    it('enforces the avatar quota per billing cycle; free plans get none; deleting gives none back', async () => {
      const free = await t().newAccount('free');
      const refused = await uploadFile(t(), free.key, photo);
      expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'PLAN_RESTRICTION']);

      const explorer = await t().newAccount('explorer'); // overridden to 1 avatar per cycle below
      const first = await uploadFile(t(), explorer.key, photo);
      expect(first.statusCode, first.body).toBe(200);
      const second = await uploadFile(t(), explorer.key, photo);
      expect(second.statusCode).toBe(403);
      expect(second.json().error).toMatchObject({
        code: 'AVATAR_QUOTA_EXCEEDED',
        details: { limit: 1, used: 1 },
      });
      await t().request({
        method: 'DELETE',
        url: `/v1/avatars/${first.json().avatar_id}`,
        key: explorer.key,
      });
      const third = await uploadFile(t(), explorer.key, photo);
      expect(third.json().error.code).toBe('AVATAR_QUOTA_EXCEEDED');
      const usage = (await t().request({ method: 'GET', url: '/v1/usage', key: explorer.key })).json();
      expect(usage.usage.avatars).toEqual({ limit: 1, used: 1, remaining: 0 });
    });

    it('keeps avatars private: another account gets 404 everywhere, at session create too', async () => {
      const owner = await t().newAccount('pro');
      const other = await t().newAccount('pro');
      const id = (await uploadFile(t(), owner.key, photo)).json().avatar_id;
      for (const res of [
        await t().request({ method: 'GET', url: `/v1/avatars/${id}`, key: other.key }),
        await t().request({ method: 'DELETE', url: `/v1/avatars/${id}`, key: other.key }),
      ]) {
        expect([res.statusCode, res.json().error.code]).toEqual([404, 'AVATAR_NOT_FOUND']);
      }
      expect(
        (await t().request({ method: 'GET', url: '/v1/avatars', key: other.key })).json().my_avatars,
      ).toEqual([]);
      const session = await t().request({
        method: 'POST',
        url: '/v1/sessions',
        key: other.key,
        payload: { avatar: id },
      });
      expect([session.statusCode, session.json().error.code]).toEqual([404, 'AVATAR_NOT_FOUND']);
      const mine = await t().request({
        method: 'POST',
        url: '/v1/sessions',
        key: owner.key,
        payload: { avatar: id },
      });
      expect(mine.statusCode).toBe(200);
      expect(mine.json().session.avatar).toMatchObject({
        avatar_id: id,
        url: expect.stringContaining('/v1/media/avatars/'),
      });
    });

    it('deletes own avatars: gone from the list, its files and new sessions; running sessions stay', async () => {
      const { key } = await t().newAccount('pro');
      const created = (await uploadFile(t(), key, photo)).json();
      const running = await t().request({
        method: 'POST',
        url: '/v1/sessions',
        key,
        payload: { avatar: created.avatar_id },
      });
      const sessionId = running.json().session.session_id;
      const del = await t().request({ method: 'DELETE', url: `/v1/avatars/${created.avatar_id}`, key });
      expect(del.json()).toEqual({ success: true, message: 'Avatar deleted successfully' });
      expect(
        (await t().request({ method: 'DELETE', url: `/v1/avatars/${created.avatar_id}`, key })).statusCode,
      ).toBe(404);
      expect((await t().request({ method: 'GET', url: '/v1/avatars', key })).json().my_avatars).toEqual([]);
      expect((await fetchMedia(t(), created.preview_url)).res.statusCode).toBe(404);
      const again = await t().request({
        method: 'POST',
        url: '/v1/sessions',
        key,
        payload: { avatar: created.avatar_id },
      });
      expect(again.statusCode).toBe(404);
      const session = await t().request({ method: 'GET', url: `/v1/sessions/${sessionId}`, key });
      expect(session.json().session).toMatchObject({
        status: 'started',
        avatar: { avatar_id: created.avatar_id },
      });
      const publicDelete = await t().request({
        method: 'DELETE',
        url: '/v1/avatars/PUBLIC/Avatars/ada',
        key,
      });
      expect(publicDelete.statusCode).toBe(403);
    });

    it('creates a session from a base64 image through the same pipeline (the avatar is the caller’s)', async () => {
      const { key } = await t().newAccount('pro');
      const res = await t().request({
        method: 'POST',
        url: '/v1/sessions',
        key,
        payload: { avatar: `data:image/jpeg;base64,${Buffer.from(photo).toString('base64')}` },
      });
      expect(res.statusCode, res.body).toBe(200);
      const avatarId = res.json().session.avatar.avatar_id;
      expect(avatarId).toMatch(/^avat_/);
      const list = (await t().request({ method: 'GET', url: '/v1/avatars', key })).json();
      expect(list.my_avatars.map((a: { avatar_id: string }) => a.avatar_id)).toEqual([avatarId]);

      const noFace = await t().request({
        method: 'POST',
        url: '/v1/sessions',
        key,
        payload: { avatar: Buffer.from(await blankJpeg()).toString('base64') },
      });
      expect(noFace.statusCode).toBe(400);
      expect(noFace.json().error).toMatchObject({ code: 'NO_FACE_DETECTED', details: { field: 'avatar' } });
      const privateUrl = await t().request({
        method: 'POST',
        url: '/v1/sessions',
        key,
        payload: { avatar: `http://internal.example:${images.port}/face.jpg` },
      });
      expect(privateUrl.json().error).toMatchObject({
        code: 'IMAGE_URL_NOT_ALLOWED',
        details: { field: 'avatar' },
      });
    });

    it('lists the public avatars with previews rendered from their rigs; legacy /v1/avatars/public too', async () => {
      const { key } = await t().newAccount('free');
      const list = (await t().request({ method: 'GET', url: '/v1/avatars', key })).json();
      expect(list.public_avatars.map((a: { avatar_id: string }) => a.avatar_id)).toEqual([
        'PUBLIC/Avatars/eileen',
        'PUBLIC/Avatars/victor',
        'PUBLIC/Avatars/jonah',
        'PUBLIC/Avatars/amara',
        'PUBLIC/Avatars/ada',
        'PUBLIC/Avatars/milo',
        'PUBLIC/Avatars/nora',
        'PUBLIC/Avatars/kai',
      ]);
      for (const avatar of list.public_avatars.slice(0, 2)) {
        const preview = await fetchMedia(t(), avatar.preview_url);
        expect([preview.meta?.width, preview.meta?.height]).toEqual([500, 500]);
        const image = await fetchMedia(t(), avatar.image_url);
        expect(image.meta?.width).toBeLessThanOrEqual(1200);
      }
      const one = await t().request({ method: 'GET', url: '/v1/avatars/PUBLIC%2FAvatars%2Fnora', key });
      expect(one.json().avatar.name).toBe('Nora');
      const legacy = (await t().request({ method: 'GET', url: '/v1/avatars/public', key })).json();
      expect(legacy.avatars).toHaveLength(8);
    });
  },
  {
    env: { AGENTHUMAN_PLANS: JSON.stringify({ explorer: { customAvatarsPerCycle: 1 } }) },
    server: { faces, fetchPolicy: { resolver: testResolver, connector } },
  },
);
