/**
 * @module Runs inside a render worker: each lane's streaming lip-sync (audio → mouth keyframes), off the main
 * thread. Analysis (~21–35 ms per second of audio) shares the thread with rendering, so a long chunk (a TTS
 * sentence) must not hold up the frames queued behind it: work runs within a per-turn budget and the rest waits
 * a turn, during which render requests are handled. Each lane's steps run in the order sent, so its keyframes
 * are exactly those of the same lip-sync run on the main thread.
 */
import { performance } from 'node:perf_hooks';
import type { MouthKeyframe } from '../animation/params.js';
// This thread's own instance of the per-turn budget (module state is per thread).
import { chargeTurn, turnBudgetLeft } from '../pipeline/turn-budget.js';
import type { LipSyncOp } from './render-protocol.js';
import type { RendererSpec } from './renderer-spec.js';

/** The lane's lip-sync object, as the pipeline's LipSync port has it. */
export interface WorkerLipSync {
  push(pcm: Int16Array): MouthKeyframe[];
  flush?(): MouthKeyframe[];
  reset(): void;
}

export type LipSyncReply = (
  laneId: number,
  seq: number,
  keyframes: MouthKeyframe[],
  analyseMs: number,
) => void;
export type LipSyncFailure = (laneId: number, seq: number, message: string) => void;

interface Job {
  laneId: number;
  seq: number;
  op: LipSyncOp;
  pcm: Int16Array | undefined;
}

export class LipSyncJobs {
  readonly #lanes = new Map<number, Promise<WorkerLipSync>>();
  readonly #ready = new Map<number, WorkerLipSync>();
  readonly #jobs: Job[] = [];
  #scheduled = false;

  constructor(
    private readonly reply: LipSyncReply,
    private readonly failed: LipSyncFailure,
  ) {}

  open(laneId: number, spec: RendererSpec): Promise<void> {
    const building = (async () => {
      const module = (await import(spec.module)) as Record<string, unknown>;
      const factory = module[spec.export];
      if (typeof factory !== 'function')
        throw new Error(`${spec.module} has no function export "${spec.export}"`);
      const lipSync = (await factory(spec.options)) as WorkerLipSync;
      this.#ready.set(laneId, lipSync);
      return lipSync;
    })();
    this.#lanes.set(laneId, building);
    return building.then(() => undefined);
  }

  close(laneId: number): void {
    this.#lanes.delete(laneId);
    this.#ready.delete(laneId);
  }

  submit(laneId: number, seq: number, op: LipSyncOp, pcm: Int16Array | undefined): void {
    if (!this.#lanes.has(laneId)) {
      this.failed(laneId, seq, 'lane has no lip-sync');
      return;
    }
    this.#jobs.push({ laneId, seq, op, pcm });
    this.#run();
  }

  #run(): void {
    while (this.#jobs.length > 0) {
      const job = this.#jobs[0]!;
      const lipSync = this.#ready.get(job.laneId);
      if (!lipSync) {
        if (!this.#lanes.has(job.laneId)) {
          this.#jobs.shift();
          continue;
        }
        // Still loading: everything behind waits, in order.
        void this.#lanes.get(job.laneId)!.then(
          () => this.#run(),
          () => this.#dropLane(job.laneId),
        );
        return;
      }
      if (!turnBudgetLeft()) {
        this.#later();
        return;
      }
      this.#jobs.shift();
      const started = performance.now();
      let keyframes: MouthKeyframe[] = [];
      try {
        if (job.op === 'push') keyframes = job.pcm ? lipSync.push(job.pcm) : [];
        else if (job.op === 'flush') keyframes = lipSync.flush?.() ?? [];
        else lipSync.reset();
      } catch (error) {
        this.failed(job.laneId, job.seq, error instanceof Error ? error.message : String(error));
        continue;
      }
      const analyseMs = performance.now() - started;
      chargeTurn(analyseMs);
      this.reply(job.laneId, job.seq, keyframes, analyseMs);
    }
  }

  #later(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#run();
    });
  }

  #dropLane(laneId: number): void {
    for (const job of this.#jobs.filter((j) => j.laneId === laneId))
      this.failed(laneId, job.seq, 'lip-sync could not be built');
    this.#jobs.splice(0, this.#jobs.length, ...this.#jobs.filter((j) => j.laneId !== laneId));
    this.close(laneId);
    this.#run();
  }
}
