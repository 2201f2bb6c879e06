/** @module A TimeSource for tests: time moves only when the test advances it, timers fire in due order. */
import type { TimeSource } from '../media-clock.js';

interface Timer {
  id: number;
  at: number;
  callback: () => void;
}

export class VirtualTime implements TimeSource {
  #now = 0;
  #timers: Timer[] = [];
  #nextId = 1;
  /** Added to every timer's firing time, standing in for event-loop wake-up lateness. */
  lateness: () => number = () => 0;

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const timer = { id: this.#nextId++, at: this.#now + Math.max(0, delayMs) + this.lateness(), callback };
    this.#timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle);
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves time forward to `untilMs`, firing every timer due on the way. */
  advanceTo(untilMs: number): void {
    for (;;) {
      this.#timers.sort((a, b) => a.at - b.at);
      const next = this.#timers[0];
      if (!next || next.at > untilMs) break;
      this.#timers.shift();
      this.#now = Math.max(this.#now, next.at);
      next.callback();
    }
    this.#now = Math.max(this.#now, untilMs);
  }

  /** Blocks "the event loop" for `ms`: time jumps without firing anything. */
  stall(ms: number): void {
    this.#now += ms;
  }
}
