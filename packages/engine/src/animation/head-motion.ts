import type { IdleState } from './params.js';

// Head motion outside the idle loop: nods and tilts driven by speech, and the held postures of the listening
// and thinking states. Every pose lies on a small lattice (angles in whole steps of STEP rad, breathing in whole
// half-pixels) and the gestures are shaped so few lattice points are ever used: nods move the pitch at one of
// three held tilts, tilts change only while no nod runs. So a renderer can cache the head drawn at each point
// once per avatar, like the idle loop, and speech still lands on cached poses.

/** Lattice step for yaw, pitch and roll (rad): about one pixel of head motion at 640×480. */
export const STEP = 0.006;
/** Lattice step for breathing (px). */
export const BREATH_STEP = 0.6;

export interface LatticePose {
  yaw: number;
  pitch: number;
  roll: number;
  breath: number;
  /** Brows held by the pose (part of the cached head). */
  brows: number;
}

/** A stable small integer per lattice pose, distinct from idle-loop frame numbers (which are < 10 000). */
export function latticeId(p: LatticePose, state: number): number {
  // Angles within ±63 steps, breathing within ±7 half-pixels: each field has its own digits.
  const q = (v: number, s: number, half: number) => Math.round(v / s) + half;
  const angles =
    (state * 128 + q(p.yaw, STEP, 64)) * 128 * 128 + q(p.pitch, STEP, 64) * 128 + q(p.roll, STEP, 64);
  return 10_000 + angles * 16 + q(p.breath, BREATH_STEP, 8);
}

/** Held tilts while speaking (in steps); a new one is picked at each phrase end. */
const speechTilts = [-5, 0, 5];

/**
 * Where each mode's head motion starts and where it settles before the head leaves the mode: the ends of every
 * blend between modes (blend.ts), so the blends run between a few fixed poses and are drawn once per avatar.
 */
export function entryPose(state: IdleState | 'speech'): LatticePose {
  if (state === 'listening') return { yaw: 0, pitch: -2 * STEP, roll: 4 * STEP, breath: 0, brows: 0.25 };
  if (state === 'thinking')
    return { yaw: 4 * STEP, pitch: 3 * STEP, roll: -4 * STEP, breath: 0, brows: -0.2 };
  return { yaw: 0, pitch: 0, roll: 0, breath: 0, brows: 0 };
}
const entryTilt = (state: IdleState | 'speech') => Math.round(entryPose(state).roll / STEP);

interface Nod {
  startMs: number;
  durationMs: number;
  /** Peak pitch in steps (negative: chin down). */
  steps: number;
}

export interface SpeechCues {
  /** 0..1, the jaw opening faster than its recent average (a stressed syllable). */
  emphasis: number;
  /** True on the frame a pause of ≥ 200 ms inside speech begins (a phrase end). */
  phraseEnd: boolean;
}

export interface HeadMotion {
  /**
   * The lattice pose for this frame in `state` (`speech` while speaking). `settle`: the head is about to leave
   * the state, so no new gesture starts and it makes its way back to `entryPose(state)`.
   */
  step(ptsMs: number, state: IdleState | 'speech', cues: SpeechCues, settle?: boolean): LatticePose;
  /** The head enters `state` at `entryPose(state)` (the end of a blend into it). */
  enter(state: IdleState | 'speech'): void;
  /** Nods started so far (tests and contact sheets). */
  readonly nods: number;
}

