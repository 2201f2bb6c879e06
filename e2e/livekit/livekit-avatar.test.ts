/**
 * The avatar in a real LiveKit room (livekit-server built by scripts/test-peers.mjs): a real engine pipeline
 * publishes through the LiveKit sinks, a real rtc-node subscriber receives what a viewer gets, and rtc-node
 * participants play the agent and a stranger. The real LiveKit Agents framework drives it in agent-peer.test.ts.
 */
import { LiveKitJoinError } from '@agenthuman/rooms/livekit';
import { Room, RoomEvent, RpcError, SimulateScenarioKind } from '@livekit/rtc-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AVATAR_IDENTITY,
  type AvatarSession,
  Subscriber,
  startAvatarSession,
  toneBytes,
  waitFor,
} from './avatar-harness.js';
import { type LiveKitServer, mintToken, roomService, startLiveKitServer } from './livekit-server.js';

let server: LiveKitServer;
const cleanups: (() => Promise<unknown>)[] = [];
let roomCounter = 0;
const newRoom = () => `room-${process.pid}-${++roomCounter}`;

beforeAll(async () => {
  server = await startLiveKitServer();
});
afterAll(async () => {
  await server?.stop();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function avatarIn(room: string, agentIdentity = 'agent'): Promise<AvatarSession> {
  const session = await startAvatarSession(server, { room, agentIdentity });
  cleanups.push(() => session.close());
  return session;
}

async function subscriberIn(room: string, identity = 'viewer'): Promise<Subscriber> {
  const subscriber = await Subscriber.join(server, room, identity);
  cleanups.push(() => subscriber.close());
  return subscriber;
}

/** An rtc-node participant standing in for an agent (the real framework is in agent-peer.test.ts). */
async function participantIn(
  room: string,
  identity: string,
  attributes?: Record<string, string>,
): Promise<Room> {
  const participant = new Room();
  await participant.connect(server.url, mintToken(server, { identity, room, kind: 'agent', attributes }), {
    autoSubscribe: false,
    dynacast: false,
  });
  cleanups.push(() => participant.disconnect());
  return participant;
}

describe('the avatar in a LiveKit room', () => {
  it('joins as the token identity, publishes camera video and microphone audio, and announces ready', async () => {
    const room = newRoom();
    const subscriber = await subscriberIn(room);
    const { avatar } = await avatarIn(room);
    expect(avatar.identity).toBe(AVATAR_IDENTITY);
    expect(avatar.agentIdentity).toBe('agent');
    await waitFor('video frames at the subscriber', () => subscriber.videoFrames.length >= 10);
    await waitFor('audio at the subscriber', () => subscriber.audio.length >= 10);
    const first = subscriber.videoFrames[0]!;
    expect([first.width, first.height]).toEqual([320, 240]);
    await waitFor('the ready state', () => subscriber.states.some((s) => s.state === 'ready'));
    const publications = [
      ...subscriber.room.remoteParticipants.get(AVATAR_IDENTITY)!.trackPublications.values(),
    ];
    expect(publications.map((p) => p.source).sort()).toEqual([1, 2]); // SOURCE_CAMERA, SOURCE_MICROPHONE
  });
});
