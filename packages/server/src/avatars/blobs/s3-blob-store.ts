/**
 * @module BlobStore on S3-compatible storage (AWS S3, MinIO, R2, ...): plain signed PUT/GET/DELETE of objects,
 * SigV4 by aws4fetch. Path-style URLs (`<endpoint>/<bucket>/<key>`) by default, which every S3-compatible
 * server accepts; virtual-hosted style (`<bucket>.<endpoint host>`) when `pathStyle` is false.
 */
import { AwsClient } from 'aws4fetch';
import { assertBlobKey, type BlobStore } from './blob-store.js';

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
  const client = new AwsClient({
    accessKeyId: settings.accessKeyId,
    secretAccessKey: settings.secretAccessKey,
    region: settings.region,
    service: 's3',
  });
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
    async get(key) {
      const response = await client.fetch(urlOf(key), { method: 'GET' });
      if (response.status === 404) {
        await response.arrayBuffer();
        return undefined;
      }
      if (!response.ok) await fail('GET', key, response);
      return new Uint8Array(await response.arrayBuffer());
    },
    async delete(key) {
      const response = await client.fetch(urlOf(key), { method: 'DELETE' });
      if (!response.ok && response.status !== 404) await fail('DELETE', key, response);
      await response.arrayBuffer();
    },
  };
}
