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
import { warmupKey, warmupPoseSteps } from '../animation/warmup-poses.js';
import type { Renderer } from '../render/renderer.js';
import { absNow, trace, tracing } from './render-trace.js';

/** The idle loop's length in frames, as the animator's default (160 = 6.4 s). */
const IDLE_LOOP_FRAMES = 160;
/** Cached poses looked up per turn before the warmer yields, when none needs drawing. */
const LOOKUPS_PER_TURN = 64;
/** How soon a warmer that found the thread busy looks again, if nothing else wakes it. */
const RETRY_MS = 100;
/** Animator steps of the search for poses per turn (~30 µs each). */
const STEPS_PER_TURN = 100;

/** A reply's head poses: sessions that idle, talk 3 s (stresses and a pause) and idle again, from every gate. */
function* replyPoses(): Generator<FaceParams> {
  for (let seed = 0; seed < 4; seed++) {
    const anim = createAnimator({ seed });
    for (let i = 0; i < 1500; i++) {
      const k = i % 125;
      const talking = k >= 25 && k < 100;
      const jaw = k % 31 < 2 ? 0.9 : k % 40 >= 34 ? 0 : 0.25 + 0.2 * Math.sin(i * 0.5);
      yield anim.step(
        i * 40,
        talking ? { jawOpen: jaw, mouthWidth: 0.5, mouthRound: 0, upperLip: 0, lowerLip: 0 } : null,
      );
    }
  }
}

function* idleLoop(): Generator<FaceParams> {
  const anim = createAnimator({ seed: 0 });
  for (let k = 0; k < IDLE_LOOP_FRAMES; k++) yield anim.step(k * 40, null);
}

/**
 * Every head pose a session reaches, those of a reply first (its blends off and back onto the idle loop, its nods
 * and tilts), then the idle loop, then the rest of the start-up warm-up's list (listening, thinking and their
 * blends). The same for every avatar, each pose once, found a few animator steps at a time (`findMore`): found
 * whole it took 0.2–0.6 s of the thread.
 */
const found: FaceParams[] = [];
const foundKeys = new Set<string>();
const finder = (function* () {
  yield* replyPoses();
  yield* idleLoop();
  yield* warmupPoseSteps();
})();
let allFound = false;

/** Runs up to `steps` more animator steps of the search; false once every pose is found. */
function findMore(steps: number): boolean {
  for (let n = 0; n < steps && !allFound; n++) {
    const next = finder.next();
    if (next.done) allFound = true;
    else if (next.value.pose || next.value.idleFrame !== undefined) {
      const key = warmupKey(next.value);
      if (!foundKeys.has(key)) {
        foundKeys.add(key);
        found.push(next.value);
      }
    }
  }
  return !allFound;
}

/** The whole list (tests and tools: runs the search to its end at once). */
export function posesToWarm(): FaceParams[] {
  while (findMore(10_000));
  return found;
}

interface Warming {
  renderer: Renderer & { warmPose(params: FaceParams): boolean };
  next: number;
}

export class PoseWarmer {
  readonly #lanes = new Map<number, Warming>();
  #scheduled = false;
  #retry: ReturnType<typeof setTimeout> | undefined;
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
    if (this.#lanes.size === 0) clearTimeout(this.#retry);
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
    if (this.busy()) {
      // Drawing frames ends in resume(); a pause that ends with nothing to draw (speech stopped) needs a look later.
      this.#retry ??= setTimeout(() => {
        this.#retry = undefined;
        this.resume();
      }, RETRY_MS).unref();
      return;
    }
    let lookups = 0;
    for (const [laneId, lane] of this.#lanes) {
      if (lane.next >= found.length && findMore(STEPS_PER_TURN)) {
        // This turn went on finding poses.
        this.resume();
        return;
      }
      while (lane.next < found.length && lookups < LOOKUPS_PER_TURN) {
        lookups++;
        const started = performance.now();
        if (lane.renderer.warmPose(found[lane.next++]!)) {
          this.drawn++;
          if (tracing)
            trace({ k: 'warm', lane: laneId, t: absNow(started), ms: performance.now() - started });
          this.resume();
          return;
        }
      }
      if (lane.next < found.length || !allFound) break;
      this.#lanes.delete(laneId);
    }
    this.resume();
  }
}
