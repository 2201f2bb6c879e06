import {
  BLEND_FRAMES,
  blendHead,
  entryHead,
  GATE_FRAMES,
  type Head,
  type HeadMode,
  idleHead,
} from './blend.js';
import { type BlinkEvent, closureAt } from './blink.js';
import { createGaze } from './gaze.js';
import { createHeadMotion, latticeId } from './head-motion.js';
import { createIdleLoop, type IdleLoop } from './idle-loop.js';
import {
  CLOSED_JAW,
  type FaceParams,
  FULL_PRESS_CLOSURE,
  type IdleState,
  type MouthParams,
  restMouth,
} from './params.js';
import { createRandom } from './random.js';

// Turns lip-sync mouth keyframes into full face parameters per video frame: the mouth eased so onsets and ends
// do not pop, plus the life around it: blinks at the session's own random times, saccades and gaze shifts, brows
// that follow emphasis, and the head. Idle, the head moves along the idle loop (shared by every session of an
// avatar, each at its own phase); speaking, it nods on stresses and phrase ends and changes tilt between phrases;
// listening and thinking hold their own postures. Those poses lie on a small lattice (head-motion.ts), and the
// blends from one mode to the next run between fixed ends (blend.ts), so every frame carries `pose` and a renderer
// draws the head once per pose and redraws only the mouth and eyes per frame. Idle frames are tagged `idleFrame`.

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
  /** What the face does while nothing is said: idle, listening (attentive) or thinking (looking away). */
  setIdleState(state: IdleState): void;
  readonly idleState: IdleState;
  /** Nods and saccades made so far (for tests and tools). */
  readonly counts: { nods: number; saccades: number };
}

const mouthKeys = ['jawOpen', 'mouthWidth', 'mouthRound', 'upperLip', 'lowerLip'] as const;
/** What a lip press shuts, whatever the lip-sync asked for. */
const pressedKeys: readonly (typeof mouthKeys)[number][] = ['jawOpen', 'upperLip', 'lowerLip'];
const headKeys = ['headYaw', 'headPitch', 'headRoll', 'breath', 'brows'] as const;
const sameHead = (a: Head, b: Head) => headKeys.every((k) => Math.abs(a[k] - b[k]) < 1e-9);
/** Fraction of the pre-interrupt mouth shape left on each of the three frames after interrupt(). */
const interruptCurve = [0.45, 0.12, 0];
/** Per-frame smoothing towards the lip-sync target and the largest change allowed in one frame. */
const follow = 0.75;
const maxStep = 0.3;
/** Share of a press kept on the next frame once its closure has passed. */
const releaseStep = 0.35;
/** A lip-sync jaw target from which the lips are parting for a vowel, not held in a closure. */
const RELEASE_JAW = 0.25;
const envelopeStep = 0.2;
/** The photo's smile relaxes while speaking (narrower, lower corners) and returns in pauses. */
const smileRelax = 0.12;
/** Quiet frames inside speech that make a pause (a phrase end): 200 ms. */
const pauseFrames = 5;
const modeIds = { idle: 0, listening: 1, thinking: 2, speech: 3 } as const;

