/**
 * bench:livekit's side of the peers' child process (bench/livekit-peers.ts) and the seats it opens: a customer
 * room per session with the peers in it, created through the server as the LiveKit Agents plugin creates it.
 */
import type { ListeningServer } from '@agenthuman/sdk/testing';
import { AVATAR_IDENTITY } from '../e2e/livekit/avatar-harness.js';
import { type LiveKitServer, mintToken } from '../e2e/livekit/livekit-server.js';
import { BenchChild, now } from './livekit-common.js';
import type { PeerCommand } from './livekit-peers.js';

/** No peer command may take longer (the longest, a speak, is bounded inside the peers well below this). */
const CALL_TIMEOUT_MS = 90_000;

/** The peers' child process (bench/livekit-peers.ts); each command names its room. */
export class Peers extends BenchChild {
  constructor(livekit: LiveKitServer, nice: number) {
    // Niced (every thread: nice is per thread, so the whole process starts under it): the peers decode what a
    // remote viewer would decode on its own machine, and must not take cores from the measured server.
    super('./livekit-peers.ts', livekit, { name: 'peers', nice, timeoutMs: CALL_TIMEOUT_MS });
  }

  /** Rejects with the peers' error, or when no reply comes within CALL_TIMEOUT_MS (a hung peer fails the call). */
  call<T extends Record<string, unknown>>(room: string, command: PeerCommand): Promise<T> {
    return this.request<T>({ ...command, room }, `${command.op} ${room}`);
  }
}

export type Seat = { sessionId: string; room: string; createdAt: number };
let counter = 0;

/** The peers join a fresh room, then a session is created with a customer room token for the avatar. */
export async function openSeat(
  livekit: LiveKitServer,
  server: ListeningServer,
  key: string,
  peers: Peers,
  /** The URL the avatar is given (default the LiveKit server's; the soak gives its cuttable proxy's). */
  roomUrl = livekit.url,
): Promise<Seat> {
  const room = `bench-${process.pid}-${++counter}`;
  await peers.call(room, { op: 'open' });
  const token = mintToken(livekit, {
    identity: AVATAR_IDENTITY,
    room,
    kind: 'agent',
    attributes: { 'lk.publish_on_behalf': 'agent' },
  });
  const createdAt = now();
  const res = await fetch(`${server.url}/v1/sessions`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    body: JSON.stringify({
      avatar: 'PUBLIC/Avatars/kai',
      room: { platform: 'livekit', url: roomUrl, token },
    }),
  });
  if (res.status !== 200) {
    const body = await res.text();
    await peers.call(room, { op: 'close' }).catch(() => undefined);
    throw new Error(`create answered ${res.status}: ${body}`);
  }
  const { session } = await res.json();
  return { sessionId: session.session_id, room, createdAt };
}
