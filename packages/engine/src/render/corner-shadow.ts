import { smoothCurveY as curveY, type LensMask } from './lens-fill.js';
import type { Rect } from './warp-raster.js';

// A photo's closed mouth has a dark fold at each corner (the commissure's shadow, a few pixels past where the lips
// meet). Opened, the corners drop and the skin around them is stretched, so that fold becomes a dark smudge beside
// each end of the opening (amara's "ah"), though a real opened corner is stretched smooth. As the mouth opens,
// the pixels just past each corner are lifted towards the skin above and below them: only lifted, never darkened,
// and only as far as a little under the darker of the two, so a beard or a shaded cheek stays as it is.

/**
 * How far past the corner the lift reaches, as a share of half the opening's width (and a third of that inwards),
 * plus however far the corner has come in from its rest place (amara's "oo" left the fold 14 px out).
 */
const REACH = 0.45;
/**
 * The lifted band around the corner's row, px: a little above, more below (the fold goes down with the lower lip's
 * corner; amara's darkest pixels sit 4–11 px under the opening's end).
 */
const BAND_UP = 4;
const BAND_DOWN = 14;
/** The lifted pixels end this much darker than their surroundings: an open corner keeps a soft shade. */
const KEEP_SHADE = 0.88;
/** At most this share of the way up: a little of the fold's texture stays. */
const MAX_LIFT = 0.85;

export function liftCornerShadows(
  frame: Int32Array,
  w: number,
  h: number,
  upper: Float32Array,
  lower: Float32Array,
  count: number,
  lip: readonly [number, number, number],
  /** The mouth's width at rest (px): the fold stays near the rest corner when rounding draws the corners in. */
  restWidth: number,
  strength: number,
  mask?: LensMask,
): Rect | null {
  if (strength <= 0 || count < 2) return null;
  const lipL = 0.299 * lip[0] + 0.587 * lip[1] + 0.114 * lip[2];
  const lipRed = redness(lip[0], lip[1], lip[2]);
  const leftX = (upper[0]! + lower[0]!) / 2;
  const rightX = (upper[(count - 1) * 2]! + lower[(count - 1) * 2]!) / 2;
  const half = (rightX - leftX) / 2;
  const reach = Math.max(3, half * REACH + Math.max(0, restWidth / 2 - half));
  let x0 = w;
  let x1 = 0;
  let y0 = h;
  let y1 = 0;
  for (let side = 0; side < 2; side++) {
    const i = side === 0 ? 0 : count - 1;
    const cx = side === 0 ? leftX : rightX;
    const cy = (upper[i * 2 + 1]! + lower[i * 2 + 1]!) / 2;
    const out = side === 0 ? -1 : 1;
    const xa = Math.max(0, Math.floor(Math.min(cx + out * reach, cx - (out * reach) / 3)));
    const xb = Math.min(w, Math.ceil(Math.max(cx + out * reach, cx - (out * reach) / 3)));
    for (let x = xa; x < xb; x++) {
      const xc = x + 0.5;
      // Distance past the corner, outwards: full lift from a third of the reach inside to half of it outside.
      const d = ((xc - cx) * out) / reach;
      const along = d < 0.5 ? Math.min(1, (d + 1 / 3) * 6) : Math.max(0, 1 - (d - 0.5) / 0.5);
      if (along <= 0) continue;
      // Inside the corner only the lower lip under the opening (the interior is drawn over the opening itself; the
      // upper lip there keeps its own shading).
      const yBottom = d < 0 ? curveY(lower, count, xc) : cy;
      // The surroundings: the darker of the pixels above and below the band, so a beard is not lifted.
      const ref = darker(frame, w, h, x, Math.round(cy - BAND_UP - 3), Math.round(cy + BAND_DOWN + 3));
      if (Number.isNaN(ref)) continue;
      const rr = ref & 255;
      const rg = (ref >>> 8) & 255;
      const rb = (ref >>> 16) & 255;
      const refL = Math.max(1, 0.299 * rr + 0.587 * rg + 0.114 * rb);
      const target = KEEP_SHADE * refL;
      const ya = Math.max(0, Math.floor(cy - BAND_UP));
      const yb = Math.min(h, Math.ceil(cy + BAND_DOWN));
      for (let y = ya; y < yb; y++) {
        const yc = y + 0.5;
        if (d < 0 && yc < yBottom + 0.5) continue;
        const across = yc < cy ? (cy - yc) / BAND_UP : (yc - cy) / BAND_DOWN;
        const k = strength * MAX_LIFT * along * (across < 0.65 ? 1 : Math.max(0, (1 - across) / 0.35));
        if (k <= 0) continue;
        const o = y * w + x;
        if (mask) {
          if (mask.fresh[o] !== mask.stamp) continue;
          mask.drawn[o] = mask.stamp;
        }
        const p = frame[o]!;
        const r = p & 255;
        const g = (p >>> 8) & 255;
        const b = (p >>> 16) & 255;
        const own = 0.299 * r + 0.587 * g + 0.114 * b;
        if (own >= target) continue;
        // A lip in shade (as red as the lip, not far darker) at and inside the corner is the lip's own modelling,
        // drawn on the illustrated faces: lifted in the skin's hue it turned grey-brown. The fold is far darker.
        // Soft, not a cut: a hard skip drew the fold's reddish rim as an outline round the lifted patch.
        const lipness =
          smooth(0.45, 0.6, own / lipL) *
          smooth(0.7, 0.9, redness(r, g, b) / lipRed) *
          (1 - smooth(0, 0.3, d));
        const kk = k * (1 - lipness);
        if (kk <= 0) continue;
        // Lifted in luma with the surroundings' hue: scaling a dark pixel's own colour up turned it orange.
        const s = (own + (target - own) * kk) / refL;
        frame[o] =
          (p & 0xff000000) |
          (Math.round(b + (Math.min(255, rb * s) - b) * kk) << 16) |
          (Math.round(g + (Math.min(255, rg * s) - g) * kk) << 8) |
          Math.round(r + (Math.min(255, rr * s) - r) * kk);
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x + 1);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y + 1);
      }
    }
  }
  return x1 > x0 ? { x0, y0, x1, y1 } : null;
}

/** The darker of two packed pixels in column x (rows off the frame are skipped); NaN if both are off it. */
function darker(frame: Int32Array, w: number, h: number, x: number, ya: number, yb: number): number {
  const a = ya >= 0 && ya < h ? frame[ya * w + x]! : Number.NaN;
  const b = yb >= 0 && yb < h ? frame[yb * w + x]! : Number.NaN;
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? b : a;
  return lumaOf(a) <= lumaOf(b) ? a : b;
}

const lumaOf = (p: number) => 0.299 * (p & 255) + 0.587 * ((p >>> 8) & 255) + 0.114 * ((p >>> 16) & 255);
const smooth = (a: number, b: number, x: number) => {
  const t = Math.max(0, Math.min(1, (x - a) / (b - a)));
  return t * t * (3 - 2 * t);
};
const redness = (r: number, g: number, b: number) => (r - g) / (r + g + b + 1);
