/** @module The session's one media clock: 25 fps ticks from a monotonic origin, audio and video on one timeline. */
import { performance } from 'node:perf_hooks';
import { PCM_RATE } from '@agenthuman/media';

export const VIDEO_FPS = 25;
export const FRAME_MS = 1000 / VIDEO_FPS;

/** 40 ms of 16 kHz audio: the audio that travels with each video frame. */
export const SAMPLES_PER_FRAME = (PCM_RATE * FRAME_MS) / 1000;

/** Where time comes from; tests pass a virtual one to run thousands of frames instantly. */
export interface TimeSource {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTime: TimeSource = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface Tick {
  index: number;
  ptsMs: number;
  /** When the tick was due on the time source. */
  dueAt: number;
  /** How late the callback runs (time source ms); negative for a tick run early (runNextEarly). */
  lateMs: number;
  /**
   * True when a later tick is already due: the clock is catching up after a stall. Audio must still flow for
   * this tick, but rendering its video would only add to the delay.
   */
  catchingUp: boolean;
}

export interface ClockStats {
  ticks: number;
  /** Ticks that ran more than one frame late (the event loop or the tick handler stalled). */
  lateTicks: number;
  maxLateMs: number;
  /** Times runNextEarly moved the grid (`rephase`), and by how much in all (ms, always earlier). */
  rephases: number;
  rephasedMs: number;
}

export interface MediaClockOptions {
  fps?: number;
  /** false: ticks run back to back, each after the previous handler settles (rendering to a file). */
  realtime?: boolean;
  time?: TimeSource;
}

/**
 * Tick n is due at origin + n·frameMs, computed from the index rather than by adding intervals, so timer
 * lateness never accumulates (the origin moves only when runNextEarly is asked to rephase). pts is n·frameMs whatever the mode, so audio sample s of the session plays at
 * pts s/16 ms and always lines up with the video frame of the same pts.
 */
export class MediaClock {
  readonly fps: number;
  readonly frameMs: number;
  readonly realtime: boolean;
  readonly #time: TimeSource;
  #origin = 0;
  #next = 0;
  #timer: unknown;
  #running = false;
  #onTick: ((tick: Tick) => void | Promise<void>) | undefined;
  #stats: ClockStats = { ticks: 0, lateTicks: 0, maxLateMs: 0, rephases: 0, rephasedMs: 0 };

  constructor(options: MediaClockOptions = {}) {
    this.fps = options.fps ?? VIDEO_FPS;
    this.frameMs = 1000 / this.fps;
    this.realtime = options.realtime ?? true;
    this.#time = options.time ?? systemTime;
  }

  get running(): boolean {
    return this.#running;
  }

  get stats(): ClockStats {
    return { ...this.#stats };
  }

  /** Time-source time at which the tick with this pts is due. */
  dueTimeOf(ptsMs: number): number {
    return this.#origin + ptsMs;
  }

  /** pts of the newest tick that is due by now; a frame older than this is already behind. */
  get duePtsMs(): number {
    return Math.floor((this.#time.now() - this.#origin) / this.frameMs) * this.frameMs;
  }

  now(): number {
    return this.#time.now();
  }

  /** pts of the next tick to run. */
  get nextPtsMs(): number {
    return this.#next * this.frameMs;
  }

  start(onTick: (tick: Tick) => void | Promise<void>): void {
    if (this.#running) throw new Error('MediaClock already started');
    this.#running = true;
    this.#onTick = onTick;
    this.#origin = this.#time.now();
    this.#next = 0;
    this.#schedule();
  }

  /**
   * Runs the next tick now, ahead of its due time, when that is at most one frame away (live only): a speech
   * frame whose audio is complete starts its way to the renderer at once instead of waiting for the grid. Its
   * pts and due time stay those of the grid; the outputs hold what it makes until then. Returns whether it ran.
   *
   * `rephase`: the grid moves instead, so this tick is due now and every later one 40 ms after it (pts go on
   * 40 ms apart: one frame interval is shorter in wall time, never longer). For outputs that take media as it
   * comes (LiveKit's sources stamp it themselves), a reply's first frame then waits for no grid at all; one
   * that paces pts against its own wall-clock anchor (the built-in room) would drift ahead, so it is opt-in.
   */
  runNextEarly(rephase = false): boolean {
    if (!this.#running || !this.realtime) return false;
    let dueAt = this.#origin + this.#next * this.frameMs;
    const now = this.#time.now();
    if (dueAt - now > this.frameMs) return false;
    if (rephase && dueAt > now) {
      this.#stats.rephases++;
      this.#stats.rephasedMs += dueAt - now;
      this.#origin -= dueAt - now;
      dueAt = now;
    }
    if (this.#timer !== undefined) this.#time.clearTimeout(this.#timer);
    this.#timer = undefined;
    void this.#run(dueAt, now, false);
    this.#schedule();
    return true;
  }

  stop(): void {
    this.#running = false;
    if (this.#timer !== undefined) this.#time.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    if (!this.#running) return;
    const delay = this.realtime
      ? Math.max(0, this.#origin + this.#next * this.frameMs - this.#time.now())
      : 0;
    this.#timer = this.#time.setTimeout(() => this.#fire(), delay);
  }

  #fire(): void {
    this.#timer = undefined;
    if (!this.#running) return;
    const now = this.#time.now();
    if (!this.realtime) {
      const result = this.#run(now, now, false);
      if (result instanceof Promise) {
        result.then(
          () => this.#schedule(),
          () => this.#schedule(),
        );
      } else this.#schedule();
      return;
    }
    // Run every tick that is due now, oldest first; all but the newest are catch-up ticks.
    const lastDue = Math.floor((now - this.#origin) / this.frameMs);
    while (this.#running && this.#next <= lastDue) {
      const dueAt = this.#origin + this.#next * this.frameMs;
      void this.#run(dueAt, now, this.#next < lastDue);
    }
    this.#schedule();
  }

  #run(dueAt: number, now: number, catchingUp: boolean): void | Promise<void> {
    const index = this.#next++;
    const lateMs = now - dueAt;
    this.#stats.ticks++;
    if (lateMs > this.frameMs) this.#stats.lateTicks++;
    if (lateMs > this.#stats.maxLateMs) this.#stats.maxLateMs = lateMs;
    const tick: Tick = { index, ptsMs: index * this.frameMs, dueAt, lateMs, catchingUp };
    try {
      return this.#onTick?.(tick);
    } catch (error) {
      // A throwing handler must not stop the clock; the pipeline reports its own errors.
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}
