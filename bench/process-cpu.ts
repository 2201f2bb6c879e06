/**
 * CPU time of processes and threads from /proc (Linux), for benchmarks that report CPU per session: load-robust
 * where counts of sessions that keep up are not. Ticks are USER_HZ (100 per second on Linux).
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** Thread id → its name and CPU ticks (user + system) so far. */
export type ThreadTicks = Map<string, { comm: string; ticks: number }>;

function statTicks(stat: string): { comm: string; ticks: number } {
  const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { comm, ticks: Number(fields[11]) + Number(fields[12]) };
}

export function threadTicks(pid: number | 'self' = 'self'): ThreadTicks {
  const out: ThreadTicks = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      out.set(tid, statTicks(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')));
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return out;
}

/** Ticks of a whole process (its live threads plus its reaped children's are not counted). */
export function processTicks(pid: number): number {
  try {
    return statTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')).ticks;
  } catch {
    return 0;
  }
}

/** Milliseconds of CPU per wall second between two snapshots, summed per thread name. */
export function cpuByThreadName(a: ThreadTicks, b: ThreadTicks, seconds: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [tid, end] of b) {
    const ms = ((end.ticks - (a.get(tid)?.ticks ?? 0)) * 1000) / TICKS_PER_SECOND / seconds;
    out[end.comm] = (out[end.comm] ?? 0) + ms;
  }
  return out;
}

export const ticksToMsPerSecond = (ticks: number, seconds: number) =>
  (ticks * 1000) / TICKS_PER_SECOND / seconds;
