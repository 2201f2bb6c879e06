/** @module Server-wide settings shared by every API process (e.g. the signing secret). */
import { eq } from 'drizzle-orm';
import type { Database } from '../database.js';
import { settings } from '../schema.js';

export function createSettingsRepository(db: Database) {
  return {
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
