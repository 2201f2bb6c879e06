/** @module The threads that own recordings' ffmpeg children: started on demand, shared by the recordings. */
import { Worker } from 'node:worker_threads';
import type { FromEncoderThread, ToEncoderThread } from './encoder-protocol.js';

export interface EncoderThreadsOptions {
  /** Threads at most (default 1: one thread writes every recording's pipes at a fraction of a core). */
  size?: number;
  /** Niceness of each thread (default 10, as the ffmpeg children; never below the main thread's). */
  niceness?: number;
}

/** What a thread tells one encoder: its file is finished, or it failed. */
export interface EncoderEndpoint {
  receive(message: FromEncoderThread): void;
  /** The thread died: the encoder fails with this error. */
  lost(error: Error): void;
}

interface Slot {
  worker: Worker;
  /** Settles once the thread has loaded (or died). */
  ready: Promise<void>;
  encoders: Map<number, EncoderEndpoint>;
  dead: boolean;
}

/** A handle on one encoder's thread. */
export interface EncoderLink {
  post(message: ToEncoderThread): void;
  /** The encoder is done (closed, killed or failed): the thread no longer keeps the process alive for it. */
  release(): void;
}

const bootstrapUrl = new URL('./encoder-worker-bootstrap.mjs', import.meta.url);

/**
 * A recording goes to a thread with no recordings if one can be had under `size`, else to the one with the
 * fewest. A loaded thread with no open recording is unref'd, so it never keeps a process from exiting; a thread
 * that dies fails its recordings and leaves the set.
 */
export class EncoderThreads {
  readonly size: number;
  readonly #niceness: number;
  #slots: Slot[] = [];
  #nextId = 1;

  constructor(options: EncoderThreadsOptions = {}) {
    this.size = Math.max(1, options.size ?? 1);
    this.#niceness = options.niceness ?? 10;
  }

  /** Recordings per thread (for tests and benchmarks). */
  get load(): number[] {
    return this.#slots.map((slot) => slot.encoders.size);
  }

  /**
   * Starts every thread now (a thread takes a while to load: hundreds of ms on a busy host, while a recording's
   * first frames would wait in its slots); resolves once they have loaded.
   */
  warm(): Promise<void> {
    while (this.#slots.filter((slot) => !slot.dead).length < this.size) this.#spawn();
    return Promise.all(this.#slots.map((slot) => slot.ready)).then(() => undefined);
  }

  attach(endpoint: EncoderEndpoint): { id: number; link: EncoderLink } {
    const slot = this.#pick();
    const id = this.#nextId++;
    slot.encoders.set(id, endpoint);
    slot.worker.ref();
    return {
      id,
      link: {
        post: (message) => {
          if (!slot.dead) slot.worker.postMessage(message);
        },
        release: () => {
          slot.encoders.delete(id);
          if (slot.encoders.size === 0) slot.worker.unref();
        },
      },
    };
  }

  /** Stops every thread (their ffmpeg children see EOF and finish their files); open encoders fail. */
  async close(): Promise<void> {
    const slots = this.#slots;
    this.#slots = [];
    for (const slot of slots) this.#died(slot, new Error('encoder threads closed'));
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  #pick(): Slot {
    const live = this.#slots.filter((slot) => !slot.dead);
    const empty = live.find((slot) => slot.encoders.size === 0);
    if (empty) return empty;
    if (live.length < this.size) return this.#spawn();
    return live.reduce((best, slot) => (slot.encoders.size < best.encoders.size ? slot : best));
  }

  #spawn(): Slot {
    // Like the render workers: inherit the parent's flags except --input-type, which a worker refuses.
    const execArgv = process.execArgv.filter((arg) => !arg.startsWith('--input-type'));
    const worker = new Worker(bootstrapUrl, { execArgv, workerData: { niceness: this.#niceness } });
    let loaded = () => {};
    const ready = new Promise<void>((resolve) => {
      loaded = resolve;
    });
    const slot: Slot = { worker, ready, encoders: new Map(), dead: false };
    worker.on('message', (message: FromEncoderThread) => {
      if (message.type !== 'ready') return slot.encoders.get(message.id)?.receive(message);
      loaded();
      // Kept referenced while it loads: a process waiting on `warm()` alone would otherwise exit.
      if (slot.encoders.size === 0) worker.unref();
    });
    worker.once('exit', () => loaded());
    worker.on('error', (error) => this.#died(slot, error));
    worker.on('exit', (code) => this.#died(slot, new Error(`encoder thread exited with code ${code}`)));
    this.#slots.push(slot);
    return slot;
  }

  #died(slot: Slot, error: Error): void {
    if (slot.dead) return;
    slot.dead = true;
    this.#slots = this.#slots.filter((other) => other !== slot);
    const endpoints = [...slot.encoders.values()];
    slot.encoders.clear();
    for (const endpoint of endpoints) endpoint.lost(error);
  }
}

let shared: EncoderThreads | undefined;

/** The process's encoder threads, started with the first recording. */
export function sharedEncoderThreads(): EncoderThreads {
  shared ??= new EncoderThreads();
  return shared;
}
