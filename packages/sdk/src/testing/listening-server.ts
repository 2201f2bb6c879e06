/**
 * @module A real agenthuman server (PGlite, in-process) listening on a random loopback port, for the SDK, CLI
 * and browser tests: they talk to it over real HTTP and WebSocket like any client.
 */
import { startTestServer, type TestServer, type TestServerOptions } from '@agenthuman/server/testing';

export type ListeningServer = TestServer & { url: string; close(): Promise<void> };

export async function startListeningServer(options: TestServerOptions = {}): Promise<ListeningServer> {
  const t = await startTestServer('pglite', options);
  const url = (await t.server.listen()).replace('localhost', '127.0.0.1');
  return Object.assign(t, {
    url,
    async close() {
      await t.server.close();
      await t.database.drop();
    },
  });
}
