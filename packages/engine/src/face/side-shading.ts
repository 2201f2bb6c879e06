// The light across a photo's side, for the rows background-fill.ts continues beside it. A continued row was its side
// pixel carried straight outwards, flat, so light falling off across the photo (the tilted photo's diagonal shade on
// the shirt beside the shoulder) stopped at the photo's edge in a line. Per row, a plane fitted to the last columns
// gives the light's slope across the side (its change down the rows taken out), and the row carries that slope on,
// easing out with the distance as light falling off does. A row whose side is an edge or texture (hair, a collar,
// the shirt's top) has no one plane and carries none. (Following the shading's slant instead, reading the side
// pixel of the row its line leads to, bent the shirt's continued top into a bulge where the line met it.)

import type { PhotoRect } from './background-fill.js';
import { luma } from './fill-pyramid.js';

/** Columns inside the side the plane is fitted over, and rows either side of the row. */
const READ_COLUMNS = 10;
const READ_ROWS = 3;
/** A row's plane is trusted nearly fully under this RMS residual (levels); at twice it, a fifth as much. */
const SMOOTH_FIT = 3;
/** Rows either side the slopes are averaged over: row by row they drew the fill in streaks. */
const SPREAD = 12;
/** Steepest slope carried (levels per px): steeper is an edge, not light. */
const MAX_SLOPE = 1;
/** Distance (px) over which the carried slope eases out: at most this many px of it in all. */
const EASE = 16;

/** Per photo row (r.y0 …), the luma slope outwards across `side` (levels per px), 0 where no plane fits. */
export function sideSlopes(
  rgba: Uint8ClampedArray,
  width: number,
  r: PhotoRect,
  side: 'left' | 'right',
): Float32Array {
  const rows = r.y1 - r.y0;
  const slope = new Float32Array(rows);
  if (r.x1 - r.x0 <= READ_COLUMNS) return slope;
  const mk = (READ_COLUMNS - 1) / 2;
  for (let i = 0; i < rows; i++) {
    const y = r.y0 + i;
    const ya = Math.max(r.y0, y - READ_ROWS);
    const yb = Math.min(r.y1 - 1, y + READ_ROWS);
    const my = (ya + yb) / 2;
    // Plane v = m + a·(k − mk) + c·(v − my) over k (inwards) and rows: the grid is regular, so a and c separate.
    let n = 0;
    let sv = 0;
    let skv = 0;
    let skk = 0;
    let syv = 0;
    let syy = 0;
    for (let v = ya; v <= yb; v++)
      for (let k = 0; k < READ_COLUMNS; k++) {
        const x = side === 'left' ? r.x0 + k : r.x1 - 1 - k;
        const o = (v * width + x) * 4;
        const l = luma(rgba[o]!, rgba[o + 1]!, rgba[o + 2]!);
        n++;
        sv += l;
        skv += (k - mk) * l;
        skk += (k - mk) ** 2;
        syv += (v - my) * l;
        syy += (v - my) ** 2;
      }
    const m = sv / n;
    const a = skv / skk;
    const c = syy > 0 ? syv / syy : 0;
    let res = 0;
    for (let v = ya; v <= yb; v++)
      for (let k = 0; k < READ_COLUMNS; k++) {
        const x = side === 'left' ? r.x0 + k : r.x1 - 1 - k;
        const o = (v * width + x) * 4;
        res += (luma(rgba[o]!, rgba[o + 1]!, rgba[o + 2]!) - m - a * (k - mk) - c * (v - my)) ** 2;
      }
    const trust = 1 / (1 + (Math.sqrt(res / n) / SMOOTH_FIT) ** 4 / 4);
    // k runs inwards: outwards the luma changes by −a a px.
    slope[i] = Math.max(-MAX_SLOPE, Math.min(MAX_SLOPE, -a)) * trust;
  }
  const spread = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = i - SPREAD; j <= i + SPREAD; j++) s += slope[Math.max(0, Math.min(rows - 1, j))]!;
    spread[i] = s / (2 * SPREAD + 1);
  }
  return spread;
}

/** Levels the carried slope adds `d` px out from the side. */
export function carriedShade(slope: number, d: number): number {
  return slope * EASE * (1 - Math.exp(-d / EASE));
}
