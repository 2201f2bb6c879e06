import { type BlinkEvent, closureAt } from './blink.js';
import { createIdleLoop, type IdleLoop } from './idle-loop.js';
import { type FaceParams, type MouthParams, restMouth } from './params.js';
import { createRandom } from './random.js';

// Turns lip-sync mouth keyframes into full face parameters per video frame: the mouth eased so onsets and ends
// do not pop, plus the life around it (blinks at the session's own random times, brows that follow emphasis,
// head sway, breathing). The head always moves along the idle loop (shared by every session of an avatar; each
// session starts at its own phase) and carries `pose`, so a renderer draws the head once per pose and redraws
// only the mouth and eyes per frame; while speaking the loop plays faster, more so on emphasis. With nothing to
// say the output is tagged `idleFrame`.

export interface AnimatorOptions {
  seed: number;
  /** Idle loop length in frames (25 fps → 160 frames = 6.4 s). */
  idleLoopFrames?: number;
  frameMs?: number;
  /** Seed of the idle loop's head motion; the same for every session by default, so sessions share a cache. */
  idleLoopSeed?: number;
}

export interface Animator {
  readonly idleLoop: IdleLoop;
  /** Parameters for the frame shown at `ptsMs`; `mouth` is null when there is no speech for this frame. */
  step(ptsMs: number, mouth: MouthParams | null): FaceParams;
  /** Barge-in: the mouth returns to rest within three frames, whatever comes in meanwhile. */
  interrupt(): void;
}

const mouthKeys = ['jawOpen', 'mouthWidth', 'mouthRound', 'upperLip', 'lowerLip'] as const;
/** Fraction of the pre-interrupt mouth shape left on each of the three frames after interrupt(). */
const interruptCurve = [0.45, 0.12, 0];
/** Per-frame smoothing towards the lip-sync target and the largest change allowed in one frame. */
const follow = 0.75;
const maxStep = 0.3;
const envelopeStep = 0.2;
/** Extra loop frames per frame while speaking, and on full emphasis (the head moves livelier in speech). */
const speechRate = 0.5;
const emphasisRate = 0.8;
/** The photo's smile relaxes while speaking (narrower, lower corners) and returns in pauses. */
const smileRelax = 0.12;
/** A lip-sync jaw target below this is a lip closure. */
const closedJaw = 0.02;

export function createAnimator(options: AnimatorOptions): Animator {
  const frameMs = options.frameMs ?? 40;
  const idleLoop = createIdleLoop(options.idleLoopSeed ?? 0, options.idleLoopFrames ?? 160, frameMs);
  const random = createRandom(options.seed);

  const mouth: MouthParams = { ...restMouth };
  let interruptFrom: MouthParams | null = null;
  let interruptFrame = 0;
  let envelope = 0;
  let relax = 0;
  let lipPress = 0;
  let jawFast = 0;
  let jawSlow = 0;
  let browExtra = 0;
  let blinks: BlinkEvent[] = [];
  let nextBlinkMs = Number.NaN;
  let phase = Math.floor(random() * idleLoop.frames);
  let phaseExtra = 0;
  let lastIndex: number | null = null;

  const atRest = () => mouthKeys.every((k) => Math.abs(mouth[k] - restMouth[k]) < 1e-3);

  function scheduleBlinks(now: number): void {
    if (Number.isNaN(nextBlinkMs)) nextBlinkMs = now + 300 + random() * 2500;
    while (nextBlinkMs <= now) {
      const duration = 150 + random() * 100;
      blinks.push({ startMs: nextBlinkMs, durationMs: duration });
      let after = nextBlinkMs + duration;
      if (random() < 0.17) {
        const second = after + 80 + random() * 120;
        const d2 = 150 + random() * 80;
        blinks.push({ startMs: second, durationMs: d2 });
        after = second + d2;
      }
      nextBlinkMs = after + 2000 + random() * 4000;
    }
    blinks = blinks.filter((e) => e.startMs + e.durationMs > now - frameMs);
  }

  function stepMouth(target: MouthParams | null): void {
    if (interruptFrom) {
      lipPress = 0;
      const f = interruptCurve[interruptFrame] ?? 0;
      for (const k of mouthKeys) mouth[k] = restMouth[k] + (interruptFrom[k] - restMouth[k]) * f;
      interruptFrame++;
      if (interruptFrame >= interruptCurve.length) interruptFrom = null;
      return;
    }
    const goal = target ?? restMouth;
    for (const k of mouthKeys) {
      const d = (goal[k] - mouth[k]) * follow;
      mouth[k] += Math.max(-maxStep, Math.min(maxStep, d));
    }
    // Lips close fast (m, b, p): the lips press together on the closure's own frame, whatever the eased jaw
    // still does, and let go over the next frames.
    lipPress = target && target.jawOpen < closedJaw ? 1 : lipPress > 0.05 ? lipPress * 0.35 : 0;
    if (!target && atRest()) Object.assign(mouth, restMouth);
  }

  return {
    idleLoop,
    interrupt() {
      relax = 0;
      interruptFrom = { ...mouth };
      interruptFrame = 0;
    },
    step(ptsMs, target) {
      const index = Math.round(ptsMs / frameMs);
      const speaking = target !== null && !interruptFrom;
      stepMouth(speaking ? target : null);
      envelope = Math.max(0, Math.min(1, envelope + (speaking ? envelopeStep : -envelopeStep)));
      relax = Math.max(0, Math.min(1, relax + (speaking ? envelopeStep : -envelopeStep)));
      // Emphasis: the jaw opening faster than its recent average; brows lift and the head moves a little faster.
      jawFast += (mouth.jawOpen - jawFast) * 0.5;
      jawSlow += (mouth.jawOpen - jawSlow) * 0.06;
      const emphasis = Math.max(0, Math.min(1, (jawFast - jawSlow) * 2.5));
      const env = envelope * envelope * (3 - 2 * envelope);
      browExtra += (0.55 * emphasis * env - browExtra) * 0.3;
      if (Math.abs(browExtra) < 0.01 && env === 0) browExtra = 0;

      phase += lastIndex === null ? 0 : Math.max(1, index - lastIndex);
      lastIndex = index;
      phaseExtra += env * (speechRate + emphasisRate * emphasis);
      while (phaseExtra >= 1) {
        phase++;
        phaseExtra--;
      }
      phase %= idleLoop.frames;
      const base = idleLoop.at(phase);
      scheduleBlinks(ptsMs);
      const blink = closureAt(blinks, ptsMs);
      const pose = { frame: phase, brows: base.brows };
      if (env === 0 && browExtra === 0 && lipPress === 0 && atRest()) {
        jawFast = 0;
        jawSlow = 0;
        return { ...base, blinkLeft: blink, blinkRight: blink, idleFrame: phase, pose };
      }
      return {
        ...base,
        ...mouth,
        mouthWidth: mouth.mouthWidth - smileRelax * relax * relax * (3 - 2 * relax),
        ...(lipPress > 0 ? { lipPress } : {}),
        blinkLeft: blink,
        blinkRight: blink,
        brows: Math.max(-1, Math.min(1, base.brows + browExtra)),
        pose,
      };
    },
  };
}
