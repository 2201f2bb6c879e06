/** @module The minutes ledger: one row per billed session, in the period it ended in. */
import { and, eq, sum } from 'drizzle-orm';
import type { Database } from '../database.js';
import { minuteCharges } from '../schema.js';

export function createMinuteChargesRepository(db: Database) {
  return {
    async record(input: {
      accountId: string;
      sessionId: string;
      periodStart: Date;
      includedMinutes: number;
      purchasedMinutes: number;
    }): Promise<void> {
      await db.insert(minuteCharges).values(input);
    },

    async includedUsed(accountId: string, periodStart: Date): Promise<number> {
      const [row] = await db
        .select({ used: sum(minuteCharges.includedMinutes) })
        .from(minuteCharges)
        .where(and(eq(minuteCharges.accountId, accountId), eq(minuteCharges.periodStart, periodStart)));
      return Number(row?.used ?? 0);
    },
  };
}