export function createHeadMotion(random: () => number): HeadMotion {
  let nod: Nod | null = null;
  let lastNodMs = Number.NEGATIVE_INFINITY;
  let tilt = 0;
  let tiltHold = 0;
  let nods = 0;
  let nextAckMs = Number.NaN;
  let lastState: IdleState | 'speech' | null = null;

  const nodSteps = (ptsMs: number): number => {
    if (!nod) return 0;
    const u = (ptsMs - nod.startMs) / nod.durationMs;
    if (u >= 1) {
      nod = null;
      return 0;
    }
    // Down fast, back up slower: a beat, not a bounce.
    const s = u < 0.35 ? Math.sin((u / 0.35) * (Math.PI / 2)) : Math.cos(((u - 0.35) / 0.65) * (Math.PI / 2));
    return Math.round(nod.steps * s);
  };

  const startNod = (ptsMs: number, steps: number, durationMs: number) => {
    nod = { startMs: ptsMs, durationMs, steps };
    lastNodMs = ptsMs;
    nods++;
  };

  // Tilts move one step per frame towards the held tilt, only between nods, and nods and breathing wait for the
  // tilt to arrive: each lattice line is used at a few held tilts only.
  const moveTilt = () => {
    if (nod) return;
    if (tilt < tiltHold) tilt++;
    else if (tilt > tiltHold) tilt--;
  };

  const enter = (state: IdleState | 'speech') => {
    nod = null;
    nextAckMs = Number.NaN;
    tilt = entryTilt(state);
    // Speech walks on to a held tilt of its own (cached poses, one step a frame); the others hold their entry's.
    tiltHold = state === 'speech' ? (speechTilts[Math.floor(random() * 3)] ?? 0) : tilt;
    lastState = state;
  };

  const breathLevel = (ptsMs: number) => Math.round(Math.sin((2 * Math.PI * ptsMs) / 4200)) * BREATH_STEP;

  return {
    get nods() {
      return nods;
    },
    enter,
    step(ptsMs, state, cues, settle = false) {
      if (state !== lastState) enter(state);
      if (settle) {
        // No new nod; the running one ends, the tilt walks back, breathing rests.
        tiltHold = entryTilt(state);
        moveTilt();
        const base = entryPose(state);
        return { ...base, pitch: base.pitch + nodSteps(ptsMs) * STEP, roll: tilt * STEP };
      }
      if (state === 'speech') {
        if (cues.phraseEnd) {
          // A phrase ends with a small settling nod and the head finds a new tilt.
          if (ptsMs - lastNodMs > 300 && tilt === tiltHold)
            startNod(ptsMs, -(7 + Math.floor(random() * 3)), 520);
          let next = tiltHold;
          while (next === tiltHold) next = speechTilts[Math.floor(random() * speechTilts.length)] ?? 0;
          tiltHold = next;
        } else if (cues.emphasis > 0.3 && ptsMs - lastNodMs > 650 && !nod && tilt === tiltHold) {
          // Stress: a beat nod of 3–5°.
          startNod(ptsMs, -(9 + Math.floor(random() * 6)), 420 + random() * 120);
        }
        moveTilt();
        return { yaw: 0, pitch: nodSteps(ptsMs) * STEP, roll: tilt * STEP, breath: 0, brows: 0 };
      }
      if (state === 'listening') {
        // Attentive: leaning in a little, tilted, brows up, with an acknowledging nod every few seconds.
        if (Number.isNaN(nextAckMs)) nextAckMs = ptsMs + 1200 + random() * 1500;
        if (ptsMs >= nextAckMs && !nod && tilt === tiltHold) {
          startNod(ptsMs, -(4 + Math.floor(random() * 3)), 700);
          nextAckMs = ptsMs + 2500 + random() * 3000;
        }
        moveTilt();
        return {
          yaw: 0,
          pitch: (nodSteps(ptsMs) - 2) * STEP,
          roll: tilt * STEP,
          breath: tilt === tiltHold ? breathLevel(ptsMs) : 0,
          brows: 0.25,
        };
      }
      // Thinking: chin up, head turned and tilted away, brows drawn together a little.
      moveTilt();
      return {
        yaw: 4 * STEP,
        pitch: 3 * STEP,
        roll: tilt * STEP,
        breath: tilt === tiltHold ? breathLevel(ptsMs) : 0,
        brows: -0.2,
      };
    },
  };
}
