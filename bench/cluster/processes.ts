/** bench:cluster — `agenthuman` child processes (serve, api, worker) on loopback, and their CPU time. */
import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from '@agenthuman/server/testing/free-port';
import { sleep } from '../engine-setup.js';
import { processTicks } from '../process-cpu.js';

const CLI = new URL('../../packages/cli/bin/agenthuman.js', import.meta.url).pathname;

export type Proc = { role: string; url: string; child: ChildProcess; output: () => string };

/** Starts `agenthuman <role>`; resolves once its /health answers (its last output is kept for errors). */
export async function startProcess(
  role: 'api' | 'worker' | 'serve',
  env: Record<string, string>,
): Promise<Proc> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [CLI, role], {
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      AGENTHUMAN_PUBLIC_URL: url,
      ...(role === 'worker' && { AGENTHUMAN_WORKER_URL: url }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-6000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${role} exited (${child.exitCode}):\n${output}`);
    const up = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })
      .then((res) => res.ok)
      .catch(() => false);
    if (up) return { role, url, child, output: () => output };
    await sleep(200);
  }
  child.kill('SIGKILL');
  throw new Error(`${role} did not answer /health within 180 s:\n${output}`);
}

/** Stops a process with `signal` (SIGKILL after 10 s); resolves once it is gone. */
export function stopProcess(proc: Proc | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => proc.child.kill('SIGKILL'), 10_000);
    proc.child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    proc.child.kill(signal);
  });
}

/** User + system CPU seconds of a process (all its threads: render workers included). */
export const cpuSeconds = (proc: Proc): number => processTicks(proc.child.pid!) / 100;
