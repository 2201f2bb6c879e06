import type { BasisName } from './basis-names.js';
import { interpolateY } from './contour-y.js';
import { smoothstep } from './smoothstep.js';

// Lips pressed for m, b, p are not the relaxed rest closure: they are compressed against each other and rolled in a
// little, so less of each lip's red shows, and the corners are drawn in. This basis (driven by FaceParams.lipPress,
// whatever the jaw does) moves each lip's outline towards the seam in proportion to how far it lies from it (the
// inner edges stay on the seam), lets the skin beyond follow and fade, and brings the corners in. The rest seam
// (closed-seam.ts, or the drawn one) goes along; darkening it further on pressed frames (a band 1.4 px above,
// 1.9 below, 0.25 of the way to shadow in the middle) made the face-landmark model read an opening there: m/b/p
// under 2 % of the iris distance fell from 100 % to 39 % (illustrated) and 75 % to 68 % (photo; 4 Flite sentences,
// phoneme path); darkened at the corners only, to 64 % and 71 %.
// A smile's seam is a V (corners up); pressed, it flattens (the corners come down a little with the press). Left as
// the smile's V, a pressed mouth read as pressed only while the head leaned one way: on the teeth-showing photo fully
// pressed frames read 0.016 of the iris distance at the speech tilt -0.03 rad and 0.023 at +0.03, where the audio
// path happened to sit on most of its "pressed but read open" m/b/p (swapping the phoneme path's width, rounding, lip
// raise, tuck or jaw in changed nothing; its head closed 12 of 16). Flattened by 0.3 of the upturn, 0.003–0.010 at
// every speech tilt and nod (real closed mouths read 0.018–0.026 over the same tilts).

/** Share of its height each lip loses pressed: the lower lip rolls in more than the upper. */
const UPPER_ROLL = 0.2;
const LOWER_ROLL = 0.55;
/** The skin beyond each outline follows it, fading over this many lip heights. */
const SKIN_FOLLOW = 1.4;
/** The corners come in by this share of half the mouth's width. */
const CORNER_IN = 0.045;
/**
 * Share of a smile's upturn the seam loses pressed: the corners come down towards the line through the seam's lowest
 * point, parallel to the line between the corners, so pressed lips meet along a flatter line than the smile's.
 */
const FLATTEN = 0.3;
/**
 * Lips meet early in a press and then compress: a FaceParams.lipPress shows 1 − (1 − press)^PRESS_CURVE of the pressed
 * pose (and undoes that much of the jaw's pull). Linear, a partial press (the frame after a full one, or the audio
 * path's unsure closure, at 0.35) read 0.023 of the iris distance on the teeth-showing photo: the landmark model sees
 * lips meet only once the smile's seam has mostly flattened. Chosen on a grid of speech tilts, nods, widths, rounding
 * and jaw 0 / 0.1 (bench/lipsync-pixel-press-grid.ts): lips meeting on the photo / illustrated at a press of 0.35,
 * linear 39 % / 61 % of the grid, 2 → 72 % / 89 %, 3 → 75 % / 100 % (every cell with the jaw shut from 0.3 on; the
 * misses are jaw 0.1, which a press takes shut), 4 → 86 % / 100 % but with 0.87 of the pose shown by 0.4 it leaves
 * the compression little to grow.
 */
export const PRESS_CURVE = 3;

/** The share of the pressed pose a FaceParams.lipPress shows: fast at first (the lips touch), then compressing. */
export function pressedShare(press: number): number {
  const p = Math.max(0, Math.min(1, press));
  return 1 - (1 - p) ** PRESS_CURVE;
}

export interface LipSealInput {
  rest: Float32Array;
  /** Points that belong to a lip (rings between the outline and the inner edge included), corners left out. */
  upperLip: ReadonlySet<number>;
  lowerLip: ReadonlySet<number>;
  corners: ReadonlySet<number>;
  upperInner: readonly number[];
  lowerInner: readonly number[];
  upperOuter: readonly number[];
  lowerOuter: readonly number[];
  mx: number;
  halfMouth: number;
}

/** Adds the pressed-lips displacement of point p (rest x, y) to `basis`. */
export function addLipSeal(
  input: LipSealInput,
  p: number,
  x: number,
  y: number,
  basis: Record<BasisName, Float32Array>['lipSeal'],
): void {
  const { rest, mx, halfMouth } = input;
  const u = (x - mx) / halfMouth;
  // Outside the mouth's width nothing moves; the press fades towards the corners' own skin.
  const across = 1 - smoothstep(0.9, 1.35, Math.abs(u));
  if (across <= 0) return;
  const curve = (list: readonly number[]) => interpolateY(rest, list, x);
  const seam = (curve(input.upperInner) + curve(input.lowerInner)) / 2;
  const upperEdge = curve(input.upperOuter);
  const lowerEdge = curve(input.lowerOuter);
  const upperH = Math.max(1, seam - upperEdge);
  const lowerH = Math.max(1, lowerEdge - seam);
  // Towards the corners the lips thin out; the roll is a share of the height, so it thins with them.
  let dy = 0;
  if (input.corners.has(p)) dy = 0;
  else if (input.upperLip.has(p)) dy = UPPER_ROLL * Math.max(0, seam - y);
  else if (input.lowerLip.has(p)) dy = -LOWER_ROLL * Math.max(0, y - seam);
  else if (y < seam) {
    const d = Math.max(0, upperEdge - y) / (SKIN_FOLLOW * upperH);
    dy = UPPER_ROLL * upperH * Math.exp(-d * d);
  } else {
    const d = Math.max(0, y - lowerEdge) / (SKIN_FOLLOW * lowerH);
    dy = -LOWER_ROLL * lowerH * Math.exp(-d * d);
  }
  // Corners drawn in: the whole mouth narrows a little, most at the corners, fading out over the cheeks.
  const near = Math.exp(-(((y - seam) / (1.2 * halfMouth)) ** 2));
  const dx =
    -CORNER_IN *
    halfMouth *
    Math.max(-1.3, Math.min(1.3, u)) *
    near *
    (1 - smoothstep(1.1, 1.6, Math.abs(u)));
  const drop = FLATTEN * smileDrop(input, x) * near * (1 - smoothstep(1.1, 1.6, Math.abs(u)));
  basis[p * 2] = dx;
  basis[p * 2 + 1] = dy * across + drop;
}

/**
 * How far the seam at x lies above the line through its lowest point parallel to the corners' chord (0 for a level
 * or downturned mouth): a smile's upturn, the most at and beyond the corners.
 */
function smileDrop(input: LipSealInput, x: number): number {
  const { rest, upperInner, lowerInner } = input;
  const left = upperInner[0]!;
  const right = upperInner.at(-1)!;
  const [xl, yl, xr, yr] = [rest[left * 2]!, rest[left * 2 + 1]!, rest[right * 2]!, rest[right * 2 + 1]!];
  if (Math.abs(xr - xl) < 1) return 0;
  const chord = (at: number) => yl + ((yr - yl) * (at - xl)) / (xr - xl);
  const sag = (at: number) =>
    (interpolateY(rest, upperInner, at) + interpolateY(rest, lowerInner, at)) / 2 - chord(at);
  let deepest = 0;
  for (const p of upperInner) deepest = Math.max(deepest, sag(rest[p * 2]!));
  const inside = (x - xl) * (x - xr) < 0;
  return deepest - (inside ? Math.min(deepest, Math.max(0, sag(x))) : 0);
}
