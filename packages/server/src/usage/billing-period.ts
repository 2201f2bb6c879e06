/** @module The monthly billing cycle: the calendar month in UTC (self-hosted servers have no subscription dates). */
export type BillingPeriod = { start: Date; end: Date };

export function billingPeriod(now: Date): BillingPeriod {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { start, end: new Date(next.getTime() - 1000) };
}
