/**
 * @module Links that start agent sessions without an API key. A start claims one use in a single conditional
 * UPDATE, so concurrent starts can never exceed `use_limit`; a start that fails afterwards gives it back.
 */
import { and, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../database.js';
import { newId } from '../ids.js';
import { links } from '../schema.js';

export type LinkRow = typeof links.$inferSelect;
export type NewLink = Omit<typeof links.$inferInsert, 'id' | 'seq' | 'uses' | 'createdAt' | 'updatedAt'>;
export type LinkChanges = Partial<Pick<LinkRow, 'name' | 'status' | 'useLimit' | 'expiresAt'>>;

export function createLinksRepository(db: Database) {
  return {
    async create(input: NewLink): Promise<LinkRow> {
      const [row] = await db
        .insert(links)
        .values({ id: newId('lnk'), ...input })
        .returning();
      return row!;
    },

    async findForAccount(accountId: string, id: string): Promise<LinkRow | undefined> {
      const [row] = await db
        .select()
        .from(links)
        .where(and(eq(links.id, id), eq(links.accountId, accountId)));
      return row;
    },

    async findById(id: string): Promise<LinkRow | undefined> {
      const [row] = await db.select().from(links).where(eq(links.id, id));
      return row;
    },

    list(accountId: string): Promise<LinkRow[]> {
      return db.select().from(links).where(eq(links.accountId, accountId)).orderBy(desc(links.seq));
    },

    async update(accountId: string, id: string, changes: LinkChanges): Promise<LinkRow | undefined> {
      const [row] = await db
        .update(links)
        .set({ ...changes, updatedAt: new Date() })
        .where(and(eq(links.id, id), eq(links.accountId, accountId)))
        .returning();
      return row;
    },

    async delete(accountId: string, id: string): Promise<boolean> {
      const rows = await db
        .delete(links)
        .where(and(eq(links.id, id), eq(links.accountId, accountId)))
        .returning({ id: links.id });
      return rows.length > 0;
    },

    /** Takes one use if the link is active, unexpired and under its limit; undefined otherwise. */
    async claimUse(id: string, now: Date): Promise<LinkRow | undefined> {
      const [row] = await db
        .update(links)
        .set({ uses: sql`${links.uses} + 1` })
        .where(
          and(
            eq(links.id, id),
            eq(links.status, 'active'),
            or(isNull(links.expiresAt), gt(links.expiresAt, now)),
            or(isNull(links.useLimit), lt(links.uses, links.useLimit)),
          ),
        )
        .returning();
      return row;
    },

    /** Gives back a use claimed for a start that then failed. */
    async releaseUse(id: string): Promise<void> {
      await db
        .update(links)
        .set({ uses: sql`greatest(${links.uses} - 1, 0)` })
        .where(eq(links.id, id));
    },
  };
}
