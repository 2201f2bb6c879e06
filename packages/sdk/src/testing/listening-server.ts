/**
 * @module A real agenthuman server (PGlite, in-process) listening on a free loopback port, for the SDK, CLI
 * and browser tests: they talk to it over real HTTP and WebSocket like any client. The public URL is the real
 * address, so signed media URLs and room links in answers work from a browser.
 */
import { createServer } from 'node:net';
import { startTestServer, type TestServer, type TestServerOptions } from '@agenthuman/server/testing';

export type ListeningServer = TestServer & { url: string; close(): Promise<void> };

export async function startListeningServer(options: TestServerOptions = {}): Promise<ListeningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t = await startTestServer('pglite', {
    ...options,
    env: { PORT: String(port), HOST: '127.0.0.1', AGENTHUMAN_PUBLIC_URL: url, ...options.env },
  });
  await t.server.listen();
  return Object.assign(t, {
    url,
    async close() {
      await t.server.close();
      await t.database.drop();
    },
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
