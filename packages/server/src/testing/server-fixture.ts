/**
 * @module The lifecycles of test servers, so that no test file starts, closes and drops by hand: one server
 * for a suite (`serverForSuite`), or servers a test starts itself and that go after it (`serversForEachTest`).
 * Call either inside a `describe` (or at file level); both register Vitest hooks there.
 */
import { createTestDatabase, type TestBackend, type TestDatabase } from '@agenthuman/store/testing';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startTestServer, type TestServer, type TestServerOptions } from './test-server.js';

/**
 * One server started before the suite's tests and closed after them, its database dropped. `options` may be
 * a function, read when the server starts: for settings that only exist once an earlier `beforeAll` has run
 * (a fake S3's endpoint, a Redis URL). Vitest runs `afterAll` hooks in reverse: those registered after this
 * call run before it closes the server, those registered before it (what the options read) after.
 */
export function serverForSuite(
  backend: TestBackend,
  options: TestServerOptions | (() => TestServerOptions) = {},
): () => TestServer {
  let t: TestServer | undefined;
  beforeAll(async () => {
    t = await startTestServer(backend, typeof options === 'function' ? options() : options);
  });
  afterAll(async () => {
    const started = t;
    t = undefined;
    if (started) await closeAndDrop([started.server], [started.database]);
  });
  return () => {
    if (!t) throw new Error('the suite’s test server did not start');
    return t;
  };
}

export type ServersForEachTest = {
  /** `startTestServer`; the server is closed after the test and its database dropped. */
  start(backend: TestBackend, options?: TestServerOptions): Promise<TestServer>;
  /** A fresh database dropped after the test: for servers in child processes, or several servers on one. */
  database(backend: TestBackend): Promise<TestDatabase>;
};

/**
 * Servers (and databases) a test makes itself, with its own options: after each test every one is closed,
 * then every database dropped once (several servers may share one).
 */
export function serversForEachTest(): ServersForEachTest {
  const servers: TestServer[] = [];
  const databases = new Set<TestDatabase>();
  afterEach(async () => {
    const closing = servers.splice(0).map((t) => t.server);
    const dropping = [...databases];
    databases.clear();
    await closeAndDrop(closing, dropping);
  });
  return {
    async start(backend, options = {}) {
      const t = await startTestServer(backend, options);
      servers.push(t);
      databases.add(t.database);
      return t;
    },
    async database(backend) {
      const database = await createTestDatabase(backend);
      databases.add(database);
      return database;
    },
  };
}

/** Closes the servers one by one (all of them, even past a failure), then drops the databases. */
async function closeAndDrop(servers: { close(): Promise<void> }[], databases: TestDatabase[]): Promise<void> {
  const failures: unknown[] = [];
  for (const server of servers) await server.close().catch((error: unknown) => failures.push(error));
  for (const database of databases) await database.drop().catch((error: unknown) => failures.push(error));
  if (failures.length > 0) throw failures[0];
}
