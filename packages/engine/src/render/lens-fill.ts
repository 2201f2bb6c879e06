import type { Rect } from './warp-raster.js';

// Fills the region between two corner-to-corner contours (the mouth opening between the inner lips, or the part
// of an eye a closing lid covers) with anti-aliased top and bottom edges. The shader gets the pixel, its
// coverage and where it sits between the contours, and blends into the packed RGBA frame itself.

export type LensShader = (
  offset: number,
  xc: number,
  yc: number,
  yTop: number,
  yBottom: number,
  cover: number,
) => void;

/**
 * Which pixels a lens may draw: only those whose `fresh` stamp is `stamp` (redrawn this frame, so blending
 * reads current pixels); drawn pixels get `drawn` stamped, so the frame knows to colour-convert them.
 */
export interface LensMask {
  fresh: Uint8Array;
  drawn: Uint8Array;
  stamp: number;
}

export function fillLens(
  w: number,
  h: number,
  top: Float32Array,
  bottom: Float32Array,
  count: number,
  shade: LensShader,
  mask?: LensMask,
): Rect {
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    minX = Math.min(minX, top[i * 2]!, bottom[i * 2]!);
    maxX = Math.max(maxX, top[i * 2]!, bottom[i * 2]!);
    minY = Math.min(minY, top[i * 2 + 1]!, bottom[i * 2 + 1]!);
    maxY = Math.max(maxY, top[i * 2 + 1]!, bottom[i * 2 + 1]!);
  }
  const x0 = Math.max(0, Math.floor(minX));
  const x1 = Math.min(w, Math.ceil(maxX));
  for (let x = x0; x < x1; x++) {
    const xc = x + 0.5;
    const yTop = smoothCurveY(top, count, xc);
    const yBottom = smoothCurveY(bottom, count, xc);
    if (yBottom - yTop <= 0.02) continue;
    const r0 = Math.max(0, Math.floor(yTop - 0.5));
    const r1 = Math.min(h, Math.ceil(yBottom + 0.5));
    for (let y = r0; y < r1; y++) {
      const yc = y + 0.5;
      const cover = Math.min(1, Math.max(0, yc - yTop + 0.5)) * Math.min(1, Math.max(0, yBottom - yc + 0.5));
      if (cover <= 0.002) continue;
      const o = y * w + x;
      if (mask) {
        if (mask.fresh[o] !== mask.stamp) continue;
        mask.drawn[o] = mask.stamp;
      }
      shade(o, xc, yc, yTop, yBottom, cover);
    }
  }
  return { x0, y0: Math.max(0, Math.floor(minY) - 1), x1, y1: Math.min(h, Math.ceil(maxY) + 1) };
}

/** Blends colour (r, g, b) over the packed pixel at `offset` with opacity `a` (0..1). */
export function blendPixel(
  frame: Int32Array,
  offset: number,
  r: number,
  g: number,
  b: number,
  a: number,
): void {
  const p = frame[offset]!;
  const pr = p & 0xff;
  const pg = (p >>> 8) & 0xff;
  const pb = (p >>> 16) & 0xff;
  const nr = pr + (r - pr) * a;
  const ng = pg + (g - pg) * a;
  const nb = pb + (b - pb) * a;
  frame[offset] = 0xff000000 | (clamp8(nb) << 16) | (clamp8(ng) << 8) | clamp8(nr);
}

const clamp8 = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : (v + 0.5) | 0);

/**
 * y at x on a corner-to-corner contour of `count` points, Catmull-Rom between the landmarks so lips and lids
 * read as curves rather than polylines. Clamped to the end points outside the contour.
 */
export function smoothCurveY(pts: Float32Array, count: number, x: number): number {
  const increasing = px(pts, count, count - 1) >= px(pts, count, 0);
  for (let i = 0; i + 1 < count; i++) {
    const ax = px(pts, count, i);
    const bx = px(pts, count, i + 1);
    const inside = increasing ? x >= ax && x <= bx : x <= ax && x >= bx;
    if (!inside) continue;
    if (Math.abs(bx - ax) < 1e-6) return (py(pts, count, i) + py(pts, count, i + 1)) / 2;
    const t = (x - ax) / (bx - ax);
    const p0 = py(pts, count, i - 1);
    const p1 = py(pts, count, i);
    const p2 = py(pts, count, i + 1);
    const p3 = py(pts, count, i + 2);
    const t2 = t * t;
    return (
      0.5 *
      (2 * p1 + (p2 - p0) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2 + (3 * p1 - p0 - 3 * p2 + p3) * t2 * t)
    );
  }
  return Math.abs(x - px(pts, count, 0)) < Math.abs(x - px(pts, count, count - 1))
    ? py(pts, count, 0)
    : py(pts, count, count - 1);
}

/**
 * Math.hypot(1, s), computed as V8 computes it (scaled by the larger, Kahan-summed) so pixels stay bit-identical:
 * the builtin allocates its argument list on every call, and this runs per pixel column of every open mouth and its rim.
 */
export function hypot1(s: number): number {
  const b = Math.abs(s);
  if (b === Number.POSITIVE_INFINITY) return b;
  if (Number.isNaN(b)) return b;
  const max = Math.max(b, 1);
  const n0 = 1 / max;
  const n1 = b / max;
  let sum = 0;
  let compensation = 0;
  let summand = n0 * n0 - compensation;
  let preliminary = sum + summand;
  compensation = preliminary - sum - summand;
  sum = preliminary;
  summand = n1 * n1 - compensation;
  preliminary = sum + summand;
  sum = preliminary;
  return Math.sqrt(sum) * max;
}

// Point i of the contour, clamped to its ends. Module functions, not closures per call: this runs per pixel
// column of every mouth and lid, and a closure allocation (plus tsx's name helper) per call showed in profiles.
const px = (pts: Float32Array, count: number, i: number) => pts[Math.max(0, Math.min(count - 1, i)) * 2]!;
const py = (pts: Float32Array, count: number, i: number) => pts[Math.max(0, Math.min(count - 1, i)) * 2 + 1]!;
