/**
 * @module Runs inside a render worker: each lane's streaming lip-sync (audio → mouth keyframes), off the main
 * thread. Analysis (~21–35 ms per second of audio) shares the thread with rendering, so a long chunk (a TTS
 * sentence) must not hold up the frames queued behind it: work runs within a per-turn budget and the rest waits
 * a turn, during which render requests are handled. Each lane's steps run in the order sent, so its keyframes
 * are exactly those of the same lip-sync run on the main thread.
 *
 * An agent's TTS arrives faster than real time (a 6 s reply in one burst: ~190 ms of analysis), and at a reply's
 * start every session on the thread has such a backlog just as its head blends off the idle loop (frames drawn
 * uncached). So a step whose audio plays more than `PUT_OFF_MS` from now waits while frames are queued, and runs
 * once none are or once it comes that close: the thread draws the frames due now before analysing audio due in
 * seconds.
 */
import { performance } from 'node:perf_hooks';
import type { MouthKeyframe } from '../animation/params.js';
// This thread's own instance of the per-turn budget (module state is per thread).
import { chargeTurn, turnBudgetLeft } from '../pipeline/turn-budget.js';
import type { LipSyncOp } from './render-protocol.js';
import type { RendererSpec } from './renderer-spec.js';

/**
 * A step whose audio starts playing later than this (ms from now) is put off while frames wait to be drawn: far
 * enough ahead that its keyframes are ready before its frames' ticks (which wait at most 20 ms for them) even on a
 * worker 80 ms behind, with frames and lip-sync sharing the thread.
 */
export const PUT_OFF_MS = 240;

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
  /** When its audio plays, absolute ms (performance.timeOrigin + now); undefined: now. */
  deadline: number | undefined;
  /** Not to run before this (absolute ms): paced (`notBefore` in the protocol); undefined: at once. */
  notBefore: number | undefined;
}

/**
 * Lanes take turns, one step each: a burst of one session's audio (a TTS sentence, an agent's byte stream sent
 * faster than real time) does not hold up the first frames of another session that just started speaking.
 */
