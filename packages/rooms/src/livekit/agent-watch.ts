/**
 * @module Whether the avatar's agent is still in the room when LiveKit never said it came. livekit-server announces a
 * participant that publishes no track (a LiveKit Agents agent talks to its avatar over byte streams and RPC only)
 * in a batch every 3 s, keeping only the newest update per identity (pkg/rtc/room.go, PushAndDequeueUpdates): an
 * agent that joins and leaves between two batches is announced neither coming nor going, so no
 * ParticipantDisconnected ever fires for it. So once the agent has talked to the avatar and the room still does not
 * list it after a batch and a margin, it is asked: an agent in the room answers any RPC (a method it does not know
 * with UNSUPPORTED_METHOD), one that has left cannot.
 */
import { type Room, RpcError } from '@livekit/rtc-node';

/** Not a method any agent registers: whoever is in the room answers UNSUPPORTED_METHOD. */
export const PRESENCE_PROBE_METHOD = 'agenthuman.presence';

export type Presence = 'present' | 'gone' | 'unknown';

export interface AgentWatchOptions {
  room: Room;
  /** Told once when the agent is found gone without the room having said so. */
  onGone: (identity: string) => void;
  /** How long the room may take to list an agent that talked to the avatar (default: the 3 s batch and 2 s). */
  graceMs?: number;
  /** The probe's own bound; a probe the native side never settles counts as unanswered (default 10 s). */
  probeTimeoutMs?: number;
}

export class AgentWatch {
  readonly #options: AgentWatchOptions;
  #timer: NodeJS.Timeout | undefined;
  #watched: string | undefined;
  #closed = false;

  constructor(options: AgentWatchOptions) {
    this.#options = options;
  }

  /** The agent streamed to, called or answered the avatar: it was in the room just now. */
  heard(identity: string): void {
    if (this.#closed || this.#options.room.remoteParticipants.has(identity)) return;
    if (this.#watched === identity && this.#timer) return;
    this.#stop();
    this.#watched = identity;
    this.#arm();
  }

  /** The room listed the agent (its leave will be announced too) or announced its leave. */
  settled(identity: string): void {
    if (identity === this.#watched) this.#stop();
  }

  close(): void {
    this.#closed = true;
    this.#stop();
  }

  #arm(): void {
    this.#timer = setTimeout(() => void this.#check(), this.#options.graceMs ?? 5000);
    this.#timer.unref?.();
  }

  #stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#watched = undefined;
  }

  async #check(): Promise<void> {
    const identity = this.#watched;
    if (this.#closed || identity === undefined) return;
    if (this.#options.room.remoteParticipants.has(identity)) return this.#stop();
    const presence = await probePresence(
      this.#options.room,
      identity,
      this.#options.probeTimeoutMs ?? 10_000,
    );
    // Announced, left or closed while the probe was out: nothing more to decide here.
    if (this.#closed || this.#watched !== identity) return;
    if (this.#options.room.remoteParticipants.has(identity)) return this.#stop();
    if (presence === 'gone') {
      this.#stop();
      this.#options.onGone(identity);
      return;
    }
    // There but not yet listed (a slow batch), or our own link is down: look again later.
    this.#arm();
  }
}

/** Asks `identity` for a method nobody registers; only a participant in the room can answer at all. */
export async function probePresence(room: Room, identity: string, timeoutMs: number): Promise<Presence> {
  const local = room.localParticipant;
  if (!local || !room.isConnected) return 'unknown';
  let timer: NodeJS.Timeout | undefined;
  const unanswered = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const answer = await Promise.race([
      local.performRpc({ destinationIdentity: identity, method: PRESENCE_PROBE_METHOD, payload: '' }),
      unanswered,
    ]);
    // The native side bounds every call; past ours, nothing can be told either way.
    return answer === 'timeout' ? 'unknown' : 'present';
  } catch (error) {
    if (!(error instanceof RpcError)) return 'unknown';
    const code = RpcError.ErrorCode;
    // No acknowledgement came back: nobody of that identity is in the room.
    if (
      error.code === code.CONNECTION_TIMEOUT ||
      error.code === code.RECIPIENT_DISCONNECTED ||
      error.code === code.RECIPIENT_NOT_FOUND
    )
      return 'gone';
    // SEND_FAILED and the like say our own link is down; anything else came from the agent itself.
    return error.code === code.SEND_FAILED ? 'unknown' : 'present';
  } finally {
    clearTimeout(timer);
  }
}
