/**
 * @module Fetches an image URL for a user without letting them reach the server's own network (SSRF).
 *
 * Each hop: http(s) only → resolve the host ourselves → refuse unless every resolved address is public
 * (`address-policy.ts`) → connect to exactly that checked address (the socket is made by the connector from the
 * checked IP, so a second DNS answer can never be used: no time-of-check/time-of-use gap) → follow at most
 * `maxRedirects` redirects, each checked the same way. One deadline covers every hop and the body; the body is
 * streamed and cut off at `maxBytes`. TLS still verifies the certificate against the URL's host name.
 */
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { AppError } from '../../http/app-error.js';
import { imageTooLarge } from '../image/image-errors.js';
import { blockedReason } from './address-policy.js';

export type ResolvedAddress = { address: string; family: 4 | 6 };
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;
export type ConnectTarget = ResolvedAddress & { port: number; tls: boolean; servername: string };
/** Opens the socket to an already checked address. Tests inject one that maps it to 127.0.0.1. */
export type Connector = (target: ConnectTarget) => Socket;

export type FetchPolicy = {
  resolver: Resolver;
  connector: Connector;
  /** Why an address (resolved from `hostname`) is refused, or undefined when allowed. */
  blockedReason: (address: string, hostname?: string) => string | undefined;
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
};

export const systemResolver: Resolver = async (hostname) => {
  const found = await lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

export const directConnector: Connector = (t) =>
  t.tls
    ? tlsConnect({ host: t.address, port: t.port, servername: isIP(t.servername) ? '' : t.servername })
    : netConnect({ host: t.address, port: t.port });

export const defaultFetchPolicy = (maxBytes: number): FetchPolicy => ({
  resolver: systemResolver,
  connector: directConnector,
  blockedReason,
  maxBytes,
  timeoutMs: 10_000,
  maxRedirects: 3,
});

const FIELD = 'image_url';

export async function safeFetch(rawUrl: string, policy: FetchPolicy): Promise<Uint8Array> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), policy.timeoutMs);
  try {
    let url = parseUrl(rawUrl);
    for (let hop = 0; ; hop++) {
      const response = await request(url, policy, abort.signal);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location) {
        response.resume();
        if (hop >= policy.maxRedirects) {
          throw fetchFailed(`more than ${policy.maxRedirects} redirects`);
        }
        url = parseUrl(new URL(location, url).href);
        continue;
      }
      if (status < 200 || status >= 300) {
        response.resume();
        throw fetchFailed(`the server answered HTTP ${status}`);
      }
      return await readCapped(response, policy.maxBytes);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (abort.signal.aborted) throw fetchFailed(`no complete answer within ${policy.timeoutMs / 1000} s`);
    throw fetchFailed(error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw notAllowed('it is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw notAllowed(`only http and https URLs are fetched, not ${url.protocol.replace(':', '')}`);
  }
  return url;
}

async function checkedAddress(url: URL, policy: FetchPolicy, signal: AbortSignal): Promise<ResolvedAddress> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host);
  let addresses: ResolvedAddress[];
  if (literal) addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  else {
    try {
      // getaddrinfo cannot be cancelled; the deadline still ends the wait for it.
      addresses = await Promise.race([policy.resolver(host), aborted(signal)]);
    } catch {
      if (signal.aborted) throw new Error('timed out');
      throw fetchFailed(`the host name ${host} could not be resolved`);
    }
  }
  if (addresses.length === 0) throw fetchFailed(`the host name ${host} has no address`);
  // Every address must pass: a name mixing public and private answers is refused, not cherry-picked.
  for (const a of addresses) {
    const why = policy.blockedReason(a.address, host);
    if (why) throw notAllowed(`${host} resolves to a ${why} address`);
  }
  return addresses[0]!;
}

async function request(url: URL, policy: FetchPolicy, signal: AbortSignal): Promise<http.IncomingMessage> {
  const target = await checkedAddress(url, policy, signal);
  const tls = url.protocol === 'https:';
  const port = url.port ? Number(url.port) : tls ? 443 : 80;
  const servername = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const req = (tls ? https : http).request({
      method: 'GET',
      host: servername,
      port,
      path: `${url.pathname}${url.search}`,
      headers: { accept: 'image/*', 'user-agent': 'agenthuman-avatar-fetch/1' },
      signal,
      // No agent: with one, Node would open its own socket to `host` (a fresh DNS lookup) and ignore this.
      createConnection: () => policy.connector({ ...target, port, tls, servername }),
    });
    req.on('response', resolve);
    req.on('error', reject);
    req.end();
  });
}

const aborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => {
    if (signal.aborted) reject(new Error('timed out'));
    signal.addEventListener('abort', () => reject(new Error('timed out')), { once: true });
  });

async function readCapped(response: http.IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw imageTooLarge(FIELD);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      response.destroy();
      throw imageTooLarge(FIELD);
    }
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  return new Uint8Array(body.buffer, body.byteOffset, body.length);
}

const notAllowed = (why: string) =>
  new AppError('IMAGE_URL_NOT_ALLOWED', `image_url is not allowed: ${why}`, {
    suggestion: 'Use a publicly reachable http(s) URL, or send the image as a file or base64',
    details: { field: FIELD },
  });

const fetchFailed = (why: string) =>
  new AppError('IMAGE_FETCH_FAILED', `image_url could not be fetched: ${why}`, {
    suggestion:
      'Check that the URL is public and answers with the image within 10 s, or send the image directly',
    details: { field: FIELD },
  });
