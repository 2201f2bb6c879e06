/**
 * @module Vitest suites run once per backend (PGlite, PostgreSQL). Without TEST_DATABASE_URL the PostgreSQL
 * suite is one failing test saying why, not a silent skip. Kept apart from test-databases.ts so that child
 * processes which only need a database do not load vitest.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openStore, type Store } from '../open-store.js';
import {
  createTestDatabase,
  postgresUnavailableReason,
  TEST_BACKENDS,
  type TestBackend,
  type TestDatabase,
} from './test-databases.js';

/** `describe(`${title} [${backend}]`)` for each backend; PostgreSQL only where a server is given. */
export function describeEachBackend(title: string, body: (backend: TestBackend) => void): void {
  for (const backend of TEST_BACKENDS) {
    describe(`${title} [${backend}]`, () => {
      const unavailable = backend === 'postgres' ? postgresUnavailableReason() : undefined;
      if (unavailable) {
        it('needs PostgreSQL', () => {
          throw new Error(unavailable);
        });
        return;
      }
      body(backend);
    });
  }
}

/**
 * describeEachBackend with a value made per backend before the suite (`start`) and released after it
 * (`stop`); the tests read it through `current()`.
 */
export function describeEachBackendWith<T>(
  title: string,
  lifecycle: { start(backend: TestBackend): Promise<T>; stop(value: T): Promise<void> },
  body: (current: () => T, backend: TestBackend) => void,
): void {
  describeEachBackend(title, (backend) => {
    let value: T | undefined;
    beforeAll(async () => {
      value = await lifecycle.start(backend);
    });
    afterAll(async () => {
      if (value !== undefined) await lifecycle.stop(value);
    });
    body(() => {
      if (value === undefined) throw new Error(`${title}: the suite's setup did not finish`);
      return value;
    }, backend);
  });
}

export type StoreFixture = {
  backend: TestBackend;
  database: TestDatabase;
  store: Store;
  /** Closes the store and opens a new one on the same database (what a restart sees). */
  reopen(): Promise<Store>;
};

/** describeEachBackend with a fresh database and an open store shared by the suite's tests. */
export function describeWithStore(
  title: string,
  body: (fixture: () => StoreFixture, backend: TestBackend) => void,
): void {
  describeEachBackendWith(
    title,
    {
      async start(backend) {
        const database = await createTestDatabase(backend);
        const fixture: StoreFixture = {
          backend,
          database,
          store: await openStore(database),
          async reopen() {
            await fixture.store.close();
            fixture.store = await openStore(database);
            return fixture.store;
          },
        };
        return fixture;
      },
      async stop(fixture) {
        await fixture.store.close();
        await fixture.database.drop();
      },
    },
    body,
  );
}
