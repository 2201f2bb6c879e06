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

/** Share of its height each lip loses pressed: the lower lip rolls in more than the upper. */
const UPPER_ROLL = 0.2;
const LOWER_ROLL = 0.55;
/** The skin beyond each outline follows it, fading over this many lip heights. */
const SKIN_FOLLOW = 1.4;
/** The corners come in by this share of half the mouth's width. */
const CORNER_IN = 0.045;

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
  basis[p * 2] = dx;
  basis[p * 2 + 1] = dy * across;
}
