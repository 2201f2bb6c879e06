/**
 * A segment the agent sends wholly while a full reconnect keeps the avatar out of the room: LiveKit drops it, and
 * the agent (a real AgentSession with livekit-agents' DataStreamAudioOutput, agent_session_peer.py) would wait for
 * its playback_finished for good. The avatar's signalling is cut through a loopback proxy that refuses new
 * connections meanwhile, so rtc-node rejoins in full (cuttable-proxy.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RoomEvent } from '@livekit/rtc-node';
import { describe, expect, it } from 'vitest';
import { type AgentEvent, assertPythonPeers, runAgent } from './agent-peer.js';
import { CuttableProxy } from './cuttable-proxy.js';
import { useTestRooms } from './test-rooms.js';

const rooms = useTestRooms();

/** Where the test tells the agent that the avatar's connection is down (its `wait_file` step). */
const avatarDown = join(mkdtempSync(join(tmpdir(), 'lk-lost-')), 'avatar-down');

/**
 * The avatar behind a cuttable proxy, and an AgentSession agent whose first `cutOn` event (its first playout, or
 * its `mark` step) cuts it for `cutMs`. The
 * avatar's rtc-node lists nobody once it gave up resuming and tore its connection down: `avatarDown` is written
 * then (the server itself lists the old avatar until the new one joins, and forwards nothing to it meanwhile).
 */
async function cutAt(cutOn: 'playout' | 'mark', steps: object[], cutMs: number) {
  assertPythonPeers();
  const room = rooms.newRoom();
  const { proxy, url } = await CuttableProxy.before(rooms.server.url, true);
  rooms.cleanup(() => proxy.close());
  const { avatar } = await rooms.avatarIn(room, { url });
  const marks: { cutOver?: number; reconnected?: number; down?: number } = {};
  const errors: unknown[] = [];
  avatar.on('error', (error) => errors.push(error));
  avatar.on('reconnected', () => {
    marks.reconnected = Date.now() / 1000;
  });
  avatar.room.on(RoomEvent.ParticipantDisconnected, (participant) => {
    if (participant.identity !== 'agent' || !cutting || marks.down) return;
    marks.down = Date.now() / 1000;
    writeFileSync(avatarDown, '');
  });
  const ended: string[] = [];
  avatar.on('agent-left', () => ended.push('agent-left'));
  avatar.on('left', ({ reason }) => ended.push(`left:${reason}`));
  let cutting: Promise<number> | undefined;
  const agent = runAgent(rooms.server, room, steps, {
    script: 'agent_session_peer.py',
    timeoutMs: 60_000,
    onEvent: (event) => {
      if (event.event === cutOn && !cutting)
        cutting = proxy.cut(cutMs).then((dropped) => {
          marks.cutOver = Date.now() / 1000;
          return dropped;
        });
    },
  });
  rooms.cleanup(() => agent.kill());
  const events = await agent.events;
  await cutting;
  if (process.env.DEBUG_LOST) console.log(JSON.stringify({ marks, events }, null, 1));
  return { events, proxy, marks, errors, ended, avatar };
}

const of = (events: AgentEvent[], name: string) => events.filter((e) => e.event === name);

