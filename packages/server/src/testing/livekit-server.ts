/**
 * @module Test harness: a real LiveKit server (dev mode, loopback only, its own free ports) for tests of the
 * rooms we make. The binary is built once outside the checkout (`go install` of a pinned release, cached in
 * ~/.cache/agenthuman/livekit-server/<version>/server by scripts/test-peers.mjs); AGENTHUMAN_LIVEKIT_SERVER (set
 * by npm test) or LIVEKIT_SERVER_BIN points at another one. The e2e LiveKit tests start theirs here too.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export const LIVEKIT_SERVER_VERSION = 'v1.13.5';

export type TestLiveKitServer = {
  /** ws://127.0.0.1:<port> */
  url: string;
  /** http://127.0.0.1:<port>, for the RoomService. */
  httpUrl: string;
  apiKey: string;
  apiSecret: string;
  /** The three LIVEKIT_* variables for the agenthuman server. */
  env: { LIVEKIT_URL: string; LIVEKIT_API_KEY: string; LIVEKIT_API_SECRET: string };
  /** The server's process id (benchmarks read its CPU time). */
  pid: number | undefined;
  stop(): Promise<void>;
};

export function livekitServerBinary(): string {
  return (
    process.env.AGENTHUMAN_LIVEKIT_SERVER ??
    process.env.LIVEKIT_SERVER_BIN ??
    join(homedir(), '.cache', 'agenthuman', 'livekit-server', LIVEKIT_SERVER_VERSION, 'server')
  );
}

/** Why the LiveKit server cannot start here, or undefined when it can. */
export function livekitServerMissing(): string | undefined {
  const binary = livekitServerBinary();
  return existsSync(binary)
    ? undefined
    : `the LiveKit server binary is missing at ${binary}: build it with ` +
        `\`GOBIN=$(dirname ${binary}) go install github.com/livekit/livekit-server/cmd/server@${LIVEKIT_SERVER_VERSION}\` ` +
        '(or set LIVEKIT_SERVER_BIN)';
}

export async function startLiveKitServer(options: { timeoutMs?: number } = {}): Promise<TestLiveKitServer> {
  const missing = livekitServerMissing();
  if (missing) throw new Error(missing);
  const [port, tcpPort, udpPort] = [await freePort(), await freePort(), await freeUdpPort()];
  const apiKey = 'devkey';
  const apiSecret = randomBytes(24).toString('hex');
  // The node IP is explicit: address discovery skips loopback, and tests run in a loopback-only namespace.
  const config = [
    `port: ${port}`,
    'bind_addresses: ["127.0.0.1"]',
    'rtc:',
    `  tcp_port: ${tcpPort}`,
    `  udp_port: ${udpPort}`,
    '  node_ip: 127.0.0.1',
    '  use_external_ip: false',
    // Clients on this host (rtc-node, chromium) may then pair with the server's loopback address.
    '  enable_loopback_candidate: true',
    'logging:',
    '  level: warn',
  ].join('\n');
  const child = spawn(
    livekitServerBinary(),
    ['--dev', '--config-body', config, '--keys', `${apiKey}: ${apiSecret}`],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `ws://127.0.0.1:${port}`;
  const httpUrl = `http://127.0.0.1:${port}`;
  await waitUntilUp(`${httpUrl}/`, child, () => output, options.timeoutMs ?? 20_000);
  return {
    url,
    httpUrl,
    apiKey,
    apiSecret,
    env: { LIVEKIT_URL: url, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret },
    pid: child.pid,
    stop: () => stop(child),
  };
}

async function waitUntilUp(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`livekit-server exited (${child.exitCode}):\n${output()}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) })
      .then((res) => res.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`livekit-server did not answer within ${timeoutMs} ms:\n${output()}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}
