/** bench:livekit's small shared helpers: flags, absolute time, rounding, percentiles, the peers' child process. */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LiveKitServer } from '../e2e/livekit/livekit-server.js';

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

/**
 * A bench script of this folder (`script`, e.g. './livekit-peers.ts') in a child process that knows the LiveKit
 * server (BENCH_LIVEKIT) and talks over IPC. `nice` > 0 runs the whole process under it (nice is per thread, so
 * it must be set at exec): a remote peer decodes on its own machine and must not take the measured server's cores.
 */
export function forkBenchChild(script: string, livekit: LiveKitServer, nice = 0): ChildProcess {
  const tsx = [process.execPath, '--import', 'tsx'];
  return fork(fileURLToPath(new URL(script, import.meta.url)), [], {
    ...(nice > 0 ? { execPath: 'nice', execArgv: ['-n', String(nice), ...tsx] } : { execArgv: tsx.slice(1) }),
    env: {
      ...process.env,
      BENCH_LIVEKIT: JSON.stringify({
        url: livekit.url,
        apiKey: livekit.apiKey,
        apiSecret: livekit.apiSecret,
      }),
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}
