/**
 * A real LiveKit server for tests and benchmarks: the binary scripts/test-peers.mjs built, started in dev mode on
 * loopback with free ports and its node IP given explicitly (its own address discovery skips loopback, and the
 * test namespace has nothing else), with a random API key pair. Plus the two server APIs the tests need
 * (tokens and the RoomService), written against the documented wire format.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { livekitServerPath } from '../../scripts/test-peers.mjs';

export interface LiveKitServer {
  /** ws://127.0.0.1:port */
  url: string;
  httpUrl: string;
  apiKey: string;
  apiSecret: string;
  stop(): Promise<void>;
}

export interface TokenOptions {
  identity: string;
  room: string;
  name?: string;
  kind?: 'standard' | 'agent';
  attributes?: Record<string, string>;
  canPublish?: boolean;
  canSubscribe?: boolean;
  ttlS?: number;
}

/** Starts livekit-server; fails with the command that installs it when the binary is missing. */
export async function startLiveKitServer(options: { timeoutMs?: number } = {}): Promise<LiveKitServer> {
  const binary = livekitServerPath();
  if (!existsSync(binary)) {
    throw new Error(
      `livekit-server is not installed at ${binary}: run \`node scripts/test-peers.mjs\` (npm test runs it), which builds it with the Go toolchain`,
    );
  }
  const [port, tcpPort] = [await freeTcpPort(), await freeTcpPort()];
  const udpPort = await freeUdpPort();
  const apiKey = `test${randomBytes(6).toString('hex')}`;
  const apiSecret = randomBytes(32).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'livekit-'));
  const config = join(dir, 'livekit.yaml');
  writeFileSync(
    config,
    [
      `port: ${port}`,
      'bind_addresses: ["127.0.0.1"]',
      'rtc:',
      `  tcp_port: ${tcpPort}`,
      `  udp_port: ${udpPort}`,
      '  node_ip: 127.0.0.1',
      '  use_external_ip: false',
      '  enable_loopback_candidate: true',
      'keys:',
      `  ${apiKey}: ${apiSecret}`,
      'logging:',
      '  level: warn',
      '',
    ].join('\n'),
  );
  const child = spawn(binary, ['--dev', '--config', config, '--node-ip', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (data: Buffer) => {
    output = (output + data.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const httpUrl = `http://127.0.0.1:${port}`;
  const stop = () => stopProcess(child).finally(() => rmSync(dir, { recursive: true, force: true }));
  try {
    await waitUntilUp(httpUrl, child, options.timeoutMs ?? 15_000);
  } catch (error) {
    await stop();
    throw new Error(`livekit-server did not start: ${(error as Error).message}\n${output}`);
  }
  return { url: `ws://127.0.0.1:${port}`, httpUrl, apiKey, apiSecret, stop };
}

/** A LiveKit access token (HS256 JWT with a `video` grant), as livekit-server-sdk's AccessToken makes. */
export function mintToken(
  server: Pick<LiveKitServer, 'apiKey' | 'apiSecret'>,
  options: TokenOptions,
): string {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: server.apiKey,
    sub: options.identity,
    nbf: now - 5,
    exp: now + (options.ttlS ?? 600),
    name: options.name ?? options.identity,
    video: {
      room: options.room,
      roomJoin: true,
      canPublish: options.canPublish ?? true,
      canSubscribe: options.canSubscribe ?? true,
      canPublishData: true,
      // Agents set lk.agent.state; LiveKit refuses attribute updates without this grant.
      canUpdateOwnMetadata: true,
    },
  };
  if (options.kind) claims.kind = options.kind;
  if (options.attributes) claims.attributes = options.attributes;
  return signJwt(claims, server.apiSecret);
}

/** Calls a RoomService method (twirp JSON), e.g. DeleteRoom {room}, RemoveParticipant {room, identity}. */
export async function roomService(
  server: LiveKitServer,
  method: string,
  body: Record<string, unknown>,
): Promise<unknown> {
  const now = Math.floor(Date.now() / 1000);
  const token = signJwt(
    {
      iss: server.apiKey,
      nbf: now - 5,
      exp: now + 60,
      video: { roomAdmin: true, roomCreate: true, roomList: true, room: String(body.room ?? '') },
    },
    server.apiSecret,
  );
  const response = await fetch(`${server.httpUrl}/twirp/livekit.RoomService/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`RoomService.${method} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : {};
}

function signJwt(claims: Record<string, unknown>, secret: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

async function waitUntilUp(httpUrl: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with status ${child.exitCode}`);
    try {
      const response = await fetch(httpUrl, { signal: AbortSignal.timeout(500) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer at ${httpUrl} within ${timeoutMs} ms`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
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
