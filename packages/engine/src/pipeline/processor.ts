/** @module The processor base: frames in through push(), frames out through emit(), families respected. */
import { type Frame, isDataFrame, isSystemFrame, type SystemFrame } from './frames.js';

export type FrameListener = (frame: Frame) => void;
export type ErrorListener = (error: unknown, processor: string) => void;

/**
 * Push-based so a frame crosses a synchronous processor without waiting for a microtask: the clock's tick
 * reaches the renderer in the same turn of the event loop. A processor whose process() returns a promise holds
 * later frames in order until it settles. System frames never wait: an interrupt drops the data frames still
 * queued here (control frames keep their order), then the processor's onSystem() runs and the frame moves on.
 */
export abstract class FrameProcessor {
  abstract readonly name: string;
  #outputs: FrameListener[] = [];
  #errorListener: ErrorListener | undefined;
  #queue: Frame[] = [];
  #busy = false;
  #ended = false;
  #idleWaiters: (() => void)[] = [];

  /** Links `next` downstream and returns it, so chains read `a.pipe(b).pipe(c)`. */
  pipe<T extends FrameProcessor>(next: T): T {
    this.#outputs.push((frame) => next.push(frame));
    return next;
  }

  onFrame(listener: FrameListener): this {
    this.#outputs.push(listener);
    return this;
  }

  onError(listener: ErrorListener): this {
    this.#errorListener = listener;
    return this;
  }

  /** Frames waiting behind an asynchronous process() call. */
  get queuedFrames(): number {
    return this.#queue.length;
  }

  /** Resolves once every frame pushed so far has been processed (asynchronous work included). */
  whenIdle(): Promise<void> {
    if (!this.#busy && this.#queue.length === 0 && this.pendingWork() === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  push(frame: Frame): void {
    if (this.#ended) return;
    if (isSystemFrame(frame)) {
      this.#handleSystem(frame);
      return;
    }
    this.#queue.push(frame);
    if (!this.#busy) this.#drain();
  }

  /** Handles one data or control frame; return a promise to hold the frames behind it until it settles. */
  protected abstract process(frame: Frame): void | Promise<void>;

  /** Work a subclass started without holding the queue (a render in flight); see notifyIdle(). */
  protected pendingWork(): number {
    return 0;
  }

  /** A subclass calls this when its pendingWork() may have dropped to zero. */
  protected notifyIdle(): void {
    if (this.#busy || this.#queue.length > 0 || this.pendingWork() > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Runs when a system frame passes; the default does nothing extra. The frame is forwarded afterwards. */
  protected onSystem(_frame: SystemFrame): void {}

  protected emit(frame: Frame): void {
    for (const output of this.#outputs) output(frame);
  }

  protected report(error: unknown): void {
    if (this.#errorListener) this.#errorListener(error, this.name);
    else
      queueMicrotask(() => {
        throw error;
      });
  }

  #handleSystem(frame: SystemFrame): void {
    if (frame.kind === 'interrupt') this.#queue = this.#queue.filter((queued) => !isDataFrame(queued));
    else {
      this.#queue = [];
      this.#ended = true;
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }
    try {
      this.onSystem(frame);
    } catch (error) {
      this.report(error);
    }
    this.emit(frame);
  }

  // #busy also covers the synchronous loop, so a frame pushed back in from inside process() waits its turn.
  #drain(): void {
    this.#busy = true;
    while (this.#queue.length > 0) {
      const frame = this.#queue.shift()!;
      let result: void | Promise<void>;
      try {
        result = this.process(frame);
      } catch (error) {
        this.report(error);
        continue;
      }
      if (result instanceof Promise) {
        result.catch((error: unknown) => this.report(error)).finally(() => this.#drain());
        return;
      }
    }
    this.#busy = false;
    this.notifyIdle();
  }
}

/** Links processors in order and returns the first and the last. */
export function chain(...processors: FrameProcessor[]): { head: FrameProcessor; tail: FrameProcessor } {
  const head = processors[0];
  if (!head) throw new Error('chain() needs at least one processor');
  let tail = head;
  for (const next of processors.slice(1)) tail = tail.pipe(next);
  return { head, tail };
}
