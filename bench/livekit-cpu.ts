/**
 * bench:livekit's CPU figures: this process (the server) by thread kind, the LiveKit server and the peers, from
 * /proc (bench/process-cpu.ts), with the main event loop's delay over the same window.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { videoCaptureThreadId } from '@agenthuman/rooms/livekit';
import { round } from './livekit-common.js';
import { cpuByThreadName, processTicks, threadTicks, ticksToMsPerSecond } from './process-cpu.js';

/**
 * Node names every worker thread `node`; the LiveKit capture thread reports its own id, so it is told apart from
 * the render workers. libwebrtc/rtc-node threads carry their own names.
 */
export function threadKind(tid: string, comm: string): string {
  if (tid === String(process.pid)) return 'main';
  if (tid !== '' && tid === String(videoCaptureThreadId())) return 'captureThread';
  if (comm === 'node') return 'renderWorkers';
  if (/^(node|libuv|V8|threadpool)|Worker/i.test(comm)) return 'nodeInternal';
  return 'rtcNode';
}

/** CPU of this process by thread kind and of the LiveKit server and peers, while `during` runs. */
export async function measureCpu<T>(
  livekitPid: number | undefined,
  peersPid: number | undefined,
  during: () => Promise<T>,
) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  const a = threadTicks();
  const lkA = livekitPid ? processTicks(livekitPid) : 0;
  const peersA = peersPid ? processTicks(peersPid) : 0;
  const t0 = performance.now();
  delay.enable();
  const value = await during();
  delay.disable();
  const seconds = (performance.now() - t0) / 1000;
  const b = threadTicks();
  const byName = cpuByThreadName(a, b, seconds);
  const byKind: Record<string, number> = {};
  for (const [tid, end] of b) {
    const ms = ticksToMsPerSecond(end.ticks - (a.get(tid)?.ticks ?? 0), seconds);
    const kind = threadKind(tid, end.comm);
    byKind[kind] = (byKind[kind] ?? 0) + ms;
  }
  return {
    value,
    seconds,
    byKind,
    byName,
    livekitServerMsPerS: livekitPid ? ticksToMsPerSecond(processTicks(livekitPid) - lkA, seconds) : null,
    peersMsPerS: peersPid ? ticksToMsPerSecond(processTicks(peersPid) - peersA, seconds) : null,
    eventLoopDelayMs: {
      p50: round(delay.percentile(50) / 1e6),
      p99: round(delay.percentile(99) / 1e6),
      max: round(delay.max / 1e6),
    },
  };
}

/** Figures per session (ms/s), those under 0.5 left out. */
export const perSession = (values: Record<string, number>, n: number): Record<string, number> =>
  Object.fromEntries(
    Object.entries(values)
      .filter(([, v]) => v / n >= 0.5)
      .map(([k, v]) => [k, Math.round(v / n)]),
  );