export class LipSyncJobs {
  readonly #lanes = new Map<number, Promise<WorkerLipSync>>();
  readonly #ready = new Map<number, WorkerLipSync>();
  /** Each lane's steps in the order sent; a lane is here while it has any. */
  readonly #jobs = new Map<number, Job[]>();
  #scheduled = false;
  /** A timer for the put-off step that comes within PUT_OFF_MS first. */
  #wake: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly reply: LipSyncReply,
    private readonly failed: LipSyncFailure,
    /** Whether frames are waiting to be drawn on this thread (then steps far ahead wait). */
    private readonly rendersWaiting: () => boolean = () => false,
  ) {}

  /** Steps wait to run (put off ones included). */
  get waiting(): boolean {
    return this.#jobs.size > 0;
  }

  /** Frames no longer wait: runs the steps put off meanwhile. */
  resume(): void {
    if (this.#jobs.size > 0) this.#run();
  }

  open(laneId: number, spec: RendererSpec): Promise<void> {
    const building = (async () => {
      const module = (await import(spec.module)) as Record<string, unknown>;
      // A turn of its own, after the renderer's: building the model's tables takes 10–25 ms, and the renders other
      // sessions queued meanwhile are drawn first rather than waiting for a whole session's setup.
      await new Promise((resolve) => setImmediate(resolve));
      const factory = module[spec.export];
      if (typeof factory !== 'function')
        throw new Error(`${spec.module} has no function export "${spec.export}"`);
      const lipSync = (await factory(spec.options)) as WorkerLipSync;
      this.#ready.set(laneId, lipSync);
      return lipSync;
    })();
    this.#lanes.set(laneId, building);
    // Steps sent while it loads run once it is ready; a lip-sync that cannot be built fails them.
    building.then(
      () => this.#run(),
      () => this.#dropLane(laneId),
    );
    return building.then(() => undefined);
  }

  close(laneId: number): void {
    this.#lanes.delete(laneId);
    this.#ready.delete(laneId);
    this.#jobs.delete(laneId);
  }

  submit(
    laneId: number,
    seq: number,
    op: LipSyncOp,
    pcm: Int16Array | undefined,
    deadline?: number,
    notBefore?: number,
  ): void {
    if (!this.#lanes.has(laneId)) {
      this.failed(laneId, seq, 'lane has no lip-sync');
      return;
    }
    const job: Job = { laneId, seq, op, pcm, deadline, notBefore };
    const queue = this.#jobs.get(laneId);
    // A flush or reset (a segment's end, an interrupt) waits for nothing: the paced steps ahead of it run now.
    if (queue && op !== 'push') for (const queued of queue) queued.notBefore = undefined;
    if (queue) queue.push(job);
    else this.#jobs.set(laneId, [job]);
    this.#run();
  }

  #run(): void {
    for (;;) {
      if (!turnBudgetLeft()) {
        if (this.#jobs.size > 0) this.#later();
        return;
      }
      const job = this.#nextJob();
      if (!job) {
        this.#wakeForPutOff();
        return;
      }
      const [lipSync, { laneId, seq, op, pcm }] = job;
      const started = performance.now();
      let keyframes: MouthKeyframe[] = [];
      try {
        if (op === 'push') keyframes = pcm ? lipSync.push(pcm) : [];
        else if (op === 'flush') keyframes = lipSync.flush?.() ?? [];
        else lipSync.reset();
      } catch (error) {
        this.failed(laneId, seq, error instanceof Error ? error.message : String(error));
        continue;
      }
      const analyseMs = performance.now() - started;
      chargeTurn(analyseMs);
      this.reply(laneId, seq, keyframes, analyseMs);
    }
  }

  /**
   * The first step of the first ready lane whose step is due (any, when no frame waits), which then goes to the
   * back of the rotation (Maps keep insertion order).
   */
  #nextJob(): [WorkerLipSync, Job] | undefined {
    const now = performance.timeOrigin + performance.now();
    const putOffFrom = this.rendersWaiting() ? now + PUT_OFF_MS : undefined;
    for (const [laneId, queue] of this.#jobs) {
      const lipSync = this.#ready.get(laneId);
      if (!lipSync) continue;
      // A lane's steps run in order, so its first decides: later audio plays later still.
      const head = queue[0]!;
      if (putOffFrom !== undefined && head.deadline !== undefined && head.deadline > putOffFrom) continue;
      if (head.notBefore !== undefined && head.notBefore > now) continue;
      const job = queue.shift()!;
      this.#jobs.delete(laneId);
      if (queue.length > 0) this.#jobs.set(laneId, queue);
      return [lipSync, job];
    }
    return undefined;
  }

  /** Steps are left, all put off: look again when the soonest comes within PUT_OFF_MS (or frames stop waiting). */
  #wakeForPutOff(): void {
    clearTimeout(this.#wake);
    this.#wake = undefined;
    let soonest = Number.POSITIVE_INFINITY;
    const waiting = this.rendersWaiting();
    for (const [laneId, queue] of this.#jobs) {
      if (!this.#ready.has(laneId)) continue;
      const head = queue[0]!;
      const putOffUntil = waiting && head.deadline !== undefined ? head.deadline - PUT_OFF_MS : 0;
      soonest = Math.min(soonest, Math.max(putOffUntil, head.notBefore ?? 0));
    }
    if (soonest === Number.POSITIVE_INFINITY) return;
    const inMs = soonest - (performance.timeOrigin + performance.now());
    this.#wake = setTimeout(
      () => {
        this.#wake = undefined;
        this.#run();
      },
      Math.max(1, Math.ceil(inMs)),
    );
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
    for (const job of this.#jobs.get(laneId) ?? [])
      this.failed(laneId, job.seq, 'lip-sync could not be built');
    this.close(laneId);
  }
}
