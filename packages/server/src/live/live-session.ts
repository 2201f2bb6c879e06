/**
 * @module One running session's media as the server holds it: the engine's live avatar (entrance, pipeline,
 * sinks), the session's built-in room (one of its sinks) and the end announcements the WebSocket relays. Code
 * that makes the avatar speak uses `avatar` (the engine's AvatarInput); nothing here re-does the entrance.
 */
import { EventEmitter } from 'node:events';
import type { LiveAvatar } from '@agenthuman/engine/live';
import type { EndReason } from '@agenthuman/protocol';
import type { BuiltinRoom } from '@agenthuman/rooms';
import type { LiveKitAvatar } from '@agenthuman/rooms/livekit';

interface LiveSessionEvents {
  /** Sent before the session's media stops: the WS tells its client `session.ended {reason}`. */
  ending: [EndReason];
  closed: [EndReason];
  /** Handed over to another worker (graceful stop): the session goes on there, its socket reconnects. */
  moved: [];
  /** The avatar joined the session's LiveKit room (after its media started). */
  livekit: [LiveKitAvatar];
}

export class LiveSession {
  readonly #events = new EventEmitter<LiveSessionEvents>();
  #closed: EndReason | undefined;
  #livekit: LiveKitAvatar | undefined;

  constructor(
    readonly sessionId: string,
    readonly avatar: LiveAvatar,
    readonly room: BuiltinRoom | undefined,
  ) {}

  /** The avatar as a participant of the session's LiveKit room, once it has joined. */
  get livekit(): LiveKitAvatar | undefined {
    return this.#livekit;
  }

  /** @internal The registry hands over the LiveKit seat once the join succeeded; close() leaves the room. */
  attachLiveKit(livekit: LiveKitAvatar): void {
    this.#livekit = livekit;
    this.#events.emit('livekit', livekit);
  }

  /** Connected room viewers. */
  get viewers(): number {
    return this.room?.viewerCount ?? 0;
  }

  get closed(): boolean {
    return this.#closed !== undefined;
  }

  on<E extends keyof LiveSessionEvents>(event: E, listener: (...args: LiveSessionEvents[E]) => void): this {
    this.#events.on(event, listener as never);
    return this;
  }

  off<E extends keyof LiveSessionEvents>(event: E, listener: (...args: LiveSessionEvents[E]) => void): this {
    this.#events.off(event, listener as never);
    return this;
  }

  /** @internal The registry announces the end before it releases the media. */
  announceEnding(reason: EndReason): void {
    if (!this.#closed) this.#events.emit('ending', reason);
  }

  /**
   * @internal Called by the registry: closes the room's peers and releases the avatar's media. `handOver`: the
   * session is not ending, another worker took it: no `ended` is said (socket or room), the socket is told to
   * reconnect.
   */
  async close(reason: EndReason, options: { handOver?: boolean } = {}): Promise<void> {
    if (this.#closed) return;
    this.#closed = reason;
    if (options.handOver) {
      this.#events.emit('moved');
    } else {
      this.#events.emit('ending', reason);
      this.#events.emit('closed', reason);
    }
    this.#events.removeAllListeners();
    this.room?.close();
    // The room hears `ended` with the reason before the avatar's tracks go.
    await this.#livekit?.close(reason, options);
    await this.avatar.close();
  }
}
