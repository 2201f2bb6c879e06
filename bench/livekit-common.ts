/** bench:livekit's small shared helpers: flags, absolute time, rounding, percentiles. */

/** `--name=value` as a number, else `fallback`. */
export const arg = (name: string, fallback: number): number => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
};

/** Absolute time in ms (performance.timeOrigin + now): comparable across processes on one machine. */
export const now = (): number => performance.timeOrigin + performance.now();

export const round = (value: number): number => Math.round(value * 10) / 10;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);
}
