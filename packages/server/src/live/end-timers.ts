/**
 * @module The automatic-end rules that need a timer (spec section 3): the WebSocket closed and none re-opened
 * within the grace period, and the session's expiration. (An empty room is timed by the room itself, which
 * emits `empty-timeout`.) The sweeper stays the safety net for anything a timer misses, such as a restart.
 */
import type { EndReason } from '@agenthuman/protocol';

/** setTimeout's largest delay; longer waits re-arm. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export class EndTimers {
  #socketTimer: NodeJS.Timeout | undefined;
  #expiryTimer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(
    private readonly options: {
      reconnectGraceMs: number;
      end: (reason: EndReason) => void;
      now?: () => number;
    },
  ) {}

  /** Ends the session at `expiration` (null: never). */
  expireAt(expiration: Date | null): void {
    clearTimeout(this.#expiryTimer);
    if (!expiration || this.#stopped) return;
    const now = this.options.now ?? Date.now;
    const arm = () => {
      const wait = expiration.getTime() - now();
      // Already due: still fired from a timer, never inside the caller's turn.
      this.#expiryTimer = setTimeout(
        wait <= 0 ? () => this.#fire('expired') : arm,
        Math.max(0, Math.min(wait, MAX_DELAY_MS)),
      );
      this.#expiryTimer.unref();
    };
    arm();
  }

  /** A socket is open (a new one, or one replacing another): no grace period runs. */
  socketOpened(): void {
    clearTimeout(this.#socketTimer);
    this.#socketTimer = undefined;
  }

  /** The session's socket closed and was not replaced: the grace period starts. */
  socketClosed(): void {
    if (this.#stopped) return;
    clearTimeout(this.#socketTimer);
    this.#socketTimer = setTimeout(() => this.#fire('websocket_closed'), this.options.reconnectGraceMs);
    this.#socketTimer.unref();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#socketTimer);
    clearTimeout(this.#expiryTimer);
  }

  #fire(reason: EndReason): void {
    if (this.#stopped) return;
    this.stop();
    this.options.end(reason);
  }
}
