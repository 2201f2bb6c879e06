/**
 * What the LiveKit e2e tests share per file: one real LiveKit server, a fresh room name per test, and the
 * participants a test opens (the avatar, a viewer, rtc-node stand-ins for the agent), closed after each test.
 * It registers vitest hooks, so only test files import it (the benches use avatar-harness.ts).
 */
import { Room, TrackKind } from '@livekit/rtc-node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { AVATAR_IDENTITY, type AvatarSession, Subscriber, startAvatarSession } from './avatar-harness.js';
import { type LiveKitServer, mintToken, startLiveKitServer } from './livekit-server.js';

export interface TestRooms {
  /** The file's LiveKit server (there from beforeAll). */
  readonly server: LiveKitServer;
  newRoom(): string;
  /** Runs after the test, in reverse order of registration. */
  cleanup(fn: () => Promise<unknown> | unknown): void;
  /** The avatar joined as the LiveKit Agents plugin asks; `url` overrides the server's (e.g. a proxy's). */
  avatarIn(room: string, options?: { agentIdentity?: string; url?: string }): Promise<AvatarSession>;
  subscriberIn(room: string, identity?: string): Promise<Subscriber>;
  /** An rtc-node participant standing in for an agent (the real framework is in agent-peer.test.ts). */
  participantIn(room: string, identity: string, attributes?: Record<string, string>): Promise<Room>;
}

export function useTestRooms(): TestRooms {
  let server: LiveKitServer | undefined;
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  let roomCounter = 0;
  beforeAll(async () => {
    server = await startLiveKitServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse())
      await Promise.resolve(cleanup()).catch(() => undefined);
  });
  const rooms: TestRooms = {
    get server() {
      if (!server) throw new Error('the LiveKit server is not up yet (use it inside a test)');
      return server;
    },
    newRoom: () => `room-${process.pid}-${++roomCounter}`,
    cleanup: (fn) => void cleanups.push(fn),
    async avatarIn(room, options = {}) {
      const target = options.url ? { ...rooms.server, url: options.url } : rooms.server;
      const session = await startAvatarSession(target, {
        room,
        agentIdentity: options.agentIdentity ?? 'agent',
      });
      cleanups.push(() => session.close());
      return session;
    },
    async subscriberIn(room, identity = 'viewer') {
      const subscriber = await Subscriber.join(rooms.server, room, identity);
      cleanups.push(() => subscriber.close());
      return subscriber;
    },
    async participantIn(room, identity, attributes) {
      const participant = new Room();
      const token = mintToken(rooms.server, { identity, room, kind: 'agent', attributes });
      await participant.connect(rooms.server.url, token, { autoSubscribe: false, dynacast: false });
      cleanups.push(() => participant.disconnect());
      return participant;
    },
  };
  return rooms;
}

export interface RpcCall {
  method: string;
  payload: string;
  caller: string;
  /** performance.now() when it arrived. */
  at: number;
}

/** Registers the two playback RPCs on an agent participant, answering ok like the framework does. */
export function recordPlaybackCalls(agent: Room): RpcCall[] {
  const calls: RpcCall[] = [];
  for (const method of ['lk.playback_started', 'lk.playback_finished']) {
    agent.localParticipant!.registerRpcMethod(method, async (data) => {
      calls.push({ method, payload: data.payload, caller: data.callerIdentity, at: performance.now() });
      return 'ok';
    });
  }
  return calls;
}

export function hasVideoFrom(participant: Room, identity: string): boolean {
  const remote = participant.remoteParticipants.get(identity);
  return [...(remote?.trackPublications.values() ?? [])].some((p) => p.kind === TrackKind.KIND_VIDEO);
}

/** Opens a speech segment: a byte stream on lk.audio_stream to the avatar, as DataStreamAudioOutput opens one. */
export function openSpeech(from: Room, attributes: Record<string, string>) {
  return from.localParticipant!.streamBytes({
    name: `AUDIO_${Math.random().toString(36).slice(2)}`,
    topic: 'lk.audio_stream',
    destinationIdentities: [AVATAR_IDENTITY],
    attributes,
  });
}

/** Writes `bytes` in 20 ms chunks of 48 kHz stereo (any size works, the avatar re-frames), faster than real time. */
export async function writeSpeech(
  writer: { write(chunk: Uint8Array): Promise<void> },
  bytes: Uint8Array,
): Promise<void> {
  const chunk = 3840;
  for (let at = 0; at < bytes.length; at += chunk) await writer.write(bytes.subarray(at, at + chunk));
}

/** One whole speech segment: opened, written, closed. */
export async function sendSpeech(
  from: Room,
  bytes: Uint8Array,
  attributes: Record<string, string>,
): Promise<void> {
  const writer = await openSpeech(from, attributes);
  await writeSpeech(writer, bytes);
  await writer.close();
}
