// The body beside a photo that is narrower than the frame, below its shoulder's top (shoulder-line.ts): a smooth
// model of the shirt's light fitted to the photo's last columns, not each row's side pixel carried outwards.
// Continued row by row, every fold, seam and JPEG row of the side became a horizontal streak across the whole
// fill (the tilted photo's left shirt: a striped white wedge). Per channel a surface in the column and the row
// (linear across, quadratic down) is fitted robustly to the shirt (a collar's line or a fold's shadow is left out)
// and carries on outwards with its slope across easing out, as light falling off does. The top's edge is drawn with
// the photo's own profile across it (its softness, and the shade where the shoulder turns away from the light).

import type { PhotoRect } from './background-fill.js';
import { luma } from './fill-pyramid.js';
import { type ShoulderLine, topAt } from './shoulder-line.js';

/** Columns inside the side the shirt is read over; rows under the top left to its edge profile. */
const READ_COLUMNS = 32;
const EDGE_ROWS = 6;
/** The edge profile: rows above and below the top it is read over (below it the surface alone). */
const ABOVE = 8;
const BELOW = 24;
/** Distance (px) over which the slope across eases out, and the steepest carried (levels per px). */
const EASE = 16;
const MAX_SLOPE = 1;
/** Tukey cut-off for the fit's residuals (levels), and the largest median residual of a plain shirt. */
const CUT = 24;
const PLAIN = 6;
/** Steepest top read as a shoulder's (rows per column): steeper is an arm or a fold. */
const MAX_TOP_SLOPE = 1.5;
/** How much softer the top's edge gets per px out (a shoulder turning away from the focal plane, not a cut-out). */
const SOFTEN = 0.004;

export interface ShirtModel {
  line: ShoulderLine;
  /** Fine grain of the shirt beside the side (levels, robust σ of luma minus its 3 × 3 mean). */
  grain: number;
  /** The shirt's colour at `d` px out from the side (negative: inside) and row y, into out[0..2]. */
  colour(d: number, y: number, out: Float64Array): void;
  /** How much of the shirt shows at (d, y), 0 above the top, 1 well under it (may dip where the top is shaded). */
  cover(d: number, y: number): number;
}

/** Solves the 4 × 4 system a·x = b in place (Gaussian elimination with partial pivoting); null when singular. */
function solve4(a: number[][], b: number[]): number[] | null {
  for (let i = 0; i < 4; i++) {
    let p = i;
    for (let j = i + 1; j < 4; j++) if (Math.abs(a[j]![i]!) > Math.abs(a[p]![i]!)) p = j;
    if (Math.abs(a[p]![i]!) < 1e-9) return null;
    [a[i], a[p]] = [a[p]!, a[i]!];
    [b[i], b[p]] = [b[p]!, b[i]!];
    for (let j = i + 1; j < 4; j++) {
      const f = a[j]![i]! / a[i]![i]!;
      for (let k = i; k < 4; k++) a[j]![k]! -= f * a[i]![k]!;
      b[j]! -= f * b[i]!;
    }
  }
  const x = [0, 0, 0, 0];
  for (let i = 3; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < 4; k++) s -= a[i]![k]! * x[k]!;
    x[i] = s / a[i]![i]!;
  }
  return x;
}

/**
 * The shirt under `line` beside `side`, read from `rgba` before any fill; null where too little of it shows (a
 * shoulder's top near the photo's bottom) or no surface fits it.
 */
