/** @module Opens the embedded (PGlite) or external (PostgreSQL) database and runs pending migrations. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import type { Database } from './database.js';
import type { SessionRow } from './repositories/sessions.js';
import { createRepositories, type Repositories, type RepositoryCaches } from './repositories.js';
import { RowCache } from './row-cache.js';
import * as schema from './schema.js';

export { StoreLockedError } from './data-dir-lock.js';

export type StoreOptions = {
  /** `postgres://…` selects PostgreSQL; absent selects PGlite in `<dataDir>/db`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
};

export type Store = Repositories & {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Database;
  /** Runs `work` in one transaction; the repositories it receives are bound to it. */
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));
// Serialises migrations when several API processes start against one PostgreSQL at once.
const MIGRATION_LOCK_ID = 4_242_001;

export async function openStore(options: StoreOptions): Promise<Store> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10)
    : openPglite(options.dataDir);
}

async function openPglite(dataDir: string): Promise<Store> {
  const dir = join(dataDir, 'db');
  mkdirSync(dir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  let client: PGlite | undefined;
  try {
    client = await PGlite.create(dir);
    const db = drizzlePglite({ client, schema });
    await migratePglite(db, { migrationsFolder });
    // PGlite is single-process: every write goes through this store, so reads may be served from memory.
    const caches = { sessions: new RowCache<SessionRow>() };
    const opened = client;
    const close = async () => {
      await opened.close();
      unlock();
    };
    return makeStore('pglite', db as unknown as Database, close, caches);
  } catch (error) {
    await client?.close().catch(() => undefined);
    unlock();
    throw error;
  }
}

async function openPostgres(url: string, poolSize: number): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  try {
    const conn = await pool.connect();
    try {
      await conn.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
      await migrateNodePg(drizzleNodePg({ client: conn, schema }), { migrationsFolder });
    } finally {
      await conn.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
      conn.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  const db = drizzleNodePg({ client: pool, schema });
  return makeStore('postgres', db as unknown as Database, () => pool.end());
}

function makeStore(
  kind: Store['kind'],
  db: Database,
  closeClient: () => Promise<void>,
  caches: RepositoryCaches = {},
): Store {
  let closed: Promise<void> | undefined;
  return {
    kind,
    db,
    ...createRepositories(db, caches),
    transaction: (work) =>
      db.transaction((tx) => work(createRepositories(tx as unknown as Database, caches, true))),
    close: () => {
      closed ??= closeClient();
      return closed;
    },
  };
}
