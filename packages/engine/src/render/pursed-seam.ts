import { type LensMask, smoothCurveY } from './lens-fill.js';
import { THIN_GAP_PX, THIN_RAMP_PX } from './lip-rim.js';
import type { Rect } from './warp-raster.js';

// Pursed lips held shut at their corners ("oo") are pressed together there: the photo's seam, squeezed by the
// corners drawn in, showed as a short dark-red line at each end of the oval. Across the held-shut part the seam's
// rows take the lip's colour, interpolated between the upper lip above and the lower lip below, so the lip runs
// continuously from one to the other. Nothing happens where the lips are apart (the interior and rim draw there)
// nor without rounding (a closed or spread mouth keeps the photo's own seam).

/** Half the rows the pressed seam covers (px); fully lip-coloured within REACH - FADE of the seam. */
const REACH = 2.5;
const FADE = 1.5;
/** Where the lips' colour is read, above and below the seam (px). */
const REFERENCE = 3.5;
/** Columns over which the press fades in from each corner (px). */
const CORNER_FADE = 2;

export function pressPursedSeam(
  frame: Int32Array,
  w: number,
  h: number,
  upper: Float32Array,
  lower: Float32Array,
  count: number,
  round: number,
  strength: number,
  mask?: LensMask,
): Rect | null {
  const s0 = round * strength;
  if (s0 <= 0) return null;
  const start = Math.max(0, Math.floor(Math.min(upper[0]!, lower[0]!)));
  const end = Math.min(w, Math.ceil(Math.max(upper[(count - 1) * 2]!, lower[(count - 1) * 2]!)));
  let x0 = w;
  let x1 = 0;
  let y0 = h;
  let y1 = 0;
  for (let x = start; x < end; x++) {
    const xc = x + 0.5;
    const yTop = smoothCurveY(upper, count, xc);
    const yBottom = smoothCurveY(lower, count, xc);
    const shut = 1 - Math.min(1, Math.max(0, (yBottom - yTop - THIN_GAP_PX) / THIN_RAMP_PX));
    // Faded in from each corner: there the lip is thin and the reference above is skin (a light fleck).
    const ends = Math.min(1, Math.max(0, Math.min(xc - start, end - xc) / CORNER_FADE));
    const s = s0 * shut * ends;
    if (s <= 0) continue;
    const seam = (yTop + yBottom) / 2;
    const ya = Math.floor(seam - REFERENCE);
    const yb = Math.floor(seam + REFERENCE);
    if (ya < 0 || yb >= h) continue;
    const pa = frame[ya * w + x]!;
    const pb = frame[yb * w + x]!;
    const r0 = Math.max(0, Math.floor(seam - REACH));
    const r1 = Math.min(h, Math.ceil(seam + REACH));
    for (let y = r0; y < r1; y++) {
      const yc = y + 0.5;
      const k = s * Math.min(1, Math.max(0, (REACH - Math.abs(yc - seam)) / FADE));
      if (k <= 0) continue;
      const o = y * w + x;
      if (mask) {
        if (mask.fresh[o] !== mask.stamp) continue;
        mask.drawn[o] = mask.stamp;
      }
      const t = (yc - (ya + 0.5)) / (yb - ya);
      const p = frame[o]!;
      frame[o] =
        (p & -16777216) |
        mix(pa, pb, p, t, k, 0) |
        (mix(pa, pb, p, t, k, 8) << 8) |
        (mix(pa, pb, p, t, k, 16) << 16);
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x + 1);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y + 1);
    }
  }
  return x1 > x0 ? { x0, y0, x1, y1 } : null;
}

/** One channel of `p` moved by `k` towards the colour `t` of the way from `pa` to `pb`. */
function mix(pa: number, pb: number, p: number, t: number, k: number, shift: number): number {
  const a = (pa >>> shift) & 255;
  const b = (pb >>> shift) & 255;
  const c = (p >>> shift) & 255;
  return Math.round(c + (a + (b - a) * t - c) * k);
}
