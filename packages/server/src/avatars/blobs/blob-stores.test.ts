import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeS3, startFakeS3 } from '../../testing/fake-s3-server.js';
import type { BlobStore } from './blob-store.js';
import { createFsBlobStore } from './fs-blob-store.js';
import { createS3BlobStore } from './s3-blob-store.js';

const S3 = { bucket: 'avatars', accessKeyId: 'AKIATESTTESTTEST', region: 'eu-west-1' };
let fake: FakeS3;
let fsRoot: string;
beforeAll(async () => {
  fake = await startFakeS3(S3);
  fsRoot = mkdtempSync(join(tmpdir(), 'agenthuman-blobs-'));
});
afterAll(async () => {
  await fake.close();
  rmSync(fsRoot, { recursive: true, force: true });
});

const stores: Array<[string, () => BlobStore]> = [
  ['filesystem', () => createFsBlobStore(fsRoot)],
  [
    's3 (against a fake S3 server)',
    () =>
      createS3BlobStore({
        endpoint: fake.endpoint,
        bucket: S3.bucket,
        region: S3.region,
        accessKeyId: S3.accessKeyId,
        secretAccessKey: 'secret-for-the-fake',
        prefix: 'agenthuman/',
        pathStyle: true,
      }),
  ],
];

describe.each(stores)('BlobStore: %s', (_name, open) => {
  it('round-trips bytes, overwrites, and deletes (deleting twice is fine)', async () => {
    const store = open();
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await store.put('avatars/avat_X/preview.jpg', bytes, 'image/jpeg');
    expect(await store.get('avatars/avat_X/preview.jpg')).toEqual(bytes);
    await store.put('avatars/avat_X/preview.jpg', new Uint8Array([9]), 'image/jpeg');
    expect(await store.get('avatars/avat_X/preview.jpg')).toEqual(new Uint8Array([9]));
    expect(await store.get('avatars/avat_X/missing')).toBeUndefined();
    await store.delete('avatars/avat_X/preview.jpg');
    await store.delete('avatars/avat_X/preview.jpg');
    expect(await store.get('avatars/avat_X/preview.jpg')).toBeUndefined();
  });

  it('stores a file by streaming it, and reads it back whole or by range, with its size', async () => {
    const store = open();
    const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251));
    const path = join(fsRoot, `source-${_name.length}.mp4`);
    writeFileSync(path, bytes);
    await store.putFile('recordings/sess_A.mp4', path, 'video/mp4');
    expect(await store.size('recordings/sess_A.mp4')).toBe(bytes.length);
    expect(await drain(await store.read('recordings/sess_A.mp4'))).toEqual(bytes);
    const range = await drain(await store.read('recordings/sess_A.mp4', { start: 1000, end: 1999 }));
    expect(range).toEqual(bytes.subarray(1000, 2000));
    const last = await drain(
      await store.read('recordings/sess_A.mp4', { start: bytes.length - 1, end: bytes.length - 1 }),
    );
    expect(last).toEqual(bytes.subarray(bytes.length - 1));
    expect(await store.size('recordings/missing.mp4')).toBeUndefined();
    expect(await store.read('recordings/missing.mp4')).toBeUndefined();
    await expect(
      store.putFile('recordings/x.mp4', join(fsRoot, 'no-such-file'), 'video/mp4'),
    ).rejects.toThrow('ENOENT');
    await store.delete('recordings/sess_A.mp4');
    expect(await store.size('recordings/sess_A.mp4')).toBeUndefined();
  });

  it('refuses keys that could leave the store', async () => {
    const store = open();
    for (const key of ['../etc/passwd', 'avatars/../../x', '/abs', 'a//b', '']) {
      await expect(store.put(key, new Uint8Array([1]), 'image/jpeg'), key).rejects.toThrow(
        'invalid blob key',
      );
    }
  });
});

async function drain(stream: Readable | undefined): Promise<Buffer> {
  if (!stream) throw new Error('no such blob');
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('S3 wire format', () => {
  it('sends signed path-style requests under the prefix with the content type', async () => {
    const store = stores[1]![1]();
    const before = fake.requests.length;
    await store.put('avatars/avat_Y/image.jpg', new Uint8Array([1, 2, 3]), 'image/jpeg');
    await store.get('avatars/avat_Y/image.jpg');
    await store.delete('avatars/avat_Y/image.jpg');
    expect(fake.requests.slice(before)).toEqual([
      { method: 'PUT', path: '/avatars/agenthuman/avatars/avat_Y/image.jpg' },
      { method: 'GET', path: '/avatars/agenthuman/avatars/avat_Y/image.jpg' },
      { method: 'DELETE', path: '/avatars/agenthuman/avatars/avat_Y/image.jpg' },
    ]);
  });

  it('streams a file up with its Content-Length and asks for ranges with a Range header', async () => {
    const store = stores[1]![1]();
    const path = join(fsRoot, 'wire.mp4');
    writeFileSync(path, Buffer.alloc(5000, 3));
    const before = fake.requests.length;
    await store.putFile('recordings/sess_W.mp4', path, 'video/mp4');
    const range = await drain(await store.read('recordings/sess_W.mp4', { start: 10, end: 19 }));
    expect(range).toEqual(Buffer.alloc(10, 3));
    expect(fake.objects.get('agenthuman/recordings/sess_W.mp4')).toMatchObject({ contentType: 'video/mp4' });
    expect(fake.requests.slice(before).map((r) => r.method)).toEqual(['PUT', 'GET']);
  });

  it('tries a streamed PUT again from the file when S3 answers 503, and gives up after three', async () => {
    const store = stores[1]![1]();
    const path = join(fsRoot, 'retry.mp4');
    writeFileSync(path, Buffer.alloc(70_000, 5));
    const before = fake.requests.length;
    fake.failPuts = 2;
    await store.putFile('recordings/sess_R.mp4', path, 'video/mp4');
    expect(fake.requests.slice(before).map((r) => r.method)).toEqual(['PUT', 'PUT', 'PUT']);
    expect(fake.objects.get('agenthuman/recordings/sess_R.mp4')?.body).toEqual(Buffer.alloc(70_000, 5));
    fake.failPuts = 3;
    await expect(store.putFile('recordings/sess_S.mp4', path, 'video/mp4')).rejects.toThrow(
      'HTTP 503 SlowDown',
    );
    expect(fake.failPuts).toBe(0);
  });

  it('reports S3 errors with their code (wrong bucket → NoSuchBucket)', async () => {
    const store = createS3BlobStore({
      endpoint: fake.endpoint,
      bucket: 'other-bucket',
      region: S3.region,
      accessKeyId: S3.accessKeyId,
      secretAccessKey: 'x',
      prefix: '',
      pathStyle: true,
    });
    await expect(store.put('a/b', new Uint8Array([1]), 'image/jpeg')).rejects.toThrow(
      'HTTP 404 NoSuchBucket',
    );
  });
});

describe('filesystem store', () => {
  it('leaves no temporary files behind', async () => {
    const store = createFsBlobStore(fsRoot);
    await Promise.all([1, 2, 3].map((n) => store.put('atomic/file.bin', new Uint8Array([n]), 'x')));
    expect(readdirSync(join(fsRoot, 'atomic'))).toEqual(['file.bin']);
  });
});
