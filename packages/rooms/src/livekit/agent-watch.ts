/**
 * @module When the avatar's agent has left the room, from what the room says and, where it says nothing
 * reliable, from asking the agent. Two cases make `ParticipantDisconnected` wrong or absent:
 * - livekit-server announces a participant that publishes no track (a LiveKit Agents agent talks to its avatar
 *   over byte streams and RPC only) in a batch every 3 s that keeps the newest update per identity
 *   (pkg/rtc/room.go, PushAndDequeueUpdates): an agent that joins and leaves between two batches is announced
 *   neither coming nor going.
 * - rtc-node's full reconnect drops every participant (just before it says it is reconnecting) and lists those
 *   still there again once rejoined.
 * So a leave is believed when no reconnect follows it within a second; otherwise, and whenever the agent talked
 * to the avatar while the room does not list it, the agent is asked once the room had time to list it: an agent
 * in the room answers any RPC (a method it does not know with UNSUPPORTED_METHOD), one that has left cannot.
 */
import { type Room, RpcError } from '@livekit/rtc-node';

/** Not a method any agent registers: whoever is in the room answers UNSUPPORTED_METHOD. */
export const PRESENCE_PROBE_METHOD = 'agenthuman.presence';

export type Presence = 'present' | 'gone' | 'unknown';

export interface AgentWatchOptions {
  room: Room;
  /** The one identity watched (read each time: the token may name it only once connected). */
  agentIdentity: () => string | undefined;
  /** Told each time the agent is found gone. */
  onGone: (identity: string) => void;
  /** How long the room may take to list an agent that talked to the avatar (default: the 3 s batch and 2 s). */
  graceMs?: number;
  /** How long a leave waits for a reconnect that would explain it (default 1 s). */
  settleMs?: number;
  /** Our own bound on a probe; the native side bounds it too (default 10 s). */
  probeTimeoutMs?: number;
}

export class AgentWatch {
  readonly #options: AgentWatchOptions;
  /** Armed while the agent is unlisted but was there just now: probe when it fires. */
  #probeTimer: NodeJS.Timeout | undefined;
  /** Armed after a leave, until it is clear no reconnect caused it. */
  #leaveTimer: NodeJS.Timeout | undefined;
  #reconnecting = false;
  #closed = false;

  constructor(options: AgentWatchOptions) {
    this.#options = options;
  }

  /** `identity` streamed to, called or answered the avatar: it was in the room just now. */
  heard(identity: string): void {
    if (this.#isAgent(identity)) this.#unsure();
  }

  /** The room listed `identity` (its leave will be announced). */
  listed(identity: string): void {
    if (this.#isAgent(identity)) this.#disarm();
  }

  /** The room announced that `identity` left. */
  disconnected(identity: string): void {
    if (!this.#isAgent(identity) || this.#closed) return;
    if (this.#reconnecting) {
      this.#unsure();
      return;
    }
    clearTimeout(this.#leaveTimer);
    this.#leaveTimer = setTimeout(() => {
      this.#leaveTimer = undefined;
      if (this.#closed) return;
      if (this.#reconnecting) this.#unsure();
      else {
        this.#disarm();
        this.#options.onGone(identity);
      }
    }, this.#options.settleMs ?? 1000);
  }

  reconnecting(): void {
    this.#reconnecting = true;
    if (this.#leaveTimer === undefined) return;
    clearTimeout(this.#leaveTimer);
    this.#leaveTimer = undefined;
    this.#unsure();
  }

  reconnected(): void {
    this.#reconnecting = false;
  }

  close(): void {
    this.#closed = true;
    this.#disarm();
    clearTimeout(this.#leaveTimer);
  }

  #isAgent(identity: string): boolean {
    return identity === this.#options.agentIdentity();
  }

  /** Probe after the grace unless the room lists the agent by then (one timer at a time). */
  #unsure(): void {
    const identity = this.#options.agentIdentity();
    if (this.#closed || identity === undefined || this.#options.room.remoteParticipants.has(identity)) return;
    if (this.#probeTimer !== undefined) return;
    this.#probeTimer = setTimeout(() => {
      this.#probeTimer = undefined;
      void this.#check(identity);
    }, this.#options.graceMs ?? 5000);
  }

  #disarm(): void {
    clearTimeout(this.#probeTimer);
    this.#probeTimer = undefined;
  }

  async #check(identity: string): Promise<void> {
    const listed = () => this.#options.room.remoteParticipants.has(identity);
    if (this.#closed || listed()) return;
    const presence = await probePresence(
      this.#options.room,
      identity,
      this.#options.probeTimeoutMs ?? 10_000,
    );
    if (this.#closed || listed()) return;
    if (presence === 'gone') this.#options.onGone(identity);
    // There but not listed yet (a slow batch, a rejoin under way), or our own link is down: look again later.
    else this.#unsure();
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
    // SEND_FAILED says our own link is down; anything else came from the agent itself.
    return error.code === code.SEND_FAILED ? 'unknown' : 'present';
  } finally {
    clearTimeout(timer);
  }
}
