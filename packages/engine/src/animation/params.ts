// Per-frame animation parameters: the single vocabulary between lip-sync, the animator and renderers.

/** Mouth shape, each value 0..1 unless noted. */
export interface MouthParams {
  jawOpen: number;
  /** 0 = narrow/pursed, 0.5 = neutral, 1 = wide (smile, "ee"). */
  mouthWidth: number;
  /** Lip rounding/protrusion ("oo", "w"). */
  mouthRound: number;
  /** Upper lip raise (shows upper teeth: "f", "v" use lowerLip instead). */
  upperLip: number;
  /** Lower lip tuck under the upper teeth ("f", "v"); 1 = fully tucked. */
  lowerLip: number;
  /**
   * 0..1, from the audio lip-sync's closure output: how sure it is the lips are shut (m, b, p). The animator
   * presses the lips by it even where the jaw target stays a little open, as the jaw does in a real "m".
   * Absent: a closure is a jaw target near 0 (the phoneme path).
   */
  closure?: number;
}

/** MouthParams.closure from which the animator presses the lips fully (below it, in proportion). */
export const FULL_PRESS_CLOSURE = 0.5;
/** A lip-sync jaw target below this is a lip closure: the animator presses the lips on it. */
export const CLOSED_JAW = 0.02;

export interface FaceParams extends MouthParams {
  /**
   * 0..1: the lips pressed together (m, b, p) whatever the jaw does; set by the animator on a closure's frame
   * so the lips meet at once while the jaw eases. Absent = 0.
   */
  lipPress?: number;
  /** 0 open .. 1 closed, per eye. */
  blinkLeft: number;
  blinkRight: number;
  /** -1 frown .. 1 raised. */
  brows: number;
  /** Head rotation in radians and breathing offset in pixels. */
  headYaw: number;
  headPitch: number;
  headRoll: number;
  breath: number;
  /**
   * Where the eyes look, -1..1 of the renderer's largest iris shift (+x image right, +y down); absent = at the
   * viewer.
   */
  gazeX?: number;
  gazeY?: number;
  /**
   * Set by the animator when these parameters are exactly frame N of its idle loop, so a renderer may replay a
   * cached frame instead of drawing it again. Absent while speaking or easing back to idle.
   */
  idleFrame?: number;
  /**
   * Set by the animator when the head pose and breathing (headYaw, headPitch, headRoll, breath) are exactly
   * those of idle-loop frame `frame`, whose brows are `brows`. A renderer may cache the head drawn at that pose
   * (shared by every session of the avatar) and redraw only what differs: mouth, eyes, extra brow lift.
   */
  pose?: { frame: number; brows: number };
}

/** What the avatar does while it has nothing to say (LiveKit's `lk.agent.state` maps onto it). */
export type IdleState = 'idle' | 'listening' | 'thinking';

export const restMouth: MouthParams = {
  jawOpen: 0,
  mouthWidth: 0.5,
  mouthRound: 0,
  upperLip: 0,
  lowerLip: 0,
};

export const restFace: FaceParams = {
  ...restMouth,
  blinkLeft: 0,
  blinkRight: 0,
  brows: 0,
  headYaw: 0,
  headPitch: 0,
  headRoll: 0,
  breath: 0,
};

/** Mouth parameters for one video frame at presentation time `ptsMs`. */
export interface MouthKeyframe extends MouthParams {
  ptsMs: number;
}
