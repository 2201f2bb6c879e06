/**
 * @module BlobStore on S3-compatible storage (AWS S3, MinIO, R2, ...): plain signed PUT/GET/DELETE of objects,
 * SigV4 by aws4fetch. Path-style URLs (`<endpoint>/<bucket>/<key>`) by default, which every S3-compatible
 * server accepts; virtual-hosted style (`<bucket>.<endpoint host>`) when `pathStyle` is false.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { AwsClient } from 'aws4fetch';
import { assertBlobKey, type BlobStore } from './blob-store.js';

/** Tries of a streamed PUT: each reopens the file (aws4fetch's own retries would resend a spent stream). */
const PUT_FILE_TRIES = 3;

export type S3Settings = {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Object keys are put under this prefix (e.g. `agenthuman/`). */
  prefix: string;
  pathStyle: boolean;
};

export function createS3BlobStore(settings: S3Settings): BlobStore {
  const credentials = {
    accessKeyId: settings.accessKeyId,
    secretAccessKey: settings.secretAccessKey,
    region: settings.region,
    service: 's3',
  };
  const client = new AwsClient(credentials);
  const streamingClient = new AwsClient({ ...credentials, retries: 0 });
  const base = new URL(settings.endpoint);
  const urlOf = (key: string) => {
    assertBlobKey(key);
    const path = `${settings.prefix}${key}`.split('/').map(encodeURIComponent).join('/');
    if (settings.pathStyle) return `${base.origin}/${encodeURIComponent(settings.bucket)}/${path}`;
    return `${base.protocol}//${settings.bucket}.${base.host}/${path}`;
  };
  const fail = async (what: string, key: string, response: Response): Promise<never> => {
    const body = (await response.text()).slice(0, 300);
    const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1] ?? 'unknown';
    throw new Error(`S3 ${what} ${key} failed: HTTP ${response.status} ${code}`);
  };
  return {
    kind: 's3',
    async put(key, bytes, contentType) {
      const response = await client.fetch(urlOf(key), {
        method: 'PUT',
        body: new Uint8Array(bytes) as Uint8Array<ArrayBuffer>,
        headers: { 'content-type': contentType },
      });
      if (!response.ok) await fail('PUT', key, response);
      await response.arrayBuffer();
    },
    async putFile(key, path, contentType) {
      const { size } = await stat(path);
      for (let attempt = 1; ; attempt++) {
        // S3 wants the length up front (no chunked uploads without aws-chunked signing); the payload is
        // UNSIGNED-PAYLOAD (aws4fetch's default for s3), so the file is read once, as it is sent.
        const response = await streamingClient.fetch(urlOf(key), {
          method: 'PUT',
          body: Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>,
          headers: { 'content-type': contentType, 'content-length': String(size) },
        });
        const retry = response.status >= 500 || response.status === 429;
        if (response.ok || !retry || attempt === PUT_FILE_TRIES) {
          if (!response.ok) await fail('PUT', key, response);
          await response.arrayBuffer();
          return;
        }
        await response.arrayBuffer();
        await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
      }
    },
    async get(key) {
      const response = await client.fetch(urlOf(key), { method: 'GET' });
      if (response.status === 404) {
        await response.arrayBuffer();
        return undefined;
      }
      if (!response.ok) await fail('GET', key, response);
      return new Uint8Array(await response.arrayBuffer());
    },
    async size(key) {
      const response = await client.fetch(urlOf(key), { method: 'HEAD' });
      if (response.status === 404) return undefined;
      if (!response.ok) await fail('HEAD', key, response);
      return Number(response.headers.get('content-length'));
    },
    async read(key, range) {
      const response = await client.fetch(urlOf(key), {
        method: 'GET',
        headers: range ? { range: `bytes=${range.start}-${range.end}` } : {},
      });
      if (response.status === 404) {
        await response.arrayBuffer();
        return undefined;
      }
      if (!response.ok || !response.body) await fail('GET', key, response);
      return Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
    },
    async delete(key) {
      const response = await client.fetch(urlOf(key), { method: 'DELETE' });
      if (!response.ok && response.status !== 404) await fail('DELETE', key, response);
      await response.arrayBuffer();
    },
  };
}
