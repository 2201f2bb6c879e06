import { type BlinkEvent, scheduleBlinks } from './blink.js';
import { type FaceParams, restMouth } from './params.js';
import { createRandom } from './random.js';

// The idle loop is a fixed, periodic sequence of head poses (small sway, breathing, brows) that a renderer draws
// once per avatar and reuses: frames at a loop pose redraw only what else moves (mouth, blinking eyes). Every
// motion in it has a whole number of cycles per loop, so the last frame flows into the first. Blinks are listed
// for callers that want the loop's own schedule; the loop frames themselves keep the eyes open, because the
// animator blinks at each session's own random times.

export interface IdleLoop {
  readonly frames: number;
  readonly frameMs: number;
  /** Blink events in loop-relative milliseconds. */
  readonly blinks: readonly BlinkEvent[];
  at(index: number): FaceParams;
}

interface Wave {
  amp: number;
  cycles: number;
  phase: number;
}

export function createIdleLoop(seed: number, frames = 200, frameMs = 40): IdleLoop {
  const random = createRandom(seed ^ 0x1d1e);
  const loopMs = frames * frameMs;
  const waves = (amps: number[]): Wave[] =>
    amps.map((amp, i) => ({ amp, cycles: i + 1, phase: random() * Math.PI * 2 }));
  const yaw = waves([0.018, 0.008, 0.004]);
  const pitch = waves([0.01, 0.006, 0.003]);
  const roll = waves([0.008, 0.004]);
  const brow = waves([0.04, 0.02]);
  // About one breath every 4 s, rounded to a whole number per loop.
  const breathCycles = Math.max(1, Math.round(loopMs / 4000));
  const breathPhase = random() * Math.PI * 2;
  // Gaps stay short enough that the wrap from the last blink to the first is still a natural interval.
  const blinks = scheduleBlinks(random, 0, loopMs - 1800, 2200, 4200);
  const sum = (ws: Wave[], u: number) =>
    ws.reduce((s, w) => s + w.amp * Math.sin(2 * Math.PI * w.cycles * u + w.phase), 0);
  const cache: FaceParams[] = [];
  for (let k = 0; k < frames; k++) {
    const u = k / frames;
    cache.push({
      ...restMouth,
      blinkLeft: 0,
      blinkRight: 0,
      brows: sum(brow, u),
      headYaw: sum(yaw, u),
      headPitch: sum(pitch, u),
      headRoll: sum(roll, u),
      breath: 1.2 * Math.sin(2 * Math.PI * breathCycles * u + breathPhase),
    });
  }
  return {
    frames,
    frameMs,
    blinks,
    at(index: number): FaceParams {
      return cache[((index % frames) + frames) % frames]!;
    },
  };
}
