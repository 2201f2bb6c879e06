import type { Rig } from '../face/rig.js';
import { type BasisName, basisNames } from './basis-names.js';
import { interpolateY } from './contour-y.js';
import { addBlink, addBrows } from './eye-brow-bases.js';
import { addLipSeal, type LipSealInput } from './lip-seal.js';
import { smoothstep } from './smoothstep.js';

// One displacement basis per animation parameter over every mesh point (a frame's vertex positions are the rest
// positions plus a weighted sum of these): the head's turn, nod, tilt and breath with the shoulders following,
// the jaw hinging below the eyes, the lip shapes fading with distance from the mouth, brows and blinks.

/** Largest per-unit displacement (px) a basis may have and still count as not moving a point. */
const basisCutoffPx = 0.08;

/** MediaPipe's rings between each lip's outer and inner contour, corner points left out. */
const UPPER_SEMI_OUTER = [184, 74, 73, 72, 11, 302, 303, 304, 408];
const UPPER_SEMI_INNER = [183, 42, 41, 38, 12, 268, 271, 272, 407];
const LOWER_SEMI_OUTER = [77, 90, 180, 85, 16, 315, 404, 320, 307];
const LOWER_SEMI_INNER = [96, 89, 179, 86, 15, 316, 403, 319, 325];
const UPPER_LIP_MIDDLE = [...UPPER_SEMI_OUTER, ...UPPER_SEMI_INNER];
/** MediaPipe's lip corners: the outer contour's and its two middle rings' (shared by both lips). */
const LIP_CORNERS = [61, 291, 76, 306, 62, 292];
const LOWER_LIP_MIDDLE = [...LOWER_SEMI_OUTER, ...LOWER_SEMI_INNER];
/** How much of the inner lip's parting each lip ring takes (inner edge 1, out to the outline): the lip stays whole. */
const RING_SHARE = new Map<number, number>([
  ...[...UPPER_SEMI_INNER, ...LOWER_SEMI_INNER].map((p) => [p, 0.85] as const),
  ...[...UPPER_SEMI_OUTER, ...LOWER_SEMI_OUTER].map((p) => [p, 0.6] as const),
]);

/** Rounded lips part only within this share of the half seam (rest coordinates); beyond, they are held shut. */
const ROUND_OPENING_HALF_WIDTH = 0.62;
/** Where, along the half seam, pursed lips start and finish taking back the jaw's pull. */
const ROUND_SEAL_FROM = 0.3;
const ROUND_SEAL_TO = 0.62;

/** How much of the jaw's pull each lip ring gives back near pursed corners (inner edge 1, see roundSeal). */
const SEAL_SHARE = new Map<number, number>([
  ...[...UPPER_SEMI_INNER, ...LOWER_SEMI_INNER].map((p) => [p, 0.85] as const),
  ...[...UPPER_SEMI_OUTER, ...LOWER_SEMI_OUTER].map((p) => [p, 0.6] as const),
]);

function region(rig: Rig, name: string): number[] {
  const r = rig.regions[name];
  if (!r || r.length < 2) throw new Error(`rig is missing region "${name}"`);
  return r;
}

export interface BasisFrame {
  cx: number;
  cy: number;
  W: number;
  H: number;
  mx: number;
  my: number;
  mouthWidthPx: number;
}

