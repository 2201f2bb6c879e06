// SSRF: image_url is fetched only from public addresses. Nothing here connects anywhere but 127.0.0.1: the
// resolver is injected (no DNS), and the connector refuses every address but the one public test address,
// which it maps to the local image server.
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type ImageServer,
  loopbackConnector,
  PUBLIC_TEST_ADDRESS,
  portrait,
  startImageServer,
  testResolver,
} from '../testing/avatar-fixtures.js';
import { describeOnBothStores, type TestServer } from '../testing/test-server.js';
import { directConnector } from './fetch/safe-fetch.js';
import { createFaceWorkerPool } from './ingest/face-worker-pool.js';

const faces = createFaceWorkerPool({ size: 1, maxQueue: 16 });
const connector = loopbackConnector();
let images: ImageServer;

beforeAll(async () => {
  images = await startImageServer(await portrait());
});
afterAll(async () => {
  await images.close();
  await faces.close();
});

const fromUrl = (t: TestServer, key: string, url: string) =>
  t.request({ method: 'POST', url: '/v1/avatars/upload-face', key, payload: { image_url: url } });

describeOnBothStores(
  'image_url fetching (SSRF)',
  (t) => {
    it('fetches from a public address, pinned to the address it checked, following a redirect', async () => {
      const { key } = await t().newAccount('pro');
      const before = connector.targets.length;
      const res = await fromUrl(t(), key, `http://photos.example:${images.port}/to-face`);
      expect(res.statusCode, res.body).toBe(200);
      expect(connector.targets.slice(before)).toEqual([
        {
          address: PUBLIC_TEST_ADDRESS,
          family: 4,
          port: images.port,
          tls: false,
          servername: 'photos.example',
        },
        {
          address: PUBLIC_TEST_ADDRESS,
          family: 4,
          port: images.port,
          tls: false,
          servername: 'photos.example',
        },
      ]);
    });

    it('refuses a local server on 127.0.0.1 (and its other spellings) without connecting', async () => {
      const { key } = await t().newAccount('pro');
      const hits = images.hits.length;
      const targets = connector.targets.length;
      for (const host of ['127.0.0.1', '[::1]', '[::ffff:127.0.0.1]', '2130706433', '0x7f.1', 'localhost']) {
        const res = await fromUrl(t(), key, `http://${host}:${images.port}/face.jpg`);
        expect(res.statusCode, host).toBe(400);
        // localhost is not in the test resolver: it fails to resolve instead (never reaching a socket either).
        expect(res.json().error.code, host).toBe(
          host === 'localhost' ? 'IMAGE_FETCH_FAILED' : 'IMAGE_URL_NOT_ALLOWED',
        );
      }
      expect(images.hits.length).toBe(hits);
      expect(connector.targets.length).toBe(targets);
    });

    it.each([
      ['internal.example', 'private'],
      ['metadata.example', 'link-local (cloud metadata)'],
      ['loopback6.example', 'loopback'],
      ['mapped.example', 'loopback (embedded in IPv6)'],
      ['mixed.example', 'private'],
    ])('refuses %s, which resolves to a %s address', async (host, why) => {
      const { key } = await t().newAccount('pro');
      const targets = connector.targets.length;
      const res = await fromUrl(t(), key, `http://${host}:${images.port}/face.jpg`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'IMAGE_URL_NOT_ALLOWED',
        message: `image_url is not allowed: ${host} resolves to a ${why} address`,
        details: { field: 'image_url' },
      });
      expect(connector.targets.length).toBe(targets);
    });

    it('refuses a redirect from an allowed URL to a private or loopback one', async () => {
      const { key } = await t().newAccount('pro');
      for (const path of ['/to-private', '/to-loopback']) {
        const hits = images.hits.length;
        const res = await fromUrl(t(), key, `http://photos.example:${images.port}${path}`);
        expect(res.json().error.code, path).toBe('IMAGE_URL_NOT_ALLOWED');
        expect(images.hits.slice(hits)).toEqual([path]); // the redirect target was never requested
      }
    });

    it('stops after 3 redirects, refuses other schemes, and reports HTTP errors', async () => {
      const { key } = await t().newAccount('pro');
      const loop = await fromUrl(t(), key, `http://photos.example:${images.port}/hop/0`);
      expect(loop.json().error).toMatchObject({
        code: 'IMAGE_FETCH_FAILED',
        message: expect.stringContaining('more than 3 redirects'),
      });
      for (const url of [
        'file:///etc/passwd',
        'ftp://photos.example/x.jpg',
        'gopher://photos.example/',
        'not a url',
      ]) {
        expect((await fromUrl(t(), key, url)).json().error.code, url).toBe('IMAGE_URL_NOT_ALLOWED');
      }
      const missing = await fromUrl(t(), key, `http://photos.example:${images.port}/nope.jpg`);
      expect(missing.json().error).toMatchObject({
        code: 'IMAGE_FETCH_FAILED',
        message: expect.stringContaining('HTTP 404'),
      });
    });

    it('gives up on a server that does not answer within the time limit', async () => {
      const { key } = await t().newAccount('pro');
      const started = Date.now();
      const res = await fromUrl(t(), key, `http://photos.example:${images.port}/slow`);
      expect(res.json().error).toMatchObject({
        code: 'IMAGE_FETCH_FAILED',
        message: expect.stringContaining('within 0.5 s'),
      });
      expect(Date.now() - started).toBeLessThan(5000);
      const dns = await fromUrl(t(), key, `http://blackhole.example:${images.port}/face.jpg`);
      expect(dns.json().error).toMatchObject({
        code: 'IMAGE_FETCH_FAILED',
        message: expect.stringContaining('within 0.5 s'),
      });
    });
  },
  // The timeout is shortened so the slow-server test stays quick; the default is 10 s.
  { server: { faces, fetchPolicy: { resolver: testResolver, connector, timeoutMs: 500 } } },
);

describeOnBothStores(
  'image_url on a private host the operator allowed',
  (t) => {
    it('fetches from a loopback address listed in AGENTHUMAN_ALLOWED_PRIVATE_HOSTS, and only from it', async () => {
      const { key } = await t().newAccount('pro');
      const hits = images.hits.length;
      const allowed = await fromUrl(t(), key, `http://127.0.0.1:${images.port}/face.jpg`);
      expect(allowed.statusCode, allowed.body).toBe(200);
      expect(images.hits.length).toBeGreaterThan(hits);
      const other = await fromUrl(t(), key, `http://127.0.0.2:${images.port}/face.jpg`);
      expect(other.json().error.code).toBe('IMAGE_URL_NOT_ALLOWED');
    });
  },
  // The one setting shared with llm.base_url (llm-ssrf.test.ts); the real connector, so 127.0.0.1 is dialled.
  {
    env: { AGENTHUMAN_ALLOWED_PRIVATE_HOSTS: '127.0.0.1' },
    server: { faces, fetchPolicy: { resolver: testResolver, connector: directConnector } },
  },
);
