/** @module One session's slot on a render worker: render requests out, transferred frames back, in order. */
import type { Worker } from 'node:worker_threads';
import type { FaceParams, MouthKeyframe } from '../animation/params.js';
import { LiveError } from '../pipeline/live-error.js';
import type { VideoFrame } from '../render/renderer.js';
import type { FromWorker, LipSyncOp, ToWorker } from './render-protocol.js';

export interface RenderedFrame {
  frame: VideoFrame;
  /** Time the renderer took inside the worker. */
  renderMs: number;
}

/** Enough for the frames in flight between the worker and the room's pacer. */
const MAX_SPARE_BUFFERS = 4;

interface MouthPending {
  resolve: (keyframes: MouthKeyframe[]) => void;
  reject: (error: Error) => void;
}

/** What one worker thread has done, counted on the main thread (shared by the lanes of that worker). */
export interface WorkerCounts {
  /** Speech frames the thread drew (requests marked `speaking`). */
  speechFrames: number;
  /** Lip-sync steps (push, flush, reset) the thread answered. */
  lipSyncSteps: number;
}

interface Pending {
  /** undefined: the worker skipped the request (past its skipAfter). */
  resolve: (frame: RenderedFrame | undefined) => void;
  reject: (error: Error) => void;
  speaking: boolean;
}

export class RenderLane {
  readonly id: number;
  width = 0;
  height = 0;
  readonly #worker: Worker;
  readonly #onClose: (lane: RenderLane) => void;
  readonly #counts: WorkerCounts;
  #pending = new Map<number, Pending>();
  #mouthPending = new Map<number, MouthPending>();
  /** Worker time spent on this lane's lip-sync, ms (a figure for benchmarks). */
  lipSyncMs = 0;
  #seq = 0;
  #closed = false;
  #failure: Error | undefined;
  /** Frame buffers their last reader handed back (VideoFrame.recycle), sent with the next render requests. */
  #spare: ArrayBuffer[] = [];

  constructor(
    id: number,
    worker: Worker,
    onClose: (lane: RenderLane) => void,
    counts: WorkerCounts = { speechFrames: 0, lipSyncSteps: 0 },
  ) {
    this.id = id;
    this.#worker = worker;
    this.#onClose = onClose;
    this.#counts = counts;
  }

  /** Render requests sent and not yet answered. */
  get inFlight(): number {
    return this.#pending.size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * The worker draws the waiting frame due first (`deadline`, absolute ms: performance.timeOrigin + now), a
   * `speaking` frame counting a frame earlier than an idle one; each lane's own frames keep their order. With
   * `skipAfter` (absolute ms) a request the worker reaches only after that resolves undefined, undrawn.
   */
  render(params: FaceParams, ptsMs: number, speaking?: boolean, deadline?: number): Promise<RenderedFrame>;
  render(
    params: FaceParams,
    ptsMs: number,
    speaking: boolean,
    deadline: number | undefined,
    skipAfter: number | undefined,
  ): Promise<RenderedFrame | undefined>;
  render(
    params: FaceParams,
    ptsMs: number,
    speaking = false,
    deadline?: number,
    skipAfter?: number,
  ): Promise<RenderedFrame | undefined> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.reject(new LiveError('SESSION_ENDED', 'render lane is closed'));
    const seq = this.#seq++;
    return new Promise((resolve, reject) => {
      this.#pending.set(seq, { resolve, reject, speaking });
      const buffer = this.#spare.pop();
      const message: ToWorker = { type: 'render', laneId: this.id, seq, params, ptsMs, speaking, buffer };
      if (deadline !== undefined) message.deadline = deadline;
      if (skipAfter !== undefined) message.skipAfter = skipAfter;
      this.#worker.postMessage(message, buffer ? [buffer] : []);
    });
  }

  /**
   * One step of the lane's streaming lip-sync (opened with `lipSync`), run in the worker in the order sent;
   * resolves with the keyframes it produced. `pcm`'s buffer is transferred: pass a copy the caller owns whole.
   * `deadline` (absolute ms): when that audio plays; the worker may put off a step far ahead of it while it has
   * frames to draw.
   */
  lipSync(op: LipSyncOp, pcm?: Int16Array, deadline?: number, notBefore?: number): Promise<MouthKeyframe[]> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.reject(new LiveError('SESSION_ENDED', 'render lane is closed'));
    const seq = this.#seq++;
    return new Promise((resolve, reject) => {
      this.#mouthPending.set(seq, { resolve, reject });
      const message: ToWorker = {
        type: 'lipsync',
        laneId: this.id,
        seq,
        op,
        ...(pcm ? { pcm } : {}),
        ...(deadline !== undefined ? { deadline } : {}),
        ...(notBefore !== undefined ? { notBefore } : {}),
      };
      this.#worker.postMessage(message, pcm ? [pcm.buffer as ArrayBuffer] : []);
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#failure) this.#post({ type: 'close', laneId: this.id });
    this.#spare = [];
    this.#rejectAll(new LiveError('SESSION_ENDED', 'render lane closed'));
    this.#onClose(this);
  }

  /** @internal Called by the pool with this lane's messages. */
  receive(message: FromWorker): void {
    if (message.type === 'frame') {
      const pending = this.#pending.get(message.seq);
      this.#pending.delete(message.seq);
      if (!pending) return;
      if (pending.speaking) this.#counts.speechFrames++;
      const frame = message.frame;
      let recycled = false;
      frame.recycle = () => {
        // Twice would hand one buffer to two frames; a closed lane renders no more.
        if (recycled || this.#closed || this.#spare.length >= MAX_SPARE_BUFFERS) return;
        recycled = true;
        this.#spare.push(frame.data.buffer as ArrayBuffer);
      };
      pending.resolve({ frame, renderMs: message.renderMs });
    } else if (message.type === 'skipped') {
      const pending = this.#pending.get(message.seq);
      this.#pending.delete(message.seq);
      if (message.buffer && !this.#closed && this.#spare.length < MAX_SPARE_BUFFERS)
        this.#spare.push(message.buffer);
      pending?.resolve(undefined);
    } else if (message.type === 'mouth') {
      const pending = this.#mouthPending.get(message.seq);
      this.#mouthPending.delete(message.seq);
      this.lipSyncMs += message.analyseMs;
      this.#counts.lipSyncSteps++;
      pending?.resolve(message.keyframes);
    } else if (message.type === 'failed' && message.lipSync && message.seq !== undefined) {
      const pending = this.#mouthPending.get(message.seq);
      this.#mouthPending.delete(message.seq);
      pending?.reject(new LiveError('RENDER_FAILED', `lip-sync failed: ${message.message}`));
    } else if (message.type === 'failed' && message.seq !== undefined) {
      const pending = this.#pending.get(message.seq);
      this.#pending.delete(message.seq);
      pending?.reject(new LiveError('RENDER_FAILED', `renderer failed: ${message.message}`));
    }
  }

  /** @internal The worker died: every request, now and later, fails with this error. */
  fail(error: Error): void {
    this.#failure = error;
    this.#rejectAll(error);
  }

  #rejectAll(error: Error): void {
    const pending = [...this.#pending.values(), ...this.#mouthPending.values()];
    this.#pending.clear();
    this.#mouthPending.clear();
    for (const { reject } of pending) reject(error);
  }

  #post(message: ToWorker): void {
    this.#worker.postMessage(message);
  }
}
