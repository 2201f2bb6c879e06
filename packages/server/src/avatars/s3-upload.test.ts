// The whole upload path with AGENTHUMAN_BLOB_STORE=s3, against a FAKE S3 server on 127.0.0.1.
import { serverForSuite } from '@agenthuman/server/testing/server-fixture';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portrait } from '../testing/avatar-fixtures.js';
import { type FakeS3, startFakeS3 } from '../testing/fake-s3-server.js';

let fake: FakeS3;
beforeAll(async () => {
  fake = await startFakeS3({ bucket: 'faces', accessKeyId: 'AKIAFAKE', region: 'us-east-1' });
});
afterAll(async () => {
  await fake?.close();
});
// Registered after the fake's hooks: starts once the fake listens, closes before it stops.
const t = serverForSuite('pglite', () => ({
  env: {
    AGENTHUMAN_BLOB_STORE: 's3',
    AGENTHUMAN_S3_ENDPOINT: fake.endpoint,
    AGENTHUMAN_S3_BUCKET: 'faces',
    AGENTHUMAN_S3_ACCESS_KEY_ID: 'AKIAFAKE',
    AGENTHUMAN_S3_SECRET_ACCESS_KEY: 'fake-secret',
  },
}));

describe('avatars on S3-compatible storage', () => {
  it('stores the files in the bucket, serves them, and deletes them', async () => {
    expect(t().server.deps.blobs.kind).toBe('s3');
    const { key } = await t().newAccount('pro');
    const res = await t().request({
      method: 'POST',
      url: '/v1/avatars/upload-face',
      key,
      payload: { image_base64: Buffer.from(await portrait()).toString('base64') },
    });
    expect(res.statusCode, res.body).toBe(200);
    const id = res.json().avatar_id;
    expect([...fake.objects.keys()].sort()).toEqual(
      ['image.jpg', 'original', 'preview.jpg', 'rig-1x1.bin', 'rig-3x4.bin', 'rig-4x3.bin'].map(
        (f) => `avatars/${id}/${f}`,
      ),
    );
    const preview = await t().request({
      method: 'GET',
      url: res.json().preview_url.replace('http://api.test', ''),
    });
    expect(preview.statusCode).toBe(200);
    expect(Buffer.compare(preview.rawPayload, fake.objects.get(`avatars/${id}/preview.jpg`)!.body)).toBe(0);
    await t().request({ method: 'DELETE', url: `/v1/avatars/${id}`, key });
    expect(fake.objects.size).toBe(0);
  });
});