export function createAnimator(options: AnimatorOptions): Animator {
  const frameMs = options.frameMs ?? 40;
  const idleLoop = createIdleLoop(options.idleLoopSeed ?? 0, options.idleLoopFrames ?? 160, frameMs);
  const random = createRandom(options.seed);
  // Head and eyes draw from their own streams, so adding a gesture does not reshuffle the blink schedule.
  const head = createHeadMotion(createRandom(options.seed ^ 0x4ead));
  const gaze = createGaze(createRandom(options.seed ^ 0x9a2e));

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
  let lastIndex: number | null = null;
  let idleState: IdleState = 'idle';
  let mode: HeadMode = 'idle';
  let blend: { from: Head; to: HeadMode; toHead: Head; startIndex: number } | null = null;
  let lastHead: Head | null = null;
  let quiet = 0;
  let voicedSincePause = false;

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
    // Lips close fast (m, b, p): the lips press together on the closure's own frame, whatever the eased jaw
    // still does, and let go over the next frames.
    // The audio path's closure is a confidence: from FULL_PRESS_CLOSURE on, the lips press fully. Half-pressed lips
    // are neither the closed nor the pressed pose and read apart (0.027 of the eye distance on the teeth-showing
    // photo at a press of 0.6, 0.008 fully pressed).
    const closure = Math.min(1, (target?.closure ?? 0) / FULL_PRESS_CLOSURE);
    const press = target ? Math.max(target.jawOpen < CLOSED_JAW ? 1 : 0, closure) : 0;
    // Let go over the next frames; where the lip-sync already opens the jaw for a vowel, twice as fast: the renderer
    // shows a press's first part fastest (lips touch, then compress: lip-seal.ts pressedShare), so a press left at
    // 0.12 on a vowel two frames on showed a third of the pressed pose (open vowels read 0.117 → 0.094 of the iris
    // distance). Under RELEASE_JAW, lips may still be shut (the audio path's m/b/p keep a jaw of 0.1–0.23).
    const release = target && target.jawOpen >= RELEASE_JAW ? releaseStep * releaseStep : releaseStep;
    lipPress = Math.max(press, lipPress > 0.05 ? lipPress * release : 0);
    // A press is lips meeting, whatever jaw the lip-sync asked for (the audio path's "m" often keeps 0.1–0.16): the
    // jaw goes shut with it, not eased but within its slew limit, so the lips are not stretched over an open jaw
    // (pressed lips over a jaw at 0.1 read 0.023 of the eye distance apart to the landmark model, at 0 0.008).
    // The lip raise and tuck go the same way.
    const goal = target && press > 0 ? { ...target } : (target ?? restMouth);
    if (press > 0) for (const k of pressedKeys) goal[k] *= 1 - press;
    const pressFollow = follow + (1 - follow) * press;
    for (const k of mouthKeys) {
      const d = (goal[k] - mouth[k]) * (pressedKeys.includes(k) ? pressFollow : follow);
      mouth[k] += Math.max(-maxStep, Math.min(maxStep, d));
    }
    if (!target && atRest()) Object.assign(mouth, restMouth);
  }

  return {
    idleLoop,
    get idleState() {
      return idleState;
    },
    get counts() {
      return { nods: head.nods, saccades: gaze.saccades };
    },
    setIdleState(state) {
      idleState = state;
    },
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
      // Emphasis: the jaw opening faster than its recent average; brows lift and the head nods.
      jawFast += (mouth.jawOpen - jawFast) * 0.5;
      jawSlow += (mouth.jawOpen - jawSlow) * 0.06;
      const emphasis = Math.max(0, Math.min(1, (jawFast - jawSlow) * 2.5));
      const env = envelope * envelope * (3 - 2 * envelope);
      // Phrases: a pause of 200 ms inside speech ends one; the next voiced frame starts the next.
      const voiced = speaking && (target?.jawOpen ?? 0) > 0.12;
      quiet = voiced ? 0 : quiet + 1;
      const phraseEnd = speaking && quiet === pauseFrames && voicedSincePause;
      if (phraseEnd) voicedSincePause = false;
      const phraseStart = voiced && !voicedSincePause;
      if (voiced) voicedSincePause = true;
      // Brows lift with emphasis and settle in pauses.
      browExtra += (0.55 * emphasis * env - browExtra) * (quiet >= pauseFrames ? 0.5 : 0.3);
      if (Math.abs(browExtra) < 0.01 && env === 0) browExtra = 0;

      phase += lastIndex === null ? 0 : Math.max(1, index - lastIndex);
      lastIndex = index;
      phase %= idleLoop.frames;

      // Speech keeps its posture until the mouth has eased back to rest, so the head does not turn mid-word.
      const wanted: HeadMode = speaking || !atRest() ? 'speech' : idleState;
      let out: Head;
      let pose: { frame: number; brows: number };
      let blending = false;
      if (!lastHead && wanted !== mode) {
        // The first frame: no pose to blend from.
        mode = wanted;
        if (mode !== 'idle') head.enter(mode);
      }
      if (blend && index - blend.startIndex >= BLEND_FRAMES) {
        mode = blend.to;
        if (mode !== 'idle') head.enter(mode);
        blend = null;
      }
      if (blend) {
        ({ head: out, pose } = blendHead(blend.from, blend.toHead, Math.max(1, index - blend.startIndex)));
        blending = true;
      } else if (mode === 'idle') {
        out = idleHead(idleLoop, phase);
        pose = { frame: phase, brows: out.brows };
      } else {
        // Leaving a lattice mode, the head first settles on its entry pose (cached, like all the mode's poses).
        const settle = wanted !== mode;
        const l = head.step(ptsMs, mode, { emphasis, phraseEnd }, settle);
        out = { headYaw: l.yaw, headPitch: l.pitch, headRoll: l.roll, breath: l.breath, brows: l.brows };
        pose = { frame: latticeId(l, modeIds[mode]), brows: l.brows };
      }
      // A blend starts on a frame that is already one of its ends: the idle loop at a gate, or a lattice mode's
      // entry pose; into idle, it lands on a gate. Until then the head stays on its mode's cached poses.
      if (!blend && wanted !== mode) {
        const leaves = mode === 'idle' ? phase % GATE_FRAMES === 0 : sameHead(out, entryHead(mode));
        const lands = wanted !== 'idle' || ((phase + BLEND_FRAMES) % idleLoop.frames) % GATE_FRAMES === 0;
        if (leaves && lands)
          blend = {
            from: out,
            to: wanted,
            toHead: wanted === 'idle' ? idleHead(idleLoop, phase + BLEND_FRAMES) : entryHead(wanted),
            startIndex: index,
          };
      }
      lastHead = out;

      // The eyes follow the wanted mode at once; the head may wait for a gate.
      const eyes = gaze.step(ptsMs, wanted, phraseStart);
      scheduleBlinks(ptsMs);
      // Looking down lowers the upper lids a little, as real lids follow the eyes.
      const blink = Math.max(closureAt(blinks, ptsMs), 0.3 * Math.max(0, eyes.y));
      const life = { blinkLeft: blink, blinkRight: blink, gazeX: eyes.x, gazeY: eyes.y };
      const headParams = {
        headYaw: out.headYaw,
        headPitch: out.headPitch,
        headRoll: out.headRoll,
        breath: out.breath,
      };
      if (mode === 'idle' && !blending && env === 0 && browExtra === 0 && lipPress === 0 && atRest()) {
        jawFast = 0;
        jawSlow = 0;
        return { ...restMouth, ...headParams, brows: out.brows, ...life, idleFrame: phase, pose };
      }
      return {
        ...mouth,
        mouthWidth: mouth.mouthWidth - smileRelax * relax * relax * (3 - 2 * relax),
        ...(lipPress > 0 ? { lipPress } : {}),
        ...headParams,
        ...life,
        brows: Math.max(-1, Math.min(1, out.brows + browExtra)),
        pose,
      };
    },
  };
}
