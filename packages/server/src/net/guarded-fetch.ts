/**
 * @module A `fetch` for URLs an account set (an agent's `llm.base_url`): every request resolves the host itself,
 * refuses it unless the outbound guard allows every address, and connects to exactly the checked address, so
 * a DNS answer that changes after the agent was saved (rebinding) cannot reach the server's own network.
 * Redirects are not followed. The body streams (server-sent events work).
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { Readable } from 'node:stream';
import type { Connector, Resolver } from '../avatars/fetch/safe-fetch.js';
import type { OutboundGuard } from './outbound-guard.js';

export class OutboundBlockedError extends Error {
  override readonly name = 'OutboundBlockedError';
}

export type GuardedFetchDeps = { guard: OutboundGuard; resolver: Resolver; connector: Connector };

/** Resolves the URL's host and returns the first address, or throws OutboundBlockedError naming why. */
export async function checkOutboundUrl(raw: string, deps: Omit<GuardedFetchDeps, 'connector'>) {
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundBlockedError(`only http and https URLs are allowed, not ${url.protocol}`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host);
  const addresses = literal
    ? [{ address: host, family: literal === 6 ? (6 as const) : (4 as const) }]
    : await deps.resolver(host);
  if (addresses.length === 0) throw new OutboundBlockedError(`${host} has no address`);
  for (const { address } of addresses) {
    const why = deps.guard.blockedReason(address, host);
    if (why) {
      throw new OutboundBlockedError(
        `${host} resolves to a ${why} address (${address}); an operator can allow it in AGENTHUMAN_ALLOWED_PRIVATE_HOSTS`,
      );
    }
  }
  return { url, target: addresses[0]! };
}

export function createGuardedFetch(deps: GuardedFetchDeps): typeof fetch {
  return async (input, init = {}) => {
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const { url, target } = await checkOutboundUrl(raw, deps);
    const tls = url.protocol === 'https:';
    const port = url.port ? Number(url.port) : tls ? 443 : 80;
    const servername = url.hostname.replace(/^\[|\]$/g, '');
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    const body = init.body === undefined || init.body === null ? undefined : String(init.body);
    return new Promise<Response>((resolve, reject) => {
      const req = (tls ? https : http).request({
        method: init.method ?? 'GET',
        host: servername,
        port,
        path: `${url.pathname}${url.search}`,
        headers,
        ...(init.signal ? { signal: init.signal } : {}),
        // No agent: Node would open its own socket to `host` (a fresh DNS lookup) and ignore the check.
        createConnection: () => deps.connector({ ...target, port, tls, servername }),
      });
      req.on('response', (res) => {
        const status = res.statusCode ?? 502;
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        const noBody = status === 204 || status === 304 || init.method === 'HEAD';
        if (noBody) res.resume();
        resolve(
          new Response(noBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), {
            status,
            headers: responseHeaders,
          }),
        );
      });
      req.on('error', reject);
      req.end(body);
    });
  };
}
