/** @module Server-wide settings shared by every API process (e.g. the signing secret). */
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../database.js';
import { settings } from '../schema.js';

export function createSettingsRepository(db: Database) {
  return {
    /** Inside a transaction: waits for, then holds until commit, a lock shared by every process on this database. */
    async lockForTransaction(lockId: number): Promise<void> {
      await db.execute(sql`select pg_advisory_xact_lock(${lockId})`);
    },

    async get(key: string): Promise<string | undefined> {
      const [row] = await db.select().from(settings).where(eq(settings.key, key));
      return row?.value;
    },

    /** Stores `make()` under `key` unless a value exists; returns the stored value (first writer wins). */
    async getOrCreate(key: string, make: () => string): Promise<string> {
      await db.insert(settings).values({ key, value: make() }).onConflictDoNothing();
      const [row] = await db.select().from(settings).where(eq(settings.key, key));
      return row!.value;
    },
  };
}
