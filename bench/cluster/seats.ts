/**
 * bench:cluster — the sessions it runs ("seats"): built-in rooms speaking over `/ws` (a werift viewer joins
 * each over WHEP), and LiveKit rooms with a subscriber and the agent the avatar publishes for.
 */
import { performance } from 'node:perf_hooks';
import { pcmBase64, WsTestClient } from '@agenthuman/server/testing/ws-client';
import { Room } from '@livekit/rtc-node';
import { AVATAR_IDENTITY, Subscriber } from '../../e2e/livekit/avatar-harness.js';
import { type LiveKitServer, mintToken } from '../../e2e/livekit/livekit-server.js';
import { syntheticSpeech } from '../engine-setup.js';
import type { FrameSample } from '../viewer-process.js';
import { api, createSession } from './api-client.js';

export type Seat = {
  id: string;
  kind: 'builtin' | 'livekit';
  ws?: WsTestClient;
  /** `name:token` of a built-in room, for its WHEP viewer. */
  room?: string;
  feeder?: NodeJS.Timeout;
  viewer?: Subscriber;
  agent?: Room;
  workerPid?: number;
  endedBy?: { reason: string; atMs: number };
};

export async function openBuiltin(base: string, i: number): Promise<Seat> {
  const session = await createSession(base, { avatar: 'PUBLIC/Avatars/eileen' });
  const ws = await WsTestClient.open(`${base.replace(/^http/, 'ws')}/ws`);
  ws.send({ type: 'session.init', session_id: session.session_id, session_token: session.session_token });
  await ws.next('connection.established', 60_000);
  if (!session.room) throw new Error('a built-in session came without its room');
  const seat: Seat = {
    id: session.session_id,
    kind: 'builtin',
    ws,
    room: `${session.room.name}:${session.room.token}`,
  };
  void ws.next('session.ended', 3_600_000).then(
    (event) => {
      seat.endedBy = { reason: String(event.reason), atMs: performance.now() };
    },
    () => undefined,
  );
  // A TTS-like stream: one second of speech each second, queued a second ahead.
  const send = () => {
    const speech = syntheticSpeech(1, i);
    for (let k = 0; k < 10; k++) {
      ws.send({ type: 'agent.speak', audio: pcmBase64(speech.subarray(k * 1600, (k + 1) * 1600)) });
    }
  };
  send();
  send();
  seat.feeder = setInterval(send, 1000);
  return seat;
}

export async function openLiveKit(base: string, livekit: LiveKitServer, n: number): Promise<Seat> {
  const room = `bench-cluster-${process.pid}-${n}`;
  const viewer = await Subscriber.join(livekit, room);
  // The agent the avatar publishes for; it stays, so the avatar's room outlives the avatar's worker.
  const agent = new Room();
  await agent.connect(livekit.url, mintToken(livekit, { identity: 'agent', room, kind: 'agent' }), {
    autoSubscribe: false,
    dynacast: false,
  });
  const token = mintToken(livekit, {
    identity: AVATAR_IDENTITY,
    room,
    kind: 'agent',
    attributes: { 'lk.publish_on_behalf': 'agent' },
    ttlS: 3600,
  });
  const session = await createSession(base, {
    avatar: 'PUBLIC/Avatars/kai',
    room: { platform: 'livekit', url: livekit.url, token },
  });
  return { id: session.session_id, kind: 'livekit', viewer, agent };
}

export async function closeSeat(base: string, seat: Seat) {
  clearInterval(seat.feeder);
  seat.ws?.close();
  await seat.viewer?.close().catch(() => undefined);
  await seat.agent?.disconnect().catch(() => undefined);
  await api(base, 'POST', `/v1/sessions/${seat.id}/end`).catch(() => undefined);
}

/** Video frames a LiveKit seat's subscriber received since `fromMs` (performance.now()). */
export const framesSince = (seat: Seat, fromMs: number) =>
  seat.viewer?.videoFrames.filter((frame) => frame.at >= fromMs).length ?? 0;

/** A seat's viewer frame rate between two samples: its LiveKit subscriber, or its werift viewer's counts. */
export function seatFps(
  seat: Seat,
  builtinSeats: Seat[],
  from: FrameSample,
  to: FrameSample,
  livekitFromMs: number,
  livekitSeconds: number,
): number {
  const index = builtinSeats.indexOf(seat);
  return seat.viewer
    ? framesSince(seat, livekitFromMs) / livekitSeconds
    : ((to.frames[index] ?? 0) - (from.frames[index] ?? 0)) / ((to.atMs - from.atMs) / 1000);
}
