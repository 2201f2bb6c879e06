/**
 * @module Test harness: a real Redis (Debian's `redis-server`, installed by npm test) on a free loopback port,
 * no persistence, in a temporary directory. `restart()` kills it (SIGKILL, like a crash) and starts a fresh one
 * on the same port, empty, for tests of what survives a Redis restart. REDIS_SERVER_BIN points at another binary.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export type TestRedis = {
  /** redis://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Kills the server (SIGKILL) and starts an empty one on the same port; resolves once it answers. */
  restart(): Promise<void>;
  /** Kills the server without starting another (it stays down until `restart()`). */
  kill(): Promise<void>;
  stop(): Promise<void>;
};

export function redisServerBinary(): string {
  return process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';
}

/** Why Redis cannot start here, or undefined when it can. */
export function redisServerMissing(): string | undefined {
  const binary = redisServerBinary();
  return existsSync(binary)
    ? undefined
    : `redis-server is missing at ${binary}: install the Debian package redis-server ` +
        '(apt-get install -y redis-server) or set REDIS_SERVER_BIN';
}

export async function startTestRedis(options: { timeoutMs?: number } = {}): Promise<TestRedis> {
  const missing = redisServerMissing();
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(join(tmpdir(), 'agenthuman-redis-'));
  const port = await freePort();
  const timeoutMs = options.timeoutMs ?? 10_000;
  let child: ChildProcess | undefined = await launch(dir, port, timeoutMs);
  let stopped = false;

  async function kill() {
    if (!child) return;
    await killChild(child);
    child = undefined;
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    async restart() {
      if (stopped) throw new Error('this test Redis was stopped');
      await kill();
      child = await launch(dir, port, timeoutMs);
    },
    async stop() {
      stopped = true;
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function launch(dir: string, port: number, timeoutMs: number): Promise<ChildProcess> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    '--protected-mode',
    'yes',
    '--loglevel',
    'warning',
  ];
  const child = spawn(redisServerBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}):\n${output}`);
    if (await answersPing(port)) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer within ${timeoutMs} ms:\n${output}`);
}

/** One PING over a raw socket (no client library, so the harness tests the client rather than trusting it). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
