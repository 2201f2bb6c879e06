/** @module An account as the admin API shows it. */
import type { Account, PlanKey } from '@agenthuman/protocol';
import type { AccountRow } from '@agenthuman/store';

export const toAccountView = (row: AccountRow): Account => ({
  account_id: row.id,
  name: row.name,
  plan: row.plan as PlanKey,
  is_admin: row.isAdmin,
  purchased_minutes: { total: row.purchasedMinutesTotal, remaining: row.purchasedMinutesRemaining },
  created_at: row.createdAt.toISOString(),
});