describe('a segment sent while a full reconnect keeps the avatar out', () => {
  it('is reported once, interrupted at 0, after the avatar is back; the next segment plays and is reported once', async () => {
    const { events, proxy, marks, errors, ended, avatar } = await cutAt(
      'playout',
      [
        { op: 'say', ms: 500 },
        { op: 'wait_playout' },
        // The cut starts at this playout; the next segment goes out whole once the room no longer lists the avatar.
        { op: 'wait_file', path: avatarDown },
        { op: 'say', ms: 800 },
        { op: 'wait_playout', timeout: 25 },
        { op: 'say', ms: 500 },
        { op: 'wait_playout' },
        { op: 'sleep', ms: 2500 }, // past the avatar's grace: nothing more comes
        { op: 'leave' },
      ],
      3000,
    );
    expect(proxy.refused).toBeGreaterThan(0); // it rejoined in full
    const captured = of(events, 'captured');
    expect(captured).toHaveLength(3);
    // The lost segment was wholly out before the avatar was back.
    expect(captured[1]!.t).toBeLessThan(marks.cutOver!);
    expect(of(events, 'playout')).toHaveLength(3);
    const finished = of(events, 'playback_finished');
    expect(finished.map((e) => [Math.round(e.position! * 10) / 10, e.interrupted])).toEqual([
      [0.5, false],
      [0, true],
      [0.5, false],
    ]);
    expect(finished[1]!.t).toBeGreaterThan(marks.reconnected!);
    // The agent stopped speaking on it (AgentSession's state, which the avatar read its wait from).
    const states = events.filter((e) => e.event === 'state' && e.t > finished[1]!.t).map((e) => e.state);
    expect(states[0]).toBe('listening');
    // Exactly one report per segment reached the agent: none it had no segment for.
    expect(of(events, 'report_received')).toHaveLength(3);
    expect(of(events, 'warning').map((e) => (e as { message?: string }).message)).toEqual([]);
    expect(ended).toEqual([]);
    expect(errors).toEqual([]);
    expect(avatar.room.isConnected).toBe(true);
  }, 90_000);

  it('plain case: an agent that waits for nothing gets no report; a segment it starts as the avatar rejoins is reported once', async () => {
    const { events, proxy, errors, ended } = await cutAt(
      'playout',
      [
        { op: 'say', ms: 500 },
        { op: 'wait_playout' },
        { op: 'wait_avatar_rejoin', timeout: 25 },
        { op: 'say', ms: 600 },
        { op: 'wait_playout', timeout: 25 },
        { op: 'sleep', ms: 2500 },
        { op: 'leave' },
      ],
      3000,
    );
    expect(proxy.refused).toBeGreaterThan(0);
    expect(of(events, 'captured')).toHaveLength(2);
    const finished = of(events, 'playback_finished');
    expect(finished).toHaveLength(2);
    expect(finished[0]).toMatchObject({ interrupted: false, position: expect.closeTo(0.5, 1) });
    // Started 1–3 ms after the agent saw the avatar back, it reached the avatar and played whole (were its header
    // still dropped, the one report would say interrupted at 0: once either way).
    const second = finished[1]!;
    expect(second.interrupted ? second.position : Math.round(second.position! * 10) / 10).toBe(
      second.interrupted ? 0 : 0.6,
    );
    expect(of(events, 'report_received')).toHaveLength(2);
    expect(of(events, 'warning').map((e) => (e as { message?: string }).message)).toEqual([]);
    expect(ended).toEqual([]);
    expect(errors).toEqual([]);
  }, 90_000);

  it('plain case: a segment that reached the avatar whole before the cut plays on through the rejoin and is reported once', async () => {
    const { events, proxy, errors, ended } = await cutAt(
      'mark',
      [
        { op: 'say', ms: 8000 },
        { op: 'sleep', ms: 1000 }, // sent whole by then (faster than real time)
        { op: 'mark' },
        { op: 'wait_playout', timeout: 25 },
        { op: 'sleep', ms: 2500 },
        { op: 'leave' },
      ],
      1500,
    );
    expect(proxy.refused).toBeGreaterThan(0);
    const finished = of(events, 'playback_finished');
    // The avatar owed it across the rejoin (the agent said speaking all along, ~3 s past the watch's grace): the
    // watch stayed quiet.
    expect(finished).toHaveLength(1);
    expect(finished[0]!.interrupted).toBe(false);
    expect(finished[0]!.position).toBeCloseTo(8, 1);
    expect(of(events, 'report_received')).toHaveLength(1);
    expect(of(events, 'warning')).toEqual([]);
    expect(ended).toEqual([]);
    expect(errors).toEqual([]);
  }, 90_000);
});
