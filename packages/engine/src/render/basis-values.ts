import type { FaceParams } from '../animation/params.js';
import { basisNames } from './basis-names.js';
import { pressedShare } from './lip-seal.js';

// How a frame's FaceParams map onto the warp mesh's bases (renderer-only bases included), and which differences
// are too small to redraw.

export const basisCount = basisNames.length;
export const at = Object.fromEntries(basisNames.map((n, i) => [n, i])) as Record<
  (typeof basisNames)[number],
  number
>;
export const headBases = [at.headYaw, at.headPitch, at.headRoll, at.breath];
export const isHeadBasis = basisNames.map((_, b) => headBases.includes(b));
/** MediaPipe's nose tip: moves with the head only. */
export const NOSE_TIP = 1;

/** How much a full lower-lip tuck ("f", "v") lifts the upper lip, so the upper teeth show over the lower lip. */
const TUCK_LIFT = 0.4;

/** Jaw opening at which lip rounding parts the lips fully; closed lips stay closed however round. */
const ROUND_OPEN_JAW = 0.1;

/**
 * How pursed the lips are at a rounding: only a clearly rounded vowel holds its corners shut; the slight rounding
 * an open vowel picks up from its neighbours (0.05 on "ah") left the corners of "ah" a pixel short of the jaw.
 */
const pursed = (round: number) => Math.max(0, Math.min(1, (round - 0.25) / 0.6));

export function fillValues(p: FaceParams, out: Float32Array): void {
  // Lips meet early in a press and then compress (lip-seal.ts): the jaw's pull is undone as fast as the seal comes.
  const press = pressedShare(p.lipPress ?? 0);
  for (let i = 0; i < basisCount; i++) {
    const name = basisNames[i]!;
    if (name === 'roundOpen') out[i] = p.mouthRound * Math.min(1, p.jawOpen / ROUND_OPEN_JAW) * (1 - press);
    else if (name === 'roundPurse')
      out[i] = pursed(p.mouthRound) * Math.min(1, p.jawOpen / ROUND_OPEN_JAW) * (1 - press);
    else if (name === 'lipPress') out[i] = p.jawOpen * press;
    else if (name === 'lipSeal') out[i] = press;
    else if (name === 'roundSeal') out[i] = pursed(p.mouthRound) * p.jawOpen * (1 - press);
    else out[i] = name === 'mouthWidth' ? (p.mouthWidth - 0.5) * 2 : p[name];
  }
  if (p.lowerLip > 0) out[at.upperLip] = p.upperLip + TUCK_LIFT * p.lowerLip;
}

/**
 * A parameter whose difference from the reference moves no point of the mesh this far (in pixels) is drawn at
 * the reference's value: the eye cannot see a quarter-pixel shift, and re-warping its triangles would cost as
 * much as a visible move (speech brows differ from their pose by less than this in most frames).
 */
export const INVISIBLE_SHIFT_PX = 0.25;

/** Largest displacement of any mesh point per unit of each parameter. */
export function basisReach(bases: Record<(typeof basisNames)[number], Float32Array>): Float32Array {
  const reach = new Float32Array(basisCount);
  basisNames.forEach((name, b) => {
    const d = bases[name];
    for (let i = 0; i < d.length; i += 2) reach[b] = Math.max(reach[b]!, Math.hypot(d[i]!, d[i + 1]!));
  });
  return reach;
}