export function buildBases(
  rig: Rig,
  rest: Float32Array,
  count: number,
  f: BasisFrame,
): Record<BasisName, Float32Array> {
  const bases = Object.fromEntries(basisNames.map((b) => [b, new Float32Array(count * 2)])) as Record<
    BasisName,
    Float32Array
  >;
  const set = (b: BasisName, p: number, dx: number, dy: number) => {
    bases[b][p * 2] = dx;
    bases[b][p * 2 + 1] = dy;
  };
  const { cx, cy, W, H, mx, my, mouthWidthPx } = f;
  const halfMouth = mouthWidthPx / 2;
  const idx = (name: string) => new Set(rig.regions[name] ?? []);
  // The lips' two middle rings belong to the lips too: left to the skin rules they dropped with the full jaw while
  // the lower lip's outline held at the corners, and the lip folded over its own outline (a jagged corner).
  const upperLipSet = new Set([...idx('lipsUpperOuter'), ...idx('lipsUpperInner'), ...UPPER_LIP_MIDDLE]);
  const lowerLipSet = new Set([...idx('lipsLowerOuter'), ...idx('lipsLowerInner'), ...LOWER_LIP_MIDDLE]);
  const upperInner = region(rig, 'lipsUpperInner');
  const lowerInner = region(rig, 'lipsLowerInner');
  const corners = new Set([upperInner[0]!, upperInner.at(-1)!, ...LIP_CORNERS]);
  const lipsLowerOuter = region(rig, 'lipsLowerOuter');
  const curveY = (list: number[], x: number) => interpolateY(rest, list, x);
  const chin = rig.regions.chin?.[0] ?? 152;
  const chinY = rest[chin * 2 + 1]!;
  const eyeY = (rest[(rig.regions.midwayBetweenEyes?.[0] ?? 168) * 2 + 1]! + cy - H * 0.1) / 2;
  const lowerLipY = curveY(lowerInner, mx);
  const restGap = Math.max(0, lowerLipY - curveY(upperInner, mx));
  const lowerLipThickness = Math.max(2, curveY(lipsLowerOuter, mx) - lowerLipY);
  const jawLipDrop = 0.1 * H;
  const seal: LipSealInput = {
    rest,
    upperLip: upperLipSet,
    lowerLip: lowerLipSet,
    corners,
    upperInner,
    lowerInner,
    upperOuter: region(rig, 'lipsUpperOuter'),
    lowerOuter: lipsLowerOuter,
    mx,
    halfMouth,
  };

  for (let p = 0; p < count; p++) {
    const x = rest[p * 2]!;
    const y = rest[p * 2 + 1]!;
    const onBorder = x <= 0.5 || y <= 0.5 || x >= rig.width - 0.5 || y >= rig.height - 0.5;
    const rf = Math.hypot((x - cx) / (W / 2), (y - cy) / (H / 2));
    // Head and hair move together; the weight falls to zero beyond the hair and down the neck.
    const rHead = Math.hypot((x - cx) / (0.8 * W), (y - (cy - 0.15 * H)) / (0.82 * H));
    const neck = 1 - smoothstep(chinY - 0.05 * H, chinY + 0.45 * H, y);
    // Hair cut by the frame's top edge: the head's motion fades out over the top rows instead of in the last
    // pixel, or the hair there would shimmer against the fixed edge.
    const top = smoothstep(0, 0.06 * rig.height, y);
    const head = onBorder ? 0 : (1 - smoothstep(0.95, 1.4, rHead)) * neck * top;
    const depth = 0.4 + 0.45 * Math.sqrt(Math.max(0, 1 - rf * rf));
    // Shoulders and chest follow the head a little (the body turns and tilts with it, the chest rises with a
    // breath), fading out before the frame's edges, which stay put.
    const below = smoothstep(chinY + 0.1 * H, chinY + 0.5 * H, y);
    const side = 1 - smoothstep(1.3, 2.3, Math.abs(x - cx) / (W / 2));
    const bottom = 1 - smoothstep(0.72 * rig.height, 0.92 * rig.height, y);
    const torso = onBorder ? 0 : (1 - head) * below * side * bottom;
    set('headYaw', p, W * depth * head + 0.12 * W * torso, 0);
    set('headPitch', p, 0, -H * depth * head);
    const pivotX = cx;
    const pivotY = chinY + 0.15 * H;
    const turn = head + 0.2 * torso;
    set('headRoll', p, -(y - pivotY) * turn, (x - pivotX) * turn);
    set('breath', p, 0, -(rig.height / 480) * (head + 0.8 * torso));

    // Jaw: the lower lip and chin drop, hinging near the ears, so points far below the eyes move most.
    const u = (x - mx) / halfMouth;
    const inMouthX = 1 - smoothstep(0.75, 1.15, Math.abs(u));
    const seam = (curveY(upperInner, x) + curveY(lowerInner, x)) / 2;
    let lower: number;
    if (corners.has(p)) lower = 0.5;
    // The upper lip follows its corners down a little near them: the corners drop with the jaw, and an upper lip
    // held still right beside them folded the few pixels between.
    else if (upperLipSet.has(p)) lower = 0.2 * smoothstep(0.55, 1.0, Math.abs(u));
    else if (lowerLipSet.has(p)) lower = 1;
    else {
      const bySeam = y > seam ? 1 : 0;
      const byHeight = smoothstep(my - 0.02 * H, my + 0.07 * H, y);
      lower = bySeam * inMouthX + byHeight * (1 - inMouthX);
    }
    const hinge = Math.max(0, Math.min(1.35, (y - eyeY) / (lowerLipY - eyeY)));
    const jawFade = (1 - smoothstep(1.0, 1.3, rf)) * (1 - smoothstep(chinY, chinY + 0.3 * H, y));
    // The cheeks hold the lip corners: the lower lip drops less towards them, so the opening tapers to its corners
    // like a lens instead of ending in a blunt step.
    const cornerHold =
      lowerLipSet.has(p) || corners.has(p) ? 1 - 0.55 * smoothstep(0.45, 1.0, Math.abs(u)) : 1;
    const jaw = onBorder ? 0 : lower * hinge * jawFade * cornerHold;
    set('jawOpen', p, -(x - mx) * 0.05 * jaw, jawLipDrop * jaw);
    // Pressing the lips: the inner lower lip comes all the way back up, its outer edge and the skin below less.
    const lipOuterY = curveY(lipsLowerOuter, x);
    const isInner = upperInner.includes(p) || lowerInner.includes(p);
    const press =
      lowerInner.includes(p) || corners.has(p)
        ? 1
        : 0.75 * Math.exp(-((Math.max(0, y - lipOuterY) / lowerLipThickness) ** 2));
    if (jaw > 0) set('lipPress', p, (x - mx) * 0.05 * jaw * press, -jawLipDrop * jaw * press);
    // Pursed lips keep their corners together as the jaw drops: the lips take back the jaw's pull towards the
    // corners (the middle still opens), so a rounded opening ends well inside the lips.
    if (jaw > 0 && (lowerLipSet.has(p) || upperLipSet.has(p) || corners.has(p))) {
      // The inner rings hold fully, the outline less: the lower lip thickens at the corners instead of its outline
      // hanging from the middle in a V.
      const share = isInner || corners.has(p) ? 1 : (SEAL_SHARE.get(p) ?? 0);
      const held = share * smoothstep(ROUND_SEAL_FROM, ROUND_SEAL_TO, Math.abs(u));
      set('roundSeal', p, (x - mx) * 0.05 * jaw * held, -jawLipDrop * jaw * held);
    }
    if (!onBorder && head > 0) addLipSeal(seal, p, x, y, bases.lipSeal);

    // Lip shapes act on the mouth and the skin around it, fading with distance from the mouth.
    const near = Math.exp(-(((x - mx) / (1.25 * halfMouth)) ** 2 + ((y - my) / (0.95 * halfMouth)) ** 2));
    const uc = Math.max(-1.2, Math.min(1.2, u));
    const centre = Math.max(0, 1 - uc * uc) ** 1.5;
    const upperSide = lower < 0.5 ? 1 : 0;
    set('mouthWidth', p, 2 * 0.13 * halfMouth * uc * near, -2 * 0.05 * halfMouth * uc * uc * near);
    // Rounding opens the lips as an ellipse (flat across the middle, closing at the corners), not a V.
    const roundProfile = Math.max(0, 1 - uc * uc) ** 0.4;
    const roundDy = (upperSide ? -1 : 1) * halfMouth * roundProfile * near;
    // Corners come in and the outer lip edges move apart (protrusion: fuller lips); the inner edges part only in
    // roundOpen. The lower outer edge moves little: pushed down with the corners in, it drew the lower lip's
    // middle down like a drip.
    // The corners come in more than the middle (|u|^1.5, still monotonic up to the clamp): squeezing the mouth
    // evenly crowded the lips' middle points together and pulled the lower lip into a V.
    const pucker = Math.sign(uc) * Math.abs(uc) ** 1.5;
    set(
      'mouthRound',
      p,
      -0.45 * halfMouth * pucker * near,
      isInner ? 0 : roundDy * (upperSide ? 0.08 : 0.02),
    );
    // The jaw's opening tapers to the corners (cornerHold); rounded, the lower lip also drops towards them, so the
    // opening is an oval, not a V hanging from its middle. Its outer edge follows half way.
    const roundSides = upperSide ? 0 : 2.4 * uc * uc * Math.sqrt(Math.max(0, 1 - uc * uc)) * halfMouth * near;
    const ring = isInner ? 1 : (RING_SHARE.get(p) ?? (lowerLipSet.has(p) ? 0.3 : 0));
    const slot = ring * (upperSide ? 0.1 * roundDy : 0.12 * (roundDy + roundSides));
    set('roundOpen', p, 0, slot);
    // Pursed lips open as an ellipse over the middle of the seam instead (their corners held shut by roundSeal):
    // the slot over the whole seam read as "ah" seen small. roundPurse turns the one into the other.
    const ellipse = Math.sqrt(Math.max(0, 1 - (uc / ROUND_OPENING_HALF_WIDTH) ** 2));
    set('roundPurse', p, 0, ring * halfMouth * ellipse * near * (upperSide ? -0.16 : 0.14) - slot);
    // Everything above the lips' seam (a smile's corners sit higher than its middle, so not "above the corners").
    set('upperLip', p, 0, -0.035 * H * upperSide * Math.sqrt(centre) * near);
    const lowerInnerSet = lowerInner.includes(p);
    const tuck = lowerInnerSet ? 0.6 * restGap + 0.25 * lowerLipThickness : 0.35 * lowerLipThickness;
    set('lowerLip', p, 0, lower >= 1 && !corners.has(p) ? -tuck * centre * near : 0);
  }
  smoothInnerLips(rest, upperInner, lowerInner, bases);
  addBrows(rig, rest, count, H, bases.brows);
  addBlink(rig, rest, 'rightEye', bases.blinkRight);
  addBlink(rig, rest, 'leftEye', bases.blinkLeft);
  // Gaussian falloffs never reach zero; displacements this small are invisible, and cutting them keeps each
  // basis's moving triangles local, so a frame re-warps only around what actually moves.
  for (const b of basisNames) {
    const d = bases[b];
    for (let i = 0; i < d.length; i += 2) {
      if (Math.abs(d[i]!) < basisCutoffPx && Math.abs(d[i + 1]!) < basisCutoffPx) {
        d[i] = 0;
        d[i + 1] = 0;
      }
    }
  }
  return bases;
}

/**
 * The inner lips' landmarks wiggle by a pixel or so along a closed seam, where it does not show; opened, and squeezed
 * together on a rounded vowel, that wiggle became a notch in the middle of the opening. As the lips part, each inner
 * point moves half way to its neighbours' mean (a 1-2-1 smoothing of the rest contour); a press undoes it with the
 * jaw's pull.
 */
function smoothInnerLips(
  rest: Float32Array,
  upperInner: readonly number[],
  lowerInner: readonly number[],
  bases: Record<BasisName, Float32Array>,
): void {
  for (const [list, drivers] of [
    [lowerInner, ['jawOpen', 'roundOpen']],
    [upperInner, ['roundOpen']],
  ] as const) {
    for (let i = 1; i + 1 < list.length; i++) {
      const p = list[i]!;
      const dy = 0.5 * ((rest[list[i - 1]! * 2 + 1]! + rest[list[i + 1]! * 2 + 1]!) / 2 - rest[p * 2 + 1]!);
      for (const b of drivers) bases[b][p * 2 + 1]! += dy;
      if (drivers.includes('jawOpen' as never)) bases.lipPress[p * 2 + 1]! -= dy;
    }
  }
}
