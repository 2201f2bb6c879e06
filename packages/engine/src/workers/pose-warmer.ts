/**
 * @module Runs inside a render worker: fills the pose cache of each lane's avatar in the thread's idle time. The
 * server's start-up warm-up draws the head poses only for the few avatars a thread keeps unused (rig-data.ts);
 * any other avatar (a public one past those, a user's) drew each pose the first time a session reached it, a
 * whole-head warp (4–8 ms quiet, 10–60 ms on a loaded machine) in the middle of speech: bench:livekit's avatar
 * is such a one, and at 8 sessions its first nods and blends were where the worker fell behind. So a lane that
 * opens queues the warm-up's poses (speech's blends and lattice, then the idle loop, listening and thinking),
 * drawn one at a time only while no frame and no lip-sync step waits: a frame that arrives meanwhile waits for
 * at most one pose. A pose already cached costs a lookup (a second session of the avatar, a kept avatar).
 */
import { performance } from 'node:perf_hooks';
import { createAnimator } from '../animation/animator.js';
import type { FaceParams } from '../animation/params.js';
import { warmupPoses } from '../animation/warmup-poses.js';
import type { Renderer } from '../render/renderer.js';
import { absNow, trace, tracing } from './render-trace.js';

/** The idle loop's length in frames, as the animator's default (160 = 6.4 s). */
const IDLE_LOOP_FRAMES = 160;
/** Cached poses looked up per turn before the warmer yields, when none needs drawing. */
const LOOKUPS_PER_TURN = 64;

let poses: FaceParams[] | undefined;

/**
 * Every head pose a session reaches: the lattice poses (warmup-poses.ts, speech's first), the blends between
 * modes, then the idle loop (a session idles first and draws those as it goes). The same for every avatar.
 */
export function posesToWarm(): FaceParams[] {
  if (poses) return poses;
  const animator = createAnimator({ seed: 0 });
  const idle = Array.from({ length: IDLE_LOOP_FRAMES }, (_, k) => animator.step(k * 40, null));
  poses = [...warmupPoses(), ...idle];
  return poses;
}

interface Warming {
  renderer: Renderer & { warmPose(params: FaceParams): boolean };
  next: number;
}

export class PoseWarmer {
  readonly #lanes = new Map<number, Warming>();
  #scheduled = false;
  /** Poses drawn so far (all lanes), for tests. */
  drawn = 0;

  /** `busy`: frames or lip-sync steps wait on this thread (then nothing is warmed until `resume`). */
  constructor(private readonly busy: () => boolean) {}

  /** Warms the poses of this lane's avatar, when its renderer can (`Renderer.warmPose`). */
  add(laneId: number, renderer: Renderer): void {
    if (!renderer.warmPose) return;
    this.#lanes.set(laneId, { renderer: renderer as Warming['renderer'], next: 0 });
    this.resume();
  }

  remove(laneId: number): void {
    this.#lanes.delete(laneId);
  }

  /** The thread has nothing waiting: go on warming. */
  resume(): void {
    if (this.#scheduled || this.#lanes.size === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#step();
    });
  }

  /** At most one pose drawn per turn, then a turn for whatever came in. */
  #step(): void {
    if (this.busy()) return;
    const list = posesToWarm();
    let lookups = 0;
    for (const [laneId, lane] of this.#lanes) {
      while (lane.next < list.length && lookups < LOOKUPS_PER_TURN) {
        lookups++;
        const started = performance.now();
        if (lane.renderer.warmPose(list[lane.next++]!)) {
          this.drawn++;
          if (tracing)
            trace({ k: 'warm', lane: laneId, t: absNow(started), ms: performance.now() - started });
          this.resume();
          return;
        }
      }
      if (lane.next < list.length) break;
      this.#lanes.delete(laneId);
    }
    this.resume();
  }
}
