/** @module Accounts: plan, admin flag and purchased minutes. */
import { asc, count, eq, sql } from 'drizzle-orm';
import type { Database } from '../database.js';
import { newId } from '../ids.js';
import { accounts } from '../schema.js';

export type AccountRow = typeof accounts.$inferSelect;

export function createAccountsRepository(db: Database) {
  return {
    async create(input: { name: string; plan: string; isAdmin?: boolean; purchasedMinutes?: number }) {
      const minutes = input.purchasedMinutes ?? 0;
      const [row] = await db
        .insert(accounts)
        .values({
          id: newId('acct'),
          name: input.name,
          plan: input.plan,
          isAdmin: input.isAdmin ?? false,
          purchasedMinutesTotal: minutes,
          purchasedMinutesRemaining: minutes,
        })
        .returning();
      return row!;
    },

    async findById(id: string): Promise<AccountRow | undefined> {
      const [row] = await db.select().from(accounts).where(eq(accounts.id, id));
      return row;
    },

    /** Locks the account row until the transaction ends: usage checks and charges for one account run one at a time. */
    async lock(id: string): Promise<AccountRow | undefined> {
      const [row] = await db.select().from(accounts).where(eq(accounts.id, id)).for('update');
      return row;
    },

    async count(): Promise<number> {
      const [row] = await db.select({ n: count() }).from(accounts);
      return row?.n ?? 0;
    },

    async findFirstAdmin(): Promise<AccountRow | undefined> {
      const [row] = await db
        .select()
        .from(accounts)
        .where(eq(accounts.isAdmin, true))
        .orderBy(asc(accounts.seq))
        .limit(1);
      return row;
    },

    async update(id: string, patch: { name?: string; plan?: string; addPurchasedMinutes?: number }) {
      const add = patch.addPurchasedMinutes ?? 0;
      const [row] = await db
        .update(accounts)
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.plan !== undefined && { plan: patch.plan }),
          purchasedMinutesTotal: sql`${accounts.purchasedMinutesTotal} + ${add}`,
          purchasedMinutesRemaining: sql`${accounts.purchasedMinutesRemaining} + ${add}`,
        })
        .where(eq(accounts.id, id))
        .returning();
      return row;
    },

    async spendPurchasedMinutes(id: string, minutes: number) {
      await db
        .update(accounts)
        .set({ purchasedMinutesRemaining: sql`${accounts.purchasedMinutesRemaining} - ${minutes}` })
        .where(eq(accounts.id, id));
    },
  };
}
