/** @module The one percentile of the bench scripts. */

/**
 * The p-th percentile (nearest rank, rounded down) of `values`, to 0.1; NaN when there are none (printed as
 * null in the JSON lines).
 */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
}
