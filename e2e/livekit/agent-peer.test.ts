/**
 * The real LiveKit Agents framework as the agent: livekit-agents' DataStreamAudioOutput (Python, in the venv
 * scripts/test-peers.mjs makes) sends speech to our avatar in a real LiveKit room and waits for its playback
 * events, exactly as an agent with an avatar plugin does.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pythonPeersPath } from '../../scripts/test-peers.mjs';
import {
  AVATAR_IDENTITY,
  type AvatarSession,
  Subscriber,
  startAvatarSession,
  waitFor,
} from './avatar-harness.js';
import { type LiveKitServer, mintToken, startLiveKitServer } from './livekit-server.js';

const script = fileURLToPath(new URL('./agent_peer.py', import.meta.url));
let server: LiveKitServer;
const cleanups: (() => Promise<unknown>)[] = [];
let roomCounter = 0;

beforeAll(async () => {
  const python = pythonPeersPath();
  if (!existsSync(python)) {
    throw new Error(
      `the LiveKit Agents peer needs the Python venv at ${python}: run \`node scripts/test-peers.mjs\` (npm test runs it)`,
    );
  }
  server = await startLiveKitServer();
});
afterAll(async () => {
  await server?.stop();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

interface AgentEvent {
  event: string;
  t: number;
  position?: number;
  interrupted?: boolean;
}

/** Runs agent_peer.py with a scenario; resolves with its events once it exits (bounded by `timeoutMs`). */
function runAgent(room: string, steps: object[], timeoutMs = 30_000): Promise<AgentEvent[]> {
  const token = mintToken(server, { identity: 'agent', room, kind: 'agent' });
  const child = spawn(
    pythonPeersPath(),
    [script, server.url, token, AVATAR_IDENTITY, JSON.stringify(steps)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const events: AgentEvent[] = [];
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data: Buffer) => {
    stdout += data.toString();
    for (let nl = stdout.indexOf('\n'); nl >= 0; nl = stdout.indexOf('\n')) {
      const line = stdout.slice(0, nl).trim();
      stdout = stdout.slice(nl + 1);
      if (line.startsWith('{')) events.push(JSON.parse(line));
    }
  });
  child.stderr.on('data', (data: Buffer) => {
    stderr = (stderr + data.toString()).slice(-3000);
  });
  cleanups.push(async () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `agent_peer.py did not finish in ${timeoutMs} ms; events ${JSON.stringify(events)}\n${stderr}`,
        ),
      );
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(events);
      else
        reject(new Error(`agent_peer.py exited with ${code}; events ${JSON.stringify(events)}\n${stderr}`));
    });
  });
}

async function setUp(): Promise<{ room: string; session: AvatarSession; subscriber: Subscriber }> {
  const room = `agent-room-${process.pid}-${++roomCounter}`;
  const subscriber = await Subscriber.join(server, room);
  cleanups.push(() => subscriber.close());
  const session = await startAvatarSession(server, { room, agentIdentity: 'agent' });
  cleanups.push(() => session.close());
  return { room, session, subscriber };
}

describe('the LiveKit Agents framework (DataStreamAudioOutput) drives the avatar', () => {
  it('speech then flush: playback_started, then playback_finished at the played position; agent state and leave are seen', async () => {
    const { room, session, subscriber } = await setUp();
    const agentStates: string[] = [];
    session.avatar.on('agent-state', (state) => agentStates.push(state));
    const left = new Promise<string>((resolve) => session.avatar.on('agent-left', resolve));
    const before = performance.now();
    const events = await runAgent(room, [
      { op: 'state', state: 'listening' },
      { op: 'speak', ms: 1200, rate: 24_000, channels: 1 },
      { op: 'wait_playout' },
      { op: 'state', state: 'thinking' },
      { op: 'sleep', ms: 300 },
      { op: 'leave' },
    ]);
    const names = events.map((e) => e.event);
    expect(names.indexOf('playback_started')).toBeGreaterThan(names.indexOf('speak'));
    expect(names.indexOf('playback_finished')).toBeGreaterThan(names.indexOf('playback_started'));
    expect(names.filter((n) => n === 'playback_finished')).toHaveLength(1);
    const playout = events.find((e) => e.event === 'playout')!;
    expect(playout.interrupted).toBe(false);
    expect(Math.abs(playout.position! - 1.2)).toBeLessThanOrEqual(0.04);
    await waitFor(
      'the chirp at the viewer',
      () => (subscriber.chirpReachedS(before) ?? 0) >= 1.1,
      3000,
    ).catch(() => undefined);
    expect(Math.abs((subscriber.chirpReachedS(before) ?? 0) - playout.position!)).toBeLessThanOrEqual(0.06);
    expect(await left).toBe('agent');
    expect(agentStates).toEqual(expect.arrayContaining(['listening', 'thinking']));
  });

  it('clear_buffer mid-speech: playback_finished interrupted, at the position a viewer heard', async () => {
    const { room, subscriber } = await setUp();
    const before = performance.now();
    const events = await runAgent(room, [
      { op: 'speak', ms: 6000, rate: 48_000, channels: 2 },
      { op: 'sleep', ms: 1000 },
      { op: 'clear' },
      { op: 'wait_playout' },
      { op: 'sleep', ms: 500 },
      { op: 'leave' },
    ]);
    const playout = events.find((e) => e.event === 'playout')!;
    await new Promise((resolve) => setTimeout(resolve, 300)); // the last packets reach the viewer
    const clear = events.find((e) => e.event === 'clear')!;
    const finished = events.find((e) => e.event === 'playback_finished')!;
    expect(playout.interrupted).toBe(true);
    // The framework's own fallback (2 s after the clear, at the pushed 4 s) did not have to fire.
    expect(finished.t - clear.t).toBeLessThan(0.5);
    // Stopped well before the 6 s that were pushed (the agent pushes faster than real time).
    expect(playout.position).toBeGreaterThan(0.5);
    expect(playout.position).toBeLessThan(4.5);
    expect(Math.abs((subscriber.chirpReachedS(before) ?? 0) - playout.position!)).toBeLessThanOrEqual(0.06);
    expect(events.filter((e) => e.event === 'playback_finished')).toHaveLength(1);
  });
});
