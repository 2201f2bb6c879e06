/**
 * The LiveKit Agents plugin flow through our real server (HTTP, PGlite) and a real LiveKit server: the session is
 * created exactly as livekit-plugins-agenthuman creates it (a customer room, a token for agenthuman-avatar-agent,
 * kind agent, publishing on behalf of the agent), then livekit-agents' own DataStreamAudioOutput (Python) speaks,
 * clears and leaves. A failed join ends the session with a reason a client can read.
 */
import { type ListeningServer, startListeningServer } from '@agenthuman/sdk/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertPythonPeers, runAgent } from './agent-peer.js';
import { AVATAR_IDENTITY, Subscriber, waitFor } from './avatar-harness.js';
import { type LiveKitServer, mintToken, startLiveKitServer } from './livekit-server.js';

let livekit: LiveKitServer;
let server: ListeningServer;
let key: string;
const cleanups: (() => Promise<unknown>)[] = [];
let roomCounter = 0;

beforeAll(async () => {
  assertPythonPeers();
  [livekit, server] = await Promise.all([
    startLiveKitServer(),
    startListeningServer({ server: { startMediaWithSession: true } }),
  ]);
  key = (await server.newAccount('pro')).key;
}, 60_000);
afterAll(async () => {
  await server?.close();
  await livekit?.stop();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

type SessionObject = {
  session_id: string;
  status: string;
  started_at: string | null;
  ended_at: string | null;
  end_reason: string | null;
  end_detail: string | null;
  billing: { minutes_charged: number } | null;
};

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${server.url}/v1${path}`, {
    method,
    headers: { 'x-api-key': key, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: await res.json() };
};
const getSession = async (id: string) => (await api('GET', `/sessions/${id}`)).body.session as SessionObject;

/** What the Python plugin's AvatarSession.start does before it installs its audio output. */
async function createAsThePluginDoes(room: string, agentIdentity = 'agent', token?: string) {
  const avatarToken =
    token ??
    mintToken(livekit, {
      identity: AVATAR_IDENTITY,
      room,
      kind: 'agent',
      attributes: { 'lk.publish_on_behalf': agentIdentity },
    });
  const res = await api('POST', '/sessions', {
    avatar: 'avat_01KMZJ4WE5QCD9G3EK21QW8NJK',
    room: { platform: 'livekit', url: livekit.url, token: avatarToken },
  });
  expect(res.status).toBe(200);
  return res.body.session as SessionObject;
}

async function viewer(room: string): Promise<Subscriber> {
  const subscriber = await Subscriber.join(livekit, room);
  cleanups.push(() => subscriber.close());
  return subscriber;
}

function agent(room: string, steps: object[]) {
  const running = runAgent(livekit, room, steps, { timeoutMs: 40_000 });
  cleanups.push(async () => running.kill());
  return running.events;
}

const nextRoom = () => `plugin-room-${process.pid}-${++roomCounter}`;

describe('the LiveKit Agents plugin flow through our server', { timeout: 90_000 }, () => {
  it('speaks what the agent sends, reports playback_finished at the played position, and ends when the agent leaves', async () => {
    const room = nextRoom();
    const subscriber = await viewer(room);
    const createdAt = performance.now();
    const session = await createAsThePluginDoes(room);
    await waitFor('the first video frame at a viewer', () => subscriber.videoFrames.length > 0, 30_000);
    const firstFrameMs = subscriber.videoFrames[0]!.at - createdAt;
    console.log(
      JSON.stringify({ metric: 'create_to_first_frame_at_viewer_ms', value: Math.round(firstFrameMs) }),
    );

    const before = performance.now();
    const events = await agent(room, [
      { op: 'state', state: 'listening' },
      { op: 'speak', ms: 1200, rate: 16_000, channels: 1 },
      { op: 'wait_playout' },
      { op: 'sleep', ms: 300 },
      { op: 'leave' },
    ]);
    const leftAt = Date.now();
    const playout = events.find((e) => e.event === 'playout')!;
    expect(playout.interrupted).toBe(false);
    expect(Math.abs(playout.position! - 1.2)).toBeLessThanOrEqual(0.04);
    expect(events.filter((e) => e.event === 'playback_finished')).toHaveLength(1);
    expect(subscriber.loudMs(before)).toBeGreaterThan(800);

    await expect
      .poll(async () => (await getSession(session.session_id)).status, { timeout: 10_000 })
      .toBe('ended');
    const ended = await getSession(session.session_id);
    expect(ended.end_reason).toBe('agent_left');
    // Billed to the moment the agent left, not to an expiry.
    expect(Math.abs(Date.parse(ended.ended_at!) - leftAt)).toBeLessThan(5_000);
    expect(ended.billing?.minutes_charged).toBe(1);
    expect(server.server.live.get(session.session_id)).toBeUndefined();
  });

  it('clear_buffer mid-speech: playback_finished interrupted, at the position a viewer heard', async () => {
    const room = nextRoom();
    const subscriber = await viewer(room);
    const session = await createAsThePluginDoes(room);
    await waitFor('the first video frame at a viewer', () => subscriber.videoFrames.length > 0, 30_000);
    const before = performance.now();
    const events = await agent(room, [
      { op: 'speak', ms: 6000, rate: 24_000, channels: 1 },
      { op: 'sleep', ms: 1000 },
      { op: 'clear' },
      { op: 'wait_playout' },
      { op: 'sleep', ms: 300 },
      { op: 'leave' },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the last packets reach the viewer
    const playout = events.find((e) => e.event === 'playout')!;
    const clear = events.find((e) => e.event === 'clear')!;
    const finished = events.find((e) => e.event === 'playback_finished')!;
    expect(playout.interrupted).toBe(true);
    expect(finished.t - clear.t).toBeLessThan(0.5);
    expect(playout.position).toBeGreaterThan(0.5);
    expect(playout.position).toBeLessThan(4.5);
    expect(Math.abs((subscriber.chirpReachedS(before) ?? 0) - playout.position!)).toBeLessThanOrEqual(0.06);
    // This agent publishes no track and lives ~2 s: LiveKit may never announce it (joining or leaving), and then
    // the avatar finds it gone by asking it (agent-watch.ts), some 12 s after it left instead of at once.
    const leftAt = events.find((e) => e.event === 'left')!.t * 1000;
    await expect
      .poll(async () => (await getSession(session.session_id)).end_reason, { timeout: 25_000 })
      .toBe('agent_left');
    expect(Date.parse((await getSession(session.session_id)).ended_at!) - leftAt).toBeLessThan(20_000);
  });

  it('a join that fails ends the session with room_join_failed and says why on GET', async () => {
    const room = nextRoom();
    // Signed with another secret: the LiveKit server refuses it.
    const forged = mintToken(
      { apiKey: livekit.apiKey, apiSecret: 'not-the-secret' },
      { identity: AVATAR_IDENTITY, room, kind: 'agent' },
    );
    const session = await createAsThePluginDoes(room, 'agent', forged);
    await expect
      .poll(async () => (await getSession(session.session_id)).status, { timeout: 20_000 })
      .toBe('ended');
    const ended = await getSession(session.session_id);
    expect(ended.end_reason).toBe('room_join_failed');
    expect(ended.end_detail).toContain(`Could not join the LiveKit room at ${livekit.url}`);
    expect(ended.end_detail).toContain('401');
    // LiveKit quotes the token it refused; a token is a secret and never comes back.
    expect(ended.end_detail).not.toContain(forged.split('.')[2]);
    expect(ended.end_detail).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
  });
});
