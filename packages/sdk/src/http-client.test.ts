import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentHuman } from './client.js';
import { ConnectionError, RateLimitError, TimeoutError } from './errors.js';
import { type ListeningServer, startListeningServer } from './testing/listening-server.js';

describe('HttpClient retries on the real rate limiter', () => {
  let server: ListeningServer;
  let key: string;
  beforeAll(async () => {
    server = await startListeningServer({ env: { AGENTHUMAN_RATE_LIMIT: '2' } });
    key = (await server.newAccount('enterprise')).key;
  });
  afterAll(() => server.close());

  it('retries a 429 after the server-given wait, then surfaces RateLimitError with retryAfterMs', async () => {
    let calls = 0;
    const countingFetch: typeof fetch = (input, init) => {
      calls++;
      return fetch(input, init);
    };
    const client = new AgentHuman({
      baseUrl: server.url,
      apiKey: key,
      fetch: countingFetch,
      retry: { maxRetries: 2, maxDelayMs: 30 },
    });
    await client.usage.get();
    await client.usage.get();
    expect(client.rateLimit?.remaining).toBe(0);
    calls = 0;
    const error = await client.usage.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).code).toBe('RATE_LIMITED');
    expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(0);
    expect((error as RateLimitError).retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(calls).toBe(3);
  });

  it('does not retry when maxRetries is 0', async () => {
    let calls = 0;
    const client = new AgentHuman({
      baseUrl: server.url,
      apiKey: key,
      retry: { maxRetries: 0 },
      fetch: (input, init) => {
        calls++;
        return fetch(input, init);
      },
    });
    await expect(client.usage.get()).rejects.toBeInstanceOf(RateLimitError);
    expect(calls).toBe(1);
  });
});

describe('HttpClient transport failures', () => {
  let silent: Server;
  let silentUrl: string;
  beforeAll(async () => {
    // A loopback server that accepts and never answers: the request must time out, not hang.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    silent.closeAllConnections();
    silent.close();
  });

  it('times out with TimeoutError', async () => {
    const client = new AgentHuman({ baseUrl: silentUrl, apiKey: 'k', timeoutMs: 150 });
    const started = Date.now();
    const error = await client.usage.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports a refused connection as ConnectionError with a suggestion', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = new AgentHuman({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'k' });
    const error = await client.usage.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toContain(`127.0.0.1:${port}`);
    expect((error as ConnectionError).suggestion).toMatch(/server running/);
  });
});
