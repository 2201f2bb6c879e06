/**
 * upload-face's body limits while the body streams (PGlite): a multipart body declaring more than 15 MB is
 * refused 413 PAYLOAD_TOO_LARGE (field `body`) before it is read, a chunked one as soon as it crosses 15 MB,
 * and a base64 form field cut by the parser's field limit is IMAGE_TOO_LARGE for `image_base64`, not a damaged
 * image. Nothing here reaches the face model.
 */
import { Readable } from 'node:stream';
import { serverForSuite } from '@agenthuman/server/testing/server-fixture';
import { beforeAll, describe, expect, it } from 'vitest';
import { multipartBody } from '../testing/avatar-fixtures.js';

const t = serverForSuite('pglite');
let key: string;
beforeAll(async () => {
  ({ key } = await t().newAccount('pro'));
});

const MB = 1024 * 1024;
const post = (payload: Buffer | Readable, headers: Record<string, string>) =>
  t().request({ method: 'POST', url: '/v1/avatars/upload-face', key, payload, headers });

describe('upload-face body limits', () => {
  it('refuses a multipart body that declares more than 15 MB with 413 naming the body', async () => {
    // Six text fields of 3 MB each: every one is under the field limit, together 18 MB.
    const body = multipartBody(
      Array.from({ length: 6 }, (_, i) => ({ name: `x${i}`, value: 'a'.repeat(3 * MB) })),
    );
    const res = await post(body.payload, body.headers);
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      details: { field: 'body', max_bytes: 15 * MB },
    });
  });

  it('refuses a chunked multipart body once it crosses 15 MB (the rest is read and dropped)', async () => {
    const body = multipartBody(
      Array.from({ length: 6 }, (_, i) => ({ name: `x${i}`, value: 'a'.repeat(3 * MB) })),
    );
    let pushed = 0;
    // No Content-Length: the server only learns the size by counting. 64 KB a push, as a socket would.
    const stream = new Readable({
      read() {
        if (pushed >= body.payload.length) return void this.push(null);
        this.push(body.payload.subarray(pushed, pushed + 64 * 1024));
        pushed += 64 * 1024;
      },
    });
    const res = await post(stream, body.headers);
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { field: 'body' } });
  });

  it('refuses a JSON body over the route limit of 15 MB, naming that limit', async () => {
    const res = await t().request({
      method: 'POST',
      url: '/v1/avatars/upload-face',
      key,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ image_base64: 'A'.repeat(16 * MB) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'Request body is too large (at most 15 MB)',
      details: { field: 'body', max_bytes: 15 * MB },
    });
  });

  it('says IMAGE_TOO_LARGE for a base64 form field cut at the field limit', async () => {
    const body = multipartBody([{ name: 'image_base64', value: 'A'.repeat(14 * MB) }]);
    const res = await post(body.payload, body.headers);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'IMAGE_TOO_LARGE', details: { field: 'image_base64' } });
  });
});
