/**
 * @module Test databases for both backends: a fresh PGlite data dir (copied from a migrated template, because
 * initdb costs seconds) and a fresh PostgreSQL database on the server named by TEST_DATABASE_URL.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openStore } from '../open-store.js';

export type TestBackend = 'pglite' | 'postgres';

export type TestDatabase = {
  /** Options for openStore / the server config. */
  dataDir: string;
  databaseUrl: string | undefined;
  drop(): Promise<void>;
};

export const TEST_BACKENDS: TestBackend[] = ['pglite', 'postgres'];

/** Why the PostgreSQL variant cannot run, or undefined when it can. */
export const postgresUnavailableReason = (): string | undefined =>
  process.env.TEST_DATABASE_URL
    ? undefined
    : 'TEST_DATABASE_URL is not set: run `npm test` (it starts PostgreSQL) or point it at a PostgreSQL superuser';

export async function createTestDatabase(backend: TestBackend): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agenthuman-test-'));
  if (backend === 'pglite') {
    cpSync(await pgliteTemplate(), join(dataDir, 'db'), { recursive: true });
    return {
      dataDir,
      databaseUrl: undefined,
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error(postgresUnavailableReason());
  const name = `agenthuman_t_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (c) => c.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    dataDir,
    databaseUrl: url.toString(),
    drop: async () => {
      await withClient(adminUrl, async (c) => {
        // pg's Pool.end() resolves before its connections have closed; dropping `with (force)` while they
        // close makes the server kill them, and each killed client throws an uncaught FATAL in the test
        // process. Wait (briefly) for them to go first.
        for (let i = 0; i < 40; i++) {
          const { rows } = await c.query(
            'select count(*)::int as n from pg_stat_activity where datname = $1',
            [name],
          );
          if (rows[0]?.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await c.query(`drop database if exists ${name} with (force)`);
      });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

// One migrated PGlite data dir per migrations version, shared by every test file on this machine.
async function pgliteTemplate(): Promise<string> {
  const journal = fileURLToPath(new URL('../../migrations/meta/_journal.json', import.meta.url));
  const version = createHash('sha256').update(readFileSync(journal)).digest('hex').slice(0, 12);
  const template = join(tmpdir(), `agenthuman-pglite-template-${version}`);
  if (existsSync(template)) return template;
  const scratch = mkdtempSync(join(tmpdir(), 'agenthuman-pglite-build-'));
  const store = await openStore({ dataDir: scratch });
  await store.close();
  try {
    renameSync(join(scratch, 'db'), template);
  } catch (error) {
    // Another test process finished first; its template is as good as ours.
    if (!existsSync(template)) throw error;
  }
  rmSync(scratch, { recursive: true, force: true });
  return template;
}
