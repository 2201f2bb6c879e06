/**
 * The real LiveKit Agents framework as the agent: livekit-agents' DataStreamAudioOutput (Python, in the venv
 * scripts/test-peers.mjs makes) sends speech to our avatar in a real LiveKit room and waits for its playback
 * events, exactly as an agent with an avatar plugin does.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertPythonPeers, runAgent as startAgent } from './agent-peer.js';
import { type AvatarSession, Subscriber, startAvatarSession, waitFor } from './avatar-harness.js';
import { CuttableProxy } from './cuttable-proxy.js';
import { type LiveKitServer, startLiveKitServer } from './livekit-server.js';

let server: LiveKitServer;
const cleanups: (() => Promise<unknown>)[] = [];
let roomCounter = 0;

beforeAll(async () => {
  assertPythonPeers();
  server = await startLiveKitServer();
});
afterAll(async () => {
  await server?.stop();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

function runAgent(room: string, steps: object[]) {
  const agent = startAgent(server, room, steps);
  cleanups.push(async () => agent.kill());
  return agent.events;
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

  it('a segment LiveKit dropped while the avatar rejoined in full: the next clear_buffer ends the wait at once, interrupted at 0', async () => {
    const room = `agent-room-${process.pid}-${++roomCounter}`;
    const { proxy, url } = await CuttableProxy.before(server.url, true);
    cleanups.push(async () => proxy.close());
    const session = await startAvatarSession({ ...server, url }, { room, agentIdentity: 'agent' });
    cleanups.push(() => session.close());
    const segments: string[] = [];
    session.live.on('segment.started', (event) => segments.push(event.segmentId));
    let cut: Promise<number> | undefined;
    const events = await startAgent(
      server,
      room,
      [
        { op: 'speak', ms: 800 },
        { op: 'wait_playout' },
        // The signalling is cut (refused for 3 s) at the first playout: this segment goes out 1.5 s into it,
        // while the avatar is out of the room, and LiveKit drops it.
        { op: 'sleep', ms: 1500 },
        { op: 'speak', ms: 1000 },
        { op: 'sleep', ms: 6000 },
        { op: 'clear' },
        { op: 'wait_playout', timeout: 6 },
        { op: 'speak', ms: 600 },
        { op: 'wait_playout', timeout: 10 },
        { op: 'leave' },
      ],
      {
        timeoutMs: 60_000,
        onEvent: (event) => {
          if (event.event === 'playout') cut ??= proxy.cut(3000);
        },
      },
    ).events;
    await cut;
    expect(proxy.refused).toBeGreaterThan(0); // a full rejoin, not a resume
    const playouts = events.filter((e) => e.event === 'playout');
    expect(playouts.map((e) => [e.position, e.interrupted])).toEqual([
      [0.8, false],
      [0, true], // the dropped segment: nothing of it played
      [0.6, false],
    ]);
    // The avatar never saw the dropped segment, and the agent did not need its own 2 s fallback.
    expect(segments).toHaveLength(2);
    const clear = events.find((e) => e.event === 'clear')!;
    expect(playouts[1]!.t - clear.t).toBeLessThan(1);
  }, 90_000);
});
