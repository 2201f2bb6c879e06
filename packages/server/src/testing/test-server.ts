/**
 * @module Test harness: one real server per test file on each backend (PGlite and PostgreSQL), driven through
 * the full HTTP stack with `app.inject()`. Tests isolate themselves by creating their own account.
 */
import type { PlanKey } from '@agenthuman/protocol';
import { createTestDatabase, type TestBackend, type TestDatabase } from '@agenthuman/store/testing';
import { describeEachBackendWith } from '@agenthuman/store/testing/store-fixture';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../config/config.js';
import { createServer, type RunningServer, type ServerOptions } from '../server.js';

export const ADMIN_KEY = 'ah_test_AdminKeyForTests0000000000000000';

export type TestServer = {
  backend: TestBackend;
  server: RunningServer;
  database: TestDatabase;
  /** A request through the whole HTTP stack; `key` sets x-api-key. */
  request(options: InjectOptions & { key?: string }): Promise<LightMyRequestResponse>;
  /** A fresh account (own sessions, own limits) and its first key. */
  newAccount(plan?: PlanKey, purchasedMinutes?: number): Promise<{ key: string; accountId: string }>;
  /** Closes the server and starts a new one on the same database. */
  restart(): Promise<void>;
};

export type TestServerOptions = {
  env?: Record<string, string>;
  server?: ServerOptions;
  /** An existing database to start on (default: a fresh one). */
  database?: TestDatabase;
};

/** Runs `body` once per backend; without TEST_DATABASE_URL the PostgreSQL variant fails loudly. */
export function describeOnBothStores(
  name: string,
  body: (t: () => TestServer) => void,
  options: TestServerOptions = {},
) {
  describeEachBackendWith(
    name,
    {
      start: (backend) => startTestServer(backend, options),
      async stop(t) {
        await t.server.close();
        await t.database.drop();
      },
    },
    body,
  );
}

/** The settings every test server runs with (also for servers started in child processes). */
export function testServerEnv(
  database: TestDatabase,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    AGENTHUMAN_DATA_DIR: database.dataDir,
    ...(database.databaseUrl && { DATABASE_URL: database.databaseUrl }),
    AGENTHUMAN_BOOTSTRAP_KEY: ADMIN_KEY,
    AGENTHUMAN_RATE_LIMIT: '100000',
    AGENTHUMAN_PUBLIC_URL: 'http://api.test',
    DATABASE_POOL_SIZE: '4',
    PORT: '0',
    HOST: '127.0.0.1',
    // Live media: no start-up warm-up, and every ICE candidate on 127.0.0.1.
    AGENTHUMAN_WARM_AVATARS: 'false',
    AGENTHUMAN_ROOM_LOOPBACK_ONLY: 'true',
    ...extra,
  };
}

export async function startTestServer(
  backend: TestBackend,
  options: TestServerOptions = {},
): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase(backend));
  const config = () => loadConfig(testServerEnv(database, options.env));
  // Media starts lazily (first WebSocket or viewer) so REST-only tests do not run pipelines.
  const serverOptions: ServerOptions = { sweep: false, startMediaWithSession: false, ...options.server };
  const t: TestServer = {
    backend,
    database,
    server: await createServer(config(), serverOptions),
    request({ key, ...rest }) {
      const headers = { ...(rest.headers ?? {}), ...(key !== undefined && { 'x-api-key': key }) };
      return t.server.app.inject({ ...rest, headers });
    },
    async newAccount(plan = 'enterprise', purchasedMinutes) {
      const res = await t.request({
        method: 'POST',
        url: '/v1/admin/accounts',
        key: ADMIN_KEY,
        payload: {
          plan,
          name: `test ${plan}`,
          ...(purchasedMinutes !== undefined && { purchased_minutes: purchasedMinutes }),
        },
      });
      if (res.statusCode !== 200) throw new Error(`could not create account: ${res.statusCode} ${res.body}`);
      const body = res.json();
      return { key: body.api_key.key, accountId: body.account.account_id };
    },
    async restart() {
      await t.server.close();
      t.server = await createServer(config(), serverOptions);
    },
  };
  return t;
}
