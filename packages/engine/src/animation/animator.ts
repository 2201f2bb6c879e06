import { type BlinkEvent, closureAt } from './blink.js';
import { createIdleLoop, type IdleLoop } from './idle-loop.js';
import { type FaceParams, type MouthParams, restMouth } from './params.js';
import { createRandom, createSmoothNoise } from './random.js';

// Turns lip-sync mouth keyframes into full face parameters per video frame: the mouth eased so onsets and ends
// do not pop, plus the life around it (blinks, brows that follow emphasis, head sway, breathing). While nothing
// is said the output is exactly the idle loop, tagged with `idleFrame` so renderers can replay cached frames.

export interface AnimatorOptions {
  seed: number;
  /** Idle loop length in frames (25 fps → 160 frames = 6.4 s). */
  idleLoopFrames?: number;
  frameMs?: number;
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

export function createAnimator(options: AnimatorOptions): Animator {
  const frameMs = options.frameMs ?? 40;
  const idleLoop = createIdleLoop(options.seed, options.idleLoopFrames ?? 160, frameMs);
  const random = createRandom(options.seed);
  const yawNoise = createSmoothNoise(random);
  const pitchNoise = createSmoothNoise(random);
  const rollNoise = createSmoothNoise(random);

  const mouth: MouthParams = { ...restMouth };
  let interruptFrom: MouthParams | null = null;
  let interruptFrame = 0;
  let envelope = 0;
  let jawFast = 0;
  let jawSlow = 0;
  let browExtra = 0;
  let live = false;
  let liveBlinks: BlinkEvent[] = [];
  let nextBlinkMs = 0;

  const atRest = () => mouthKeys.every((k) => Math.abs(mouth[k] - restMouth[k]) < 1e-3);

  function scheduleLiveBlink(now: number): void {
    while (nextBlinkMs <= now) {
      const duration = 150 + random() * 100;
      liveBlinks.push({ startMs: nextBlinkMs, durationMs: duration });
      let after = nextBlinkMs + duration;
      if (random() < 0.17) {
        const second = after + 80 + random() * 120;
        const d2 = 150 + random() * 80;
        liveBlinks.push({ startMs: second, durationMs: d2 });
        after = second + d2;
      }
      nextBlinkMs = after + 2000 + random() * 4000;
    }
    liveBlinks = liveBlinks.filter((e) => e.startMs + e.durationMs > now - frameMs);
  }

  function stepMouth(target: MouthParams | null): void {
    if (interruptFrom) {
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
    if (!target && atRest()) Object.assign(mouth, restMouth);
  }

  return {
    idleLoop,
    interrupt() {
      interruptFrom = { ...mouth };
      interruptFrame = 0;
    },
    step(ptsMs, target) {
      const index = Math.round(ptsMs / frameMs);
      const loopIndex = ((index % idleLoop.frames) + idleLoop.frames) % idleLoop.frames;
      const base = idleLoop.at(loopIndex);
      const speaking = target !== null && !interruptFrom;
      stepMouth(speaking ? target : null);
      envelope = Math.max(0, Math.min(1, envelope + (speaking ? envelopeStep : -envelopeStep)));

      const loopStartMs = ptsMs - loopIndex * frameMs;
      const loopClosure = closureAt(idleLoop.blinks, ptsMs - loopStartMs);
      if (!live && (speaking || !atRest() || envelope > 0)) {
        // Keep a loop blink that is under way so the eyes do not snap open when speech starts.
        live = true;
        liveBlinks = idleLoop.blinks
          .map((e) => ({ startMs: e.startMs + loopStartMs, durationMs: e.durationMs }))
          .filter((e) => ptsMs > e.startMs && ptsMs < e.startMs + e.durationMs);
        nextBlinkMs = ptsMs + 1500 + random() * 3000;
      }
      const liveClosure = live ? closureAt(liveBlinks, ptsMs) : 0;
      if (
        live &&
        !speaking &&
        atRest() &&
        envelope === 0 &&
        Math.abs(browExtra) < 0.01 &&
        liveClosure === 0 &&
        loopClosure === 0
      ) {
        live = false;
        jawFast = 0;
        jawSlow = 0;
        browExtra = 0;
      }
      if (!live) return { ...base, idleFrame: loopIndex };

      if (speaking) scheduleLiveBlink(ptsMs);
      // Emphasis: the jaw opening faster than its recent average; brows lift and the head nods a little with it.
      jawFast += (mouth.jawOpen - jawFast) * 0.5;
      jawSlow += (mouth.jawOpen - jawSlow) * 0.06;
      const emphasis = Math.max(0, Math.min(1, (jawFast - jawSlow) * 2.5));
      const env = envelope * envelope * (3 - 2 * envelope);
      browExtra += (0.55 * emphasis * env - browExtra) * 0.3;
      const t = ptsMs / 700;
      const blink = live ? liveClosure : loopClosure;
      return {
        ...mouth,
        blinkLeft: blink,
        blinkRight: blink,
        brows: Math.max(-1, Math.min(1, base.brows + browExtra)),
        headYaw: base.headYaw + env * 0.025 * yawNoise(t),
        headPitch: base.headPitch + env * (0.012 * pitchNoise(t) + 0.015 * emphasis),
        headRoll: base.headRoll + env * 0.01 * rollNoise(t),
        breath: base.breath,
      };
    },
  };
}
