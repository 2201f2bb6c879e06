/** @module A pool of render worker threads, sized to the cores; sessions get lanes on the least-loaded one. */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { LiveError } from '../pipeline/live-error.js';
import { RenderLane, type WorkerCounts } from './render-lane.js';
import type { FromWorker, ToWorker } from './render-protocol.js';
import type { LaneOptions, RendererSpec } from './renderer-spec.js';

export interface RenderWorkerPoolOptions {
  /** Worker threads at most; defaults to the machine's available parallelism. */
  size?: number;
}

export interface WorkerLoad extends WorkerCounts {
  threadId: number;
  lanes: number;
}

interface Slot {
  worker: Worker;
  lanes: Map<number, RenderLane>;
  opening: Map<
    number,
    { resolve: (lane: RenderLane) => void; reject: (error: Error) => void; lane: RenderLane }
  >;
  dead: boolean;
  /** Speech frames and lip-sync steps this thread has done (a warmed thread has run its speaking path). */
  counts: WorkerCounts;
}

const bootstrapUrl = new URL('./render-worker-bootstrap.mjs', import.meta.url);

// Workers inherit the parent's flags (--import loaders, --conditions); --input-type would make them refuse to start.
function workerExecArgv(): string[] {
  return process.execArgv.filter((arg) => !arg.startsWith('--input-type'));
}

/**
 * Workers start on demand, up to `size`, so a process that renders one session runs one thread. A new lane goes
 * to a worker with no lanes if one can be had, else to the one with the fewest. A worker that dies fails its
 * lanes (their sessions report it) and leaves the pool; later lanes go to a fresh worker.
 */
export class RenderWorkerPool {
  readonly size: number;
  #slots: Slot[] = [];
  #nextLaneId = 1;
  #closed = false;

  constructor(options: RenderWorkerPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? availableParallelism());
  }

  get load(): WorkerLoad[] {
    return this.#slots.map((slot) => ({
      threadId: slot.worker.threadId,
      lanes: slot.lanes.size,
      ...slot.counts,
    }));
  }

  /** Opens a lane: the worker builds the renderer from `spec`; resolves once it is ready to render. */
  openLane(spec: RendererSpec, options: LaneOptions): Promise<RenderLane> {
    if (this.#closed) return Promise.reject(new LiveError('SESSION_ENDED', 'render worker pool is closed'));
    const slot = this.#pickSlot();
    const laneId = this.#nextLaneId++;
    const lane = new RenderLane(laneId, slot.worker, (closed) => slot.lanes.delete(closed.id), slot.counts);
    slot.lanes.set(laneId, lane);
    return new Promise((resolve, reject) => {
      slot.opening.set(laneId, { resolve, reject, lane });
      const message: ToWorker = { type: 'open', laneId, spec, format: options.format };
      if (options.lipSync) message.lipSync = options.lipSync;
      if (options.warmPoses) message.warmPoses = true;
      slot.worker.postMessage(message);
    });
  }

  /** Terminates every worker; lanes still open fail with SESSION_ENDED. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const slots = this.#slots;
    this.#slots = [];
    for (const slot of slots) {
      slot.dead = true;
      this.#failSlot(slot, new LiveError('SESSION_ENDED', 'render worker pool closed'));
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  #pickSlot(): Slot {
    const live = this.#slots.filter((slot) => !slot.dead);
    const empty = live.find((slot) => slot.lanes.size === 0);
    if (empty) return empty;
    if (live.length < this.size) return this.#spawn();
    return live.reduce((best, slot) => (slot.lanes.size < best.lanes.size ? slot : best));
  }

  #spawn(): Slot {
    const worker = new Worker(bootstrapUrl, { execArgv: workerExecArgv() });
    const slot: Slot = {
      worker,
      lanes: new Map(),
      opening: new Map(),
      dead: false,
      counts: { speechFrames: 0, lipSyncSteps: 0 },
    };
    worker.on('message', (message: FromWorker) => this.#receive(slot, message));
    worker.on('error', (error) => this.#died(slot, error));
    worker.on('exit', (code) => this.#died(slot, new Error(`exited with code ${code}`)));
    this.#slots.push(slot);
    return slot;
  }

  #receive(slot: Slot, message: FromWorker): void {
    const opening = slot.opening.get(message.laneId);
    if (opening && message.type === 'opened') {
      slot.opening.delete(message.laneId);
      opening.lane.width = message.width;
      opening.lane.height = message.height;
      opening.resolve(opening.lane);
      return;
    }
    if (opening && message.type === 'failed' && message.seq === undefined) {
      slot.opening.delete(message.laneId);
      slot.lanes.delete(message.laneId);
      opening.reject(new LiveError('RENDER_FAILED', message.message));
      return;
    }
    slot.lanes.get(message.laneId)?.receive(message);
  }

  #died(slot: Slot, error: Error): void {
    if (slot.dead) return;
    slot.dead = true;
    this.#slots = this.#slots.filter((other) => other !== slot);
    this.#failSlot(
      slot,
      new LiveError('RENDER_WORKER_FAILED', `render worker failed: ${error.message}`, { cause: error }),
    );
  }

  #failSlot(slot: Slot, error: Error): void {
    for (const { reject } of slot.opening.values()) reject(error);
    slot.opening.clear();
    for (const lane of slot.lanes.values()) lane.fail(error);
  }
}
