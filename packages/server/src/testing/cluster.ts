/**
 * @module Test harness: a cluster of real processes on loopback — API processes and media workers
 * (`cluster-process-main.ts`) on one PostgreSQL and one Redis. Workers are found by their pid in
 * `sessions.media_owner` (`host:pid:nonce`). Used by the scale-out tests and `bench:cluster`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestDatabase } from '@agenthuman/store/testing';
import { freePort } from './free-port.js';
import { testServerEnv } from './test-server.js';

const main = fileURLToPath(new URL('./cluster-process-main.ts', import.meta.url));

export type ClusterProcess = { role: 'api' | 'worker'; url: string; child: ChildProcess; pid: number };

/** Starts one API process or worker; resolves once it listens. `env` adds to the test server settings. */
export async function startClusterProcess(
  role: 'api' | 'worker',
  database: TestDatabase,
  redisUrl: string,
  env: Record<string, string> = {},
): Promise<ClusterProcess> {
  const port = role === 'worker' ? await freePort() : 0;
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: {
      ...process.env,
      ...testServerEnv(database, {
        REDIS_URL: redisUrl,
        AGENTHUMAN_RENDER_WORKERS: '1',
        AGENTHUMAN_LOG_LEVEL: 'silent',
        ...(role === 'worker' && { PORT: String(port), AGENTHUMAN_WORKER_URL: `http://127.0.0.1:${port}` }),
        ...env,
      }),
      CLUSTER_ROLE: role,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${role} did not start within 45 s`)), 45_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${role} exited before listening (${code})`));
    });
  });
  return { role, url: url.replace('localhost', '127.0.0.1'), child, pid: child.pid! };
}

/** kill -9, resolved once the process is gone. */
export function killHard(process: ClusterProcess): Promise<void> {
  return new Promise((resolve) => {
    if (process.child.exitCode !== null || process.child.signalCode !== null) return resolve();
    process.child.once('exit', () => resolve());
    process.child.kill('SIGKILL');
  });
}

/** SIGTERM (graceful), resolved once the process is gone (SIGKILL after 10 s). */
export function stopGracefully(process: ClusterProcess): Promise<void> {
  return new Promise((resolve) => {
    if (process.child.exitCode !== null || process.child.signalCode !== null) return resolve();
    const timer = setTimeout(() => process.child.kill('SIGKILL'), 10_000);
    process.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    process.child.kill('SIGTERM');
  });
}

/** Whether `owner` (a `sessions.media_owner`) is this process. */
export const owns = (process: ClusterProcess, owner: string | null | undefined) =>
  Boolean(owner?.includes(`:${process.pid}:`));
