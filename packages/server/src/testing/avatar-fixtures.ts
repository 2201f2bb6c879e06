/**
 * @module Test fixtures for the Avatars API: real portraits cropped in memory from the face-api sample photos
 * (never committed), a local image server on 127.0.0.1, and an injected resolver and connector so image_url
 * tests never connect anywhere but 127.0.0.1.
 */
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import {
  cropJpeg,
  faceApiSample,
  SAMPLE1_MIDDLE_PERSON,
  SAMPLE6_LEFT_PERSON,
} from '@agenthuman/engine/testing/face';
import sharp from 'sharp';
import type { Connector, ConnectTarget, Resolver } from '../avatars/fetch/safe-fetch.js';

export const portrait = async () => cropJpeg(await faceApiSample(6), SAMPLE6_LEFT_PERSON);
export const secondPortrait = async () => cropJpeg(await faceApiSample(1), SAMPLE1_MIDDLE_PERSON);
export const groupPhoto = async () => faceApiSample(1);
export const blankJpeg = async () =>
  new Uint8Array(
    await sharp({ create: { width: 400, height: 400, channels: 3, background: '#8899aa' } })
      .jpeg()
      .toBuffer(),
  );

/** A real decompression bomb: a 130 KB PNG that decodes to 9000×5000 pixels (45 MP, 135 MB of RGB). */
export async function decompressionBomb(): Promise<Uint8Array> {
  const png = await sharp({ create: { width: 9000, height: 5000, channels: 3, background: '#000' } })
    .png({ compressionLevel: 9 })
    .toBuffer();
  return new Uint8Array(png);
}

/** A made-up public address: the injected connector maps it to 127.0.0.1, so nothing ever connects to it. */
export const PUBLIC_TEST_ADDRESS = '93.184.215.14';

/** Host names the injected resolver knows; anything else fails to resolve (no real DNS in tests). */
export const TEST_HOSTS: Record<string, string[]> = {
  'photos.example': [PUBLIC_TEST_ADDRESS],
  'internal.example': ['10.0.0.5'],
  'metadata.example': ['169.254.169.254'],
  'loopback6.example': ['::1'],
  'mapped.example': ['::ffff:127.0.0.1'],
  'mixed.example': [PUBLIC_TEST_ADDRESS, '192.168.1.10'],
};

export const testResolver: Resolver = async (hostname) => {
  // A resolver that never answers, like a DNS server that drops queries.
  if (hostname === 'blackhole.example') return new Promise(() => undefined);
  const found = TEST_HOSTS[hostname];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

/** Records every connection asked for and opens it on 127.0.0.1; refuses any address but the public one. */
export function loopbackConnector(): Connector & { targets: ConnectTarget[] } {
  const targets: ConnectTarget[] = [];
  const connector = (target: ConnectTarget) => {
    targets.push(target);
    if (target.address !== PUBLIC_TEST_ADDRESS || target.tls) {
      throw new Error(`test connector refused ${target.address}`);
    }
    return connect({ host: '127.0.0.1', port: target.port });
  };
  return Object.assign(connector, { targets });
}

export type ImageServer = { port: number; hits: string[]; close(): Promise<void> };

/** Serves /face.jpg, redirects and oversized bodies on 127.0.0.1. */
export async function startImageServer(face: Uint8Array): Promise<ImageServer> {
  const hits: string[] = [];
  let port = 0;
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.push(path);
    if (path === '/face.jpg') return res.writeHead(200, { 'content-type': 'image/jpeg' }).end(face);
    if (path === '/to-private') {
      return res.writeHead(302, { location: `http://internal.example:${port}/face.jpg` }).end();
    }
    if (path === '/to-loopback')
      return res.writeHead(301, { location: `http://127.0.0.1:${port}/face.jpg` }).end();
    if (path === '/to-face') return res.writeHead(302, { location: '/face.jpg' }).end();
    const hop = /^\/hop\/(\d+)$/.exec(path);
    if (hop) return res.writeHead(302, { location: `/hop/${Number(hop[1]) + 1}` }).end();
    if (path === '/huge-streamed') {
      // No content-length: the cap must cut the stream, not trust a header.
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      const chunk = Buffer.alloc(1024 * 1024, 0xff);
      let sent = 0;
      const pump = () => {
        while (sent < 12 && res.write(chunk)) sent++;
        if (sent >= 12) res.end();
        else res.once('drain', pump);
      };
      res.on('error', () => undefined);
      return pump();
    }
    if (path === '/slow') return; // never answers
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    port,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A multipart/form-data body with the given text fields and optional file parts. */
export function multipartBody(
  parts: Array<{ name: string; value: string } | { name: string; filename: string; bytes: Uint8Array }>,
) {
  const boundary = `----agenthuman${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const head =
      'filename' in part
        ? `Content-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`
        : `Content-Disposition: form-data; name="${part.name}"\r\n\r\n`;
    chunks.push(Buffer.from(`--${boundary}\r\n${head}`));
    chunks.push('filename' in part ? Buffer.from(part.bytes) : Buffer.from(part.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
