/**
 * @module An account's usage right now, and the rules built on it: may a session start, when must it end,
 * and how are its minutes charged. Unlimited quantities are null.
 */
import type { AccountRow, Repositories, SessionRow } from '@agenthuman/store';
import type { Plan, PlanTable } from '../config/plans.js';
import { AppError } from '../http/app-error.js';
import { type BillingPeriod, billingPeriod } from './billing-period.js';

export type AccountUsage = {
  plan: Plan;
  period: BillingPeriod;
  includedTotal: number | null;
  includedUsed: number;
  includedRemaining: number | null;
  purchasedTotal: number;
  purchasedRemaining: number;
  totalRemaining: number | null;
  running: SessionRow[];
  /** Minutes the running sessions have used so far, each rounded up. */
  activeMinutes: number;
  concurrency: { current: number; max: number | null; available: number | null };
};

export const planOf = (plans: PlanTable, account: AccountRow): Plan =>
  plans[account.plan as keyof PlanTable] ?? plans.free;

export async function readAccountUsage(
  repos: Repositories,
  account: AccountRow,
  plans: PlanTable,
  now: Date,
): Promise<AccountUsage> {
  const plan = planOf(plans, account);
  const period = billingPeriod(now);
  const [includedUsed, running] = await Promise.all([
    repos.minuteCharges.includedUsed(account.id, period.start),
    repos.sessions.listRunning(account.id),
  ]);
  const includedRemaining =
    plan.includedMinutes === null ? null : Math.max(0, plan.includedMinutes - includedUsed);
  const purchasedRemaining = Math.max(0, account.purchasedMinutesRemaining);
  const max = plan.maxConcurrentSessions;
  return {
    plan,
    period,
    includedTotal: plan.includedMinutes,
    includedUsed,
    includedRemaining,
    purchasedTotal: account.purchasedMinutesTotal,
    purchasedRemaining,
    totalRemaining: includedRemaining === null ? null : includedRemaining + purchasedRemaining,
    running,
    activeMinutes: running.reduce((sum, s) => sum + elapsedMinutes(s, now), 0),
    concurrency: {
      current: running.length,
      max,
      available: max === null ? null : Math.max(0, max - running.length),
    },
  };
}

const elapsedMinutes = (session: SessionRow, now: Date) =>
  session.startedAt ? Math.ceil(Math.max(0, now.getTime() - session.startedAt.getTime()) / 60_000) : 0;

/** Minutes a new session may still use: what is left minus what running sessions have used; null = unlimited. */
export const availableMinutes = (usage: AccountUsage): number | null =>
  usage.totalRemaining === null ? null : usage.totalRemaining - usage.activeMinutes;

/** Throws the documented usage errors: 402 INSUFFICIENT_MINUTES, then 429 CONCURRENCY_LIMIT_REACHED. */
export function assertCanStart(usage: AccountUsage): void {
  const available = availableMinutes(usage);
  if (available !== null && available <= 0) {
    throw new AppError(
      'INSUFFICIENT_MINUTES',
      'No minutes remaining. Please purchase additional minutes or upgrade your plan.',
      {
        suggestion:
          'Wait for the next billing period, add purchased minutes, or move the account to a bigger plan',
        details: { total_remaining: usage.totalRemaining, active_minutes: usage.activeMinutes },
      },
    );
  }
  const { current, max } = usage.concurrency;
  if (max !== null && current >= max) {
    throw new AppError(
      'CONCURRENCY_LIMIT_REACHED',
      `Concurrent session limit reached (${current} of ${max} running)`,
      {
        suggestion: 'End a running session first, or upgrade the plan for more concurrent sessions',
        details: { current, max, available: 0 },
      },
    );
  }
}

/** start + the plan's session length, capped by the minutes left; null = unlimited. */
export function expirationFor(startedAt: Date, usage: AccountUsage): Date | null {
  const limits = [usage.plan.maxSessionDuration, availableMinutes(usage)].filter(
    (m): m is number => m !== null,
  );
  if (limits.length === 0) return null;
  return new Date(startedAt.getTime() + Math.max(0, Math.min(...limits)) * 60_000);
}

/** Included minutes first, then purchased; never below zero. */
export function splitCharge(
  minutes: number,
  usage: Pick<AccountUsage, 'includedRemaining' | 'purchasedRemaining'>,
) {
  const included = usage.includedRemaining === null ? minutes : Math.min(minutes, usage.includedRemaining);
  const purchased = Math.min(minutes - included, usage.purchasedRemaining);
  return { included, purchased };
}

/** The snapshot create-session returns: `{concurrency, minutes:{total_remaining}}`. */
export function usageSnapshot(usage: AccountUsage, newlyRunning: number) {
  const current = usage.concurrency.current + newlyRunning;
  const max = usage.concurrency.max;
  return {
    concurrency: { current, max, available: max === null ? null : Math.max(0, max - current) },
    minutes: { total_remaining: usage.totalRemaining },
  };
}
