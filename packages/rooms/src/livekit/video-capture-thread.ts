/**
 * rtc-node's `VideoSource.captureFrame` on a thread of its own. The call is one synchronous FFI request that
 * copies the I420 planes into libwebrtc and hands the frame to its encoder: ~0.9 ms per 640×480 frame on this
 * machine, the largest single cost of a LiveKit session on the main event loop (bench:livekit, --cpu-prof),
 * where it delays every session's media clock. Here the main thread only copies the frame into a shared slot
 * (~0.05 ms) and posts its index; one worker per process makes the request (video-capture-worker.mjs).
 *
 * Each lane (one video source) owns SLOTS shared buffers and an Int32Array of their states (FREE / QUEUED): the
 * main thread fills a FREE slot and marks it QUEUED, the worker marks it FREE again once captured, so no message
 * comes back per frame. With every slot still queued (the worker is over SLOTS frames behind) the frame is
 * skipped and counted: a frame that late would only step the track back in time.
 */
import { Worker } from 'node:worker_threads';

const SLOTS = 4;
const QUEUED = 1;
const FREE = 0;
const CLOSE_TIMEOUT_MS = 1000;

type FromWorker =
  | { type: 'ready'; tid?: number }
  | { type: 'closed'; lane: number }
  | { type: 'failed'; lane: number; message: string };

const ENTRY = new URL('./video-capture-worker.mjs', import.meta.url);

class CaptureThread {
  readonly #worker: Worker;
  readonly #closing = new Map<number, () => void>();
  readonly #failures = new Map<number, (message: string) => void>();
  #dead = false;
  #ready = false;
  /** The OS thread id (Linux), for CPU accounting. */
  tid: number | undefined;
  readonly started: Promise<boolean>;
  #onStarted: (ok: boolean) => void = () => undefined;
  #nextLane = 1;

  constructor() {
    this.started = new Promise((resolve) => {
      this.#onStarted = resolve;
    });
    this.#worker = new Worker(ENTRY);
    this.#worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') {
        this.#ready = true;
        this.tid = message.tid;
        // Started: from now on the thread must not keep the process alive (idle, it has no reason to).
        this.#worker.unref();
        this.#onStarted(true);
      } else if (message.type === 'closed') {
        this.#closing.get(message.lane)?.();
        this.#closing.delete(message.lane);
      } else this.#failures.get(message.lane)?.(message.message);
    });
    const died = () => {
      this.#dead = true;
      this.#onStarted(false);
      for (const done of this.#closing.values()) done();
      this.#closing.clear();
      if (thread === this) thread = undefined;
    };
    this.#worker.on('error', died);
    this.#worker.on('exit', died);
  }

  get dead(): boolean {
    return this.#dead;
  }

  /** Loaded and taking frames; until then (~0.2 s after the first lane) lanes refuse them. */
  get ready(): boolean {
    return this.#ready && !this.#dead;
  }

  open(
    handle: bigint,
    width: number,
    height: number,
    onFailure: (message: string) => void,
  ): VideoCaptureLane {
    const lane = this.#nextLane++;
    const frameBytes = width * height + 2 * Math.trunc((width + 1) / 2) * Math.trunc((height + 1) / 2);
    const slots = Array.from({ length: SLOTS }, () => new SharedArrayBuffer(frameBytes));
    const state = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT);
    this.#failures.set(lane, onFailure);
    this.#worker.postMessage({ type: 'open', lane, handle, width, height, slots, state });
    return new VideoCaptureLane(this, lane, frameBytes, slots, new Int32Array(state));
  }

  /** @internal */
  post(message: { type: 'frame'; lane: number; slot: number; timestampUs: number }): void {
    this.#worker.postMessage(message);
  }

  /** @internal Resolves once every frame the lane sent has been captured (or the worker is gone). */
  close(lane: number): Promise<void> {
    this.#failures.delete(lane);
    if (this.#dead) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#closing.delete(lane);
        resolve();
      }, CLOSE_TIMEOUT_MS);
      this.#closing.set(lane, () => {
        clearTimeout(timer);
        resolve();
      });
      this.#worker.postMessage({ type: 'close', lane });
    });
  }
}

/** One video source's frames, captured in order on the capture thread. */
export class VideoCaptureLane {
  readonly #thread: CaptureThread;
  readonly #lane: number;
  readonly #frameBytes: number;
  readonly #slots: Uint8Array[];
  readonly #state: Int32Array;
  #next = 0;
  #closed: Promise<void> | undefined;
  /** Frames skipped because every slot was still waiting for the capture thread. */
  skipped = 0;

  /** @internal */
  constructor(
    thread: CaptureThread,
    lane: number,
    frameBytes: number,
    slots: SharedArrayBuffer[],
    state: Int32Array,
  ) {
    this.#thread = thread;
    this.#lane = lane;
    this.#frameBytes = frameBytes;
    this.#slots = slots.map((slot) => new Uint8Array(slot));
    this.#state = state;
  }

  /**
   * Copies the frame into a free slot and queues it. `refused` when the thread is not running (yet), the lane
   * closed or the frame is not of the lane's size (the caller captures it itself); `skipped` when every slot is still queued.
   */
  capture(data: Uint8Array, timestampUs: number): 'queued' | 'skipped' | 'refused' {
    if (this.#closed || !this.#thread.ready || data.byteLength !== this.#frameBytes) return 'refused';
    const slot = this.#next;
    if (Atomics.load(this.#state, slot) !== FREE) {
      this.skipped++;
      return 'skipped';
    }
    this.#slots[slot]!.set(data.subarray(0, this.#frameBytes));
    Atomics.store(this.#state, slot, QUEUED);
    this.#next = (slot + 1) % SLOTS;
    this.#thread.post({ type: 'frame', lane: this.#lane, slot, timestampUs });
    return 'queued';
  }

  /** Resolves once every queued frame has reached rtc-node; only then may the source's handle be disposed. */
  close(): Promise<void> {
    this.#closed ??= this.#thread.close(this.#lane);
    return this.#closed;
  }
}

let thread: CaptureThread | undefined;
let enabled = true;

/**
 * Process-wide switch (default on): off, new video sinks capture on their own thread, as rtc-node does. For
 * benchmarks comparing both, and a way out should a binding ever refuse requests from a second thread.
 */
export function useVideoCaptureThread(on: boolean): void {
  enabled = on;
}

/** The capture thread's OS thread id once it runs (Linux), for per-thread CPU figures. */
export function videoCaptureThreadId(): number | undefined {
  return thread?.dead === false ? thread.tid : undefined;
}

function runningThread(): CaptureThread {
  if (!thread || thread.dead) thread = new CaptureThread();
  return thread;
}

/**
 * Starts the process's capture thread if it is not running; resolves true once it takes frames (false if it
 * could not start). Joins call it first, so the thread is up (~0.2 s) before their first frame.
 */
export function startVideoCaptureThread(): Promise<boolean> {
  if (!enabled) return Promise.resolve(false);
  try {
    return runningThread().started;
  } catch {
    return Promise.resolve(false);
  }
}

/**
 * A lane on the process's capture thread for the rtc-node video source `handle`, or undefined where no thread can
 * be started (the caller then captures on its own thread).
 */
export function openVideoCaptureLane(
  handle: bigint,
  width: number,
  height: number,
  onFailure: (message: string) => void,
): VideoCaptureLane | undefined {
  if (!enabled) return undefined;
  try {
    return runningThread().open(handle, width, height, onFailure);
  } catch {
    return undefined;
  }
}