export function shirtModel(
  rgba: Uint8ClampedArray,
  width: number,
  r: PhotoRect,
  side: 'left' | 'right',
  line: ShoulderLine,
  fall: number,
): ShirtModel | null {
  if (Math.abs(line.slope) > MAX_TOP_SLOPE) return null;
  const cols = Math.min(READ_COLUMNS, r.x1 - r.x0);
  const at = (k: number, y: number) => (y * width + (side === 'left' ? r.x0 + k : r.x1 - 1 - k)) * 4;
  const pts: { k: number; y: number; o: number }[] = [];
  for (let k = 0; k < cols; k++)
    for (let y = Math.max(r.y0, Math.ceil(topAt(line, -k, fall) + EDGE_ROWS)); y < r.y1 - 2; y++)
      pts.push({ k, y, o: at(k, y) });
  if (pts.length < 8 * cols) return null;
  const ym = pts.reduce((s, p) => s + p.y, 0) / pts.length;
  const span = Math.max(1, r.y1 - ym);
  const basis = (k: number, y: number) => {
    const t = (y - ym) / span;
    return [1, k, t, t * t];
  };
  const w = new Float64Array(pts.length).fill(1);
  /** Each point's luma off the last fit, in levels. */
  const res = new Float64Array(pts.length);
  let coef: number[][] = [];
  for (let iter = 0; iter < 4; iter++) {
    const next: number[][] = [];
    for (let c = 0; c < 3; c++) {
      const a = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
      const b = [0, 0, 0, 0];
      for (let i = 0; i < pts.length; i++) {
        const p = pts[i]!;
        const f = basis(p.k, p.y);
        const v = rgba[p.o + c]!;
        for (let m = 0; m < 4; m++) {
          b[m]! += w[i]! * f[m]! * v;
          for (let n = 0; n < 4; n++) a[m]![n]! += w[i]! * f[m]! * f[n]!;
        }
      }
      const x = solve4(a, b);
      if (!x) return null;
      next.push(x);
    }
    coef = next;
    for (let i = 0; i < pts.length; i++) {
      const p = pts[i]!;
      const f = basis(p.k, p.y);
      const fit = coef.map((x) => x.reduce((s, v, m) => s + v * f[m]!, 0));
      const e = luma(rgba[p.o]!, rgba[p.o + 1]!, rgba[p.o + 2]!) - luma(fit[0]!, fit[1]!, fit[2]!);
      res[i] = Math.abs(e);
      w[i] = Math.abs(e) < CUT ? (1 - (e / CUT) ** 2) ** 2 : 0;
    }
  }
  // A side that is not one plain surface (hair over a shoulder, a patterned cloth, things behind) is no shirt to
  // model: on a photo whose side was hair and a couch, the surface drew a beige hump with a dark band for its top.
  if (res.slice().sort()[res.length >> 1]! > PLAIN) return null;
  for (const x of coef) x[1] = Math.max(-MAX_SLOPE, Math.min(MAX_SLOPE, x[1]!));
  const colour = (d: number, y: number, out: Float64Array) => {
    // k runs inwards; outwards the slope across eases out.
    const k = d <= 0 ? -d : -EASE * (1 - Math.exp(-d / EASE));
    const t = (Math.max(r.y0, Math.min(r.y1 - 3, y)) - ym) / span;
    for (let c = 0; c < 3; c++) {
      const [a, b, e, q] = coef[c]!;
      out[c] = a! + b! * k + e! * t + q! * t * t;
    }
  };

  // The edge's profile: the side's luma across the top, as a share of the way from above it to the surface.
  const prof = new Float64Array(ABOVE + BELOW + 1);
  const fit = new Float64Array(3);
  let above = 0;
  let n = 0;
  for (let k = 0; k < cols; k++) {
    const top = topAt(line, -k, fall);
    const y = Math.round(top - ABOVE);
    if (y < r.y0) continue;
    above += luma(rgba[at(k, y)]!, rgba[at(k, y) + 1]!, rgba[at(k, y) + 2]!);
    n++;
  }
  if (n < cols / 2) return null;
  above /= n;
  const counts = new Float64Array(prof.length);
  for (let k = 0; k < cols; k++) {
    const top = topAt(line, -k, fall);
    for (let t = -ABOVE; t <= BELOW; t++) {
      const y = Math.round(top + t);
      if (y < r.y0 || y >= r.y1) continue;
      colour(-k, y, fit);
      const l = luma(rgba[at(k, y)]!, rgba[at(k, y) + 1]!, rgba[at(k, y) + 2]!);
      const full = luma(fit[0]!, fit[1]!, fit[2]!) - above;
      if (Math.abs(full) < 20) return null;
      prof[t + ABOVE]! += Math.max(-0.1, Math.min(1.1, (l - above) / full));
      counts[t + ABOVE]!++;
    }
  }
  for (let i = 0; i < prof.length; i++) prof[i] = counts[i]! > 0 ? prof[i]! / counts[i]! : i > ABOVE ? 1 : 0;
  // From the surface on, the surface alone; and 0 from the top of the read on, up.
  prof[0] = 0;
  prof[prof.length - 1] = 1;
  const cover = (d: number, y: number) => {
    const t = (y - topAt(line, d, fall)) / (1 + SOFTEN * Math.max(0, d)) + ABOVE;
    if (t <= 0) return 0;
    if (t >= prof.length - 1) return 1;
    const i = Math.floor(t);
    return Math.max(0, prof[i]! + (prof[i + 1]! - prof[i]!) * (t - i));
  };

  // Fine grain of the shirt, where the surface fits it.
  const dev: number[] = [];
  for (let i = 0; i < pts.length; i += 2) {
    const p = pts[i]!;
    if (w[i]! < 0.5 || p.k < 1 || p.k >= cols - 1 || p.y <= r.y0 || p.y >= r.y1 - 1) continue;
    let m = 0;
    for (let dy = -1; dy <= 1; dy++)
      for (let dk = -1; dk <= 1; dk++) {
        const q = at(p.k + dk, p.y + dy);
        m += luma(rgba[q]!, rgba[q + 1]!, rgba[q + 2]!) / 9;
      }
    dev.push(Math.abs(luma(rgba[p.o]!, rgba[p.o + 1]!, rgba[p.o + 2]!) - m));
  }
  dev.sort((a, b) => a - b);
  const grain = dev.length ? Math.min(6, (dev[dev.length >> 1]! * 1.4826) / Math.sqrt(8 / 9)) : 0;
  return { line, grain, colour, cover };
}
