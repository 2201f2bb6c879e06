/** @module API keys, found by the sha256 of the key; the key itself is never stored. */
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../database.js';
import { newId } from '../ids.js';
import { accounts, apiKeys } from '../schema.js';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export function createApiKeysRepository(db: Database) {
  return {
    async create(input: {
      accountId: string;
      name: string;
      keyHash: string;
      prefix: string;
    }): Promise<ApiKeyRow> {
      const [row] = await db
        .insert(apiKeys)
        .values({ id: newId('key'), ...input })
        .returning();
      return row!;
    },

    async findByHash(keyHash: string) {
      const [row] = await db
        .select({ key: apiKeys, account: accounts })
        .from(apiKeys)
        .innerJoin(accounts, eq(accounts.id, apiKeys.accountId))
        .where(eq(apiKeys.keyHash, keyHash));
      return row;
    },

    listByAccount(accountId: string): Promise<ApiKeyRow[]> {
      return db.select().from(apiKeys).where(eq(apiKeys.accountId, accountId)).orderBy(desc(apiKeys.seq));
    },

    async findForAccount(accountId: string, id: string): Promise<ApiKeyRow | undefined> {
      const [row] = await db
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.accountId, accountId), eq(apiKeys.id, id)));
      return row;
    },

    async deactivate(accountId: string, id: string, at: Date): Promise<ApiKeyRow | undefined> {
      const [row] = await db
        .update(apiKeys)
        .set({ deactivatedAt: at })
        .where(and(eq(apiKeys.accountId, accountId), eq(apiKeys.id, id), isNull(apiKeys.deactivatedAt)))
        .returning();
      return row;
    },

    async delete(accountId: string, id: string): Promise<ApiKeyRow | undefined> {
      const [row] = await db
        .delete(apiKeys)
        .where(and(eq(apiKeys.accountId, accountId), eq(apiKeys.id, id)))
        .returning();
      return row;
    },

    async touch(id: string, at: Date): Promise<void> {
      await db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));
    },
  };
}
