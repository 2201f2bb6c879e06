/**
 * The signed recording download through the real server (PGlite, filesystem blob store): the file streamed
 * whole or by one byte range (206 + Content-Range), a range past the end 416 RANGE_NOT_SATISFIABLE naming the
 * field, several ranges or If-Range the whole file, HEAD the headers alone, bad signatures and missing files
 * refused with their codes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverForSuite } from '@agenthuman/server/testing/server-fixture';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingBlobKey, recordingFilePath } from './recording-files.js';

const dir = mkdtempSync(join(tmpdir(), 'recording-download-'));
const SESSION = 'sess_01JDOWNLOADTEST00000000000A';
const bytes = Buffer.from(Array.from({ length: 256 * 1024 + 17 }, (_, i) => (i * 31) % 256));
const t = serverForSuite('pglite');
let url: string;

beforeAll(async () => {
  const file = join(dir, 'recording.mp4');
  writeFileSync(file, bytes);
  await t().server.deps.blobs.putFile(recordingBlobKey(SESSION), file, 'video/mp4');
  const signed = new URL(t().server.deps.media.signer.url(recordingFilePath(SESSION)));
  url = signed.pathname + signed.search;
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const get = (headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET') =>
  t().request({ method, url, headers });

describe('recording download', () => {
  it('streams the whole file and says ranges are accepted', async () => {
    const res = await get();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('video/mp4');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(Number(res.headers['content-length'])).toBe(bytes.length);
    expect(res.rawPayload.equals(bytes)).toBe(true);
  });

  it('answers one byte range with 206 and Content-Range (first-last, open-ended, suffix)', async () => {
    const cases: Array<[string, number, number]> = [
      ['bytes=100-199', 100, 199],
      [`bytes=${bytes.length - 10}-`, bytes.length - 10, bytes.length - 1],
      ['bytes=-17', bytes.length - 17, bytes.length - 1],
      [`bytes=5-${bytes.length + 1000}`, 5, bytes.length - 1],
    ];
    for (const [range, start, end] of cases) {
      const res = await get({ range });
      expect(res.statusCode, range).toBe(206);
      expect(res.headers['content-range'], range).toBe(`bytes ${start}-${end}/${bytes.length}`);
      expect(Number(res.headers['content-length']), range).toBe(end - start + 1);
      expect(res.rawPayload.equals(bytes.subarray(start, end + 1)), range).toBe(true);
    }
  });

  it('refuses a range past the end with 416 naming the field, and serves several ranges or If-Range whole', async () => {
    const past = await get({ range: `bytes=${bytes.length}-` });
    expect(past.statusCode).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${bytes.length}`);
    expect(past.json().error).toMatchObject({
      code: 'RANGE_NOT_SATISFIABLE',
      details: { field: 'range', size: bytes.length },
    });
    const whole: Array<Record<string, string>> = [
      { range: 'bytes=0-1,10-20' },
      { range: 'bytes=0-1', 'if-range': '"x"' },
    ];
    for (const headers of whole) {
      const res = await get(headers);
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.length).toBe(bytes.length);
    }
  });

  it('answers HEAD with the headers alone, reading nothing of the file', async () => {
    const { blobs } = t().server.deps;
    const read = blobs.read;
    let reads = 0;
    blobs.read = (...args) => {
      reads++;
      return read.apply(blobs, args);
    };
    const res = await get({}, 'HEAD').finally(() => {
      blobs.read = read;
    });
    expect(reads).toBe(0);
    expect(res.statusCode).toBe(200);
    expect(Number(res.headers['content-length'])).toBe(bytes.length);
    expect(res.rawPayload.length).toBe(0);
  });

  it('refuses forged links and answers 404 for a recording that is gone', async () => {
    const forged = await t().request({
      method: 'GET',
      url: url.replace(/sig=./, (s) => (s.endsWith('A') ? 'sig=B' : 'sig=A')),
    });
    expect([forged.statusCode, forged.json().error.code]).toEqual([403, 'INVALID_SIGNATURE']);
    const gone = new URL(
      t().server.deps.media.signer.url(recordingFilePath('sess_01JDOWNLOADTEST00000000000B')),
    );
    const res = await t().request({
      method: 'GET',
      url: gone.pathname + gone.search,
      headers: { range: 'bytes=0-' },
    });
    expect([res.statusCode, res.json().error.code]).toEqual([404, 'NOT_FOUND']);
  });
});
