/** @module One session's slot on a render worker: render requests out, transferred frames back, in order. */
import type { Worker } from 'node:worker_threads';
import type { FaceParams } from '../animation/params.js';
import { LiveError } from '../pipeline/live-error.js';
import type { VideoFrame } from '../render/renderer.js';
import type { FromWorker, ToWorker } from './render-protocol.js';

export interface RenderedFrame {
  frame: VideoFrame;
  /** Time the renderer took inside the worker. */
  renderMs: number;
}

/** Enough for the frames in flight between the worker and the room's pacer. */
const MAX_SPARE_BUFFERS = 4;

interface Pending {
  resolve: (frame: RenderedFrame) => void;
  reject: (error: Error) => void;
}

export class RenderLane {
  readonly id: number;
  width = 0;
  height = 0;
  readonly #worker: Worker;
  readonly #onClose: (lane: RenderLane) => void;
  #pending = new Map<number, Pending>();
  #seq = 0;
  #closed = false;
  #failure: Error | undefined;
  /** Frame buffers their last reader handed back (VideoFrame.recycle), sent with the next render requests. */
  #spare: ArrayBuffer[] = [];

  constructor(id: number, worker: Worker, onClose: (lane: RenderLane) => void) {
    this.id = id;
    this.#worker = worker;
    this.#onClose = onClose;
  }

  /** Render requests sent and not yet answered. */
  get inFlight(): number {
    return this.#pending.size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  render(params: FaceParams, ptsMs: number): Promise<RenderedFrame> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.reject(new LiveError('SESSION_ENDED', 'render lane is closed'));
    const seq = this.#seq++;
    return new Promise((resolve, reject) => {
      this.#pending.set(seq, { resolve, reject });
      const buffer = this.#spare.pop();
      const message: ToWorker = { type: 'render', laneId: this.id, seq, params, ptsMs, buffer };
      this.#worker.postMessage(message, buffer ? [buffer] : []);
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
      const frame = message.frame;
      let recycled = false;
      frame.recycle = () => {
        // Twice would hand one buffer to two frames; a closed lane renders no more.
        if (recycled || this.#closed || this.#spare.length >= MAX_SPARE_BUFFERS) return;
        recycled = true;
        this.#spare.push(frame.data.buffer as ArrayBuffer);
      };
      pending.resolve({ frame, renderMs: message.renderMs });
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
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const { reject } of pending) reject(error);
  }

  #post(message: ToWorker): void {
    this.#worker.postMessage(message);
  }
}
