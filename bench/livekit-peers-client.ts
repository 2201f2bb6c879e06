/**
 * bench:livekit's side of the peers' child process (bench/livekit-peers.ts) and the seats it opens: a customer
 * room per session with the peers in it, created through the server as the LiveKit Agents plugin creates it.
 */
import type { ChildProcess } from 'node:child_process';
import type { ListeningServer } from '@agenthuman/sdk/testing';
import { AVATAR_IDENTITY } from '../e2e/livekit/avatar-harness.js';
import { type LiveKitServer, mintToken } from '../e2e/livekit/livekit-server.js';
import { forkBenchChild, now } from './livekit-common.js';
import type { PeerCommand, PeerReply } from './livekit-peers.js';

/** No peer command may take longer (the longest, a speak, is bounded inside the peers well below this). */
const CALL_TIMEOUT_MS = 90_000;

/** The peers' child process, one request at a time per call (replies matched by id). */
export class Peers {
  readonly child: ChildProcess;
  #next = 1;
  #waiting = new Map<number, (reply: PeerReply) => void>();
  readonly ready: Promise<void>;

  constructor(livekit: LiveKitServer, nice: number) {
    // Niced (every thread: nice is per thread, so the whole process starts under it): the peers decode what a
    // remote viewer would decode on its own machine, and must not take cores from the measured server.
    this.child = forkBenchChild('./livekit-peers.ts', livekit, nice);
    this.ready = new Promise((resolve, reject) => {
      this.#waiting.set(0, () => resolve());
      this.child.once('exit', (code) => reject(new Error(`peers exited with ${code}`)));
    });
    this.child.on('message', (reply: PeerReply) => {
      const done = this.#waiting.get(reply.id);
      this.#waiting.delete(reply.id);
      done?.(reply);
    });
  }

  /** Rejects with the peers' error, or when no reply comes within CALL_TIMEOUT_MS (a hung peer fails the call). */
  async call<T extends Record<string, unknown>>(room: string, command: PeerCommand): Promise<T> {
    const id = this.#next++;
    let timer: NodeJS.Timeout | undefined;
    const reply = await new Promise<PeerReply>((resolve) => {
      this.#waiting.set(id, resolve);
      timer = setTimeout(() => {
        this.#waiting.delete(id);
        resolve({ id, error: `no reply within ${CALL_TIMEOUT_MS} ms` });
      }, CALL_TIMEOUT_MS);
      this.child.send({ ...command, id, room });
    }).finally(() => clearTimeout(timer));
    if (reply.error) throw new Error(`peers (${command.op} ${room}): ${reply.error}`);
    return reply as T;
  }

  close(): void {
    this.child.kill();
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
      room: { platform: 'livekit', url: livekit.url, token },
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
