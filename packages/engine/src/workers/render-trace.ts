/**
 * @module A render worker's own trace, for benchmarks only (`AGENTHUMAN_RENDER_TRACE=<dir>`): one JSON line per
 * frame drawn (when it arrived and was drawn, render ms, the pose cache's answer, what the face was doing), per
 * lip-sync step, per drain turn and per garbage collection of this thread, so dropped frames can be lined up with
 * what the thread was doing. Off (the default) it costs one branch per call.
 */
import { appendFileSync } from 'node:fs';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { threadId } from 'node:worker_threads';

const dir = process.env.AGENTHUMAN_RENDER_TRACE;
/** Whether this thread traces (read once at start). */
export const tracing = !!dir;
const lines: string[] = [];

/** Absolute ms (performance.timeOrigin + now): the clock render deadlines use. */
export const absNow = (at = performance.now()): number => performance.timeOrigin + at;

export function trace(entry: Record<string, unknown>): void {
  if (tracing) lines.push(JSON.stringify(entry));
}

if (dir) {
  const file = `${dir}/render-${process.pid}-${threadId}.jsonl`;
  // Written in batches, off the frames' path; unref'd, so the last second of a thread that exits may be lost.
  setInterval(() => {
    if (lines.length === 0) return;
    appendFileSync(file, `${lines.join('\n')}\n`);
    lines.length = 0;
  }, 1000).unref();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      trace({ k: 'gc', t: absNow(e.startTime), ms: e.duration, kind });
    }
  }).observe({ entryTypes: ['gc'] });
}
