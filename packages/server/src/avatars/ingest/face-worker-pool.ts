/**
 * @module Runs face ingest on worker threads so the API's event loop stays responsive: the model (tfjs on
 * wasm) and the crop rendering are synchronous CPU work of ~0.1–0.4 s per photo. `size` workers each take one
 * photo at a time (tfjs state is per thread); further uploads wait in a bounded queue, and beyond it the
 * server answers 503 rather than piling up memory. Workers start on first use and are replaced if one dies.
 */
import { Worker } from 'node:worker_threads';
import { AppError } from '../../http/app-error.js';
import type { FaceIngestor, FaceTask, IngestOutcome, PublicAvatarImages } from './face-ingest.js';
import type { WorkerReply, WorkerResult } from './face-worker-main.js';

export type FaceWorkerPoolOptions = {
  size: number;
  /** Uploads allowed to wait for a free worker. */
  maxQueue: number;
  /** A photo that takes longer kills its worker (a stuck decode must not hold the slot forever). */
  jobTimeoutMs?: number;
};

type Job = {
  id: number;
  task: FaceTask;
  resolve: (result: WorkerResult) => void;
  reject: (error: unknown) => void;
};

type Slot = { worker: Worker; job: Job | undefined; timer: NodeJS.Timeout | undefined };

const ENTRY = new URL('./face-worker.mjs', import.meta.url);

export function createFaceWorkerPool(options: FaceWorkerPoolOptions): FaceIngestor {
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;

  function spawn(): Slot {
    const slot: Slot = { worker: new Worker(ENTRY), job: undefined, timer: undefined };
    slot.worker.on('message', (reply: WorkerReply) => {
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      finish(slot);
      if ('error' in reply) job.reject(new Error(`face ingest failed: ${reply.error}`));
      else job.resolve(reply.result);
      pump();
    });
    const die = (error: unknown) => {
      const job = slot.job;
      slots.splice(slots.indexOf(slot), 1);
      if (slot.timer) clearTimeout(slot.timer);
      job?.reject(
        new Error(`face worker stopped: ${error instanceof Error ? error.message : String(error)}`),
      );
      if (!closed) pump();
    };
    slot.worker.on('error', die);
    slot.worker.on('exit', (code) => {
      if (slots.includes(slot)) die(new Error(`exit code ${code}`));
    });
    slots.push(slot);
    return slot;
  }

  function finish(slot: Slot) {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.job = undefined;
  }

  function pump() {
    while (queue.length > 0) {
      let slot = slots.find((s) => !s.job);
      if (!slot && slots.length < options.size) slot = spawn();
      if (!slot) return;
      const job = queue.shift()!;
      slot.job = job;
      const busy = slot;
      busy.timer = setTimeout(() => {
        void busy.worker.terminate();
      }, options.jobTimeoutMs ?? 60_000);
      busy.worker.postMessage({ id: job.id, task: job.task });
    }
  }

  function run(task: FaceTask): Promise<WorkerResult> {
    if (closed) return Promise.reject(new Error('face worker pool is closed'));
    const waiting = queue.length + slots.filter((s) => s.job).length - options.size;
    if (waiting >= options.maxQueue) {
      return Promise.reject(
        new AppError('NO_CAPACITY', 'Too many avatar uploads are being processed right now', {
          suggestion: 'Retry in a few seconds',
        }),
      );
    }
    return new Promise<WorkerResult>((resolve, reject) => {
      queue.push({ id: nextId++, task, resolve, reject });
      pump();
    });
  }

  return {
    ingest: (bytes) => run({ kind: 'ingest', bytes }) as Promise<IngestOutcome>,
    renderPublic: (slug) => run({ kind: 'public', slug }) as Promise<PublicAvatarImages>,
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('server shutting down'));
      await Promise.all(slots.splice(0).map((s) => s.worker.terminate()));
    },
  };
}
