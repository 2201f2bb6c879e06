/**
 * @module When a failed delivery is tried again: about 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, then every hour,
 * each with ±`jitter` so that many endpoints failing together do not retry in lockstep; a delivery still failing
 * `giveUpAfterMs` after it was queued (24 h) fails for good, and an endpoint whose attempts have all failed for
 * `disableAfterMs` (24 h) is disabled. Tests inject short values; the receiver stays real.
 */
export type RetrySchedule = {
  delaysMs: number[];
  thenEveryMs: number;
  jitter: number;
  giveUpAfterMs: number;
  disableAfterMs: number;
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = {
  delaysMs: [5_000, 30_000, 2 * MINUTE, 10 * MINUTE, 30 * MINUTE, HOUR],
  thenEveryMs: HOUR,
  jitter: 0.1,
  giveUpAfterMs: 24 * HOUR,
  disableAfterMs: 24 * HOUR,
};

/** When attempt `attempts + 1` happens after `attempts` failed ones, or null when the delivery gives up. */
export function nextAttemptAt(
  schedule: RetrySchedule,
  attempts: number,
  queuedAt: Date,
  failedAt: Date,
  random: () => number = Math.random,
): Date | null {
  const base = schedule.delaysMs[attempts - 1] ?? schedule.thenEveryMs;
  const delay = base * (1 + schedule.jitter * (2 * random() - 1));
  const at = failedAt.getTime() + Math.max(0, Math.round(delay));
  return at - queuedAt.getTime() > schedule.giveUpAfterMs ? null : new Date(at);
}
