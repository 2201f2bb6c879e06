// Where a shoulder's top goes beside a photo that is narrower than the frame. The top is read from the photo's last
// columns as a line (its row at the side and its slope) and goes on as a rounded shoulder: from the photo's own
// slope (a tilted photo's body, levelled, rises towards the side) it bends over BEND px to the fall of a shoulder
// dropping to the arm. (At a fixed fall it met a rising top in a peak, a pale wedge pointing at the photo's edge; set
// level at the side it met it in a corner. Continued straight, a rising top became a hump.)

import type { PhotoRect } from './background-fill.js';

/** Columns inside the photo's side the line is read over, and over how many px the top bends to the fall. */
const READ_COLUMNS = 24;
const BEND = 48;
/** A column's edge: the strongest change over 4 rows, at least this many levels. */
const MIN_EDGE = 40;

/** A shoulder's top at the photo's side: the row it crosses the side column at, and rows per column outwards. */
export interface ShoulderLine {
  row: number;
  slope: number;
}

/**
 * The row of the shoulder's top `d` px out from the side (negative d: inside the photo, along the line as read),
 * bending from the line's slope to `fall` (or keeping the line's, where it already falls faster).
 */
export function topAt(line: ShoulderLine, d: number, fall: number): number {
  if (d <= 0) return line.row + line.slope * d;
  const to = Math.max(fall, line.slope);
  const bend = Math.min(d, BEND);
  return (
    line.row +
    line.slope * d +
    ((to - line.slope) * bend * bend) / (2 * BEND) +
    (to - line.slope) * (d - bend)
  );
}

/**
 * The shoulder's top near the photo's side, or null where the columns there have no clear edge below `fromY` or
 * their edges do not line up.
 */
export function shoulderTop(
  rgba: Uint8ClampedArray,
  width: number,
  r: PhotoRect,
  side: 'left' | 'right',
  fromY: number,
): ShoulderLine | null {
  const luma = (x: number, y: number) => {
    const o = (y * width + x) * 4;
    return 0.299 * rgba[o]! + 0.587 * rgba[o + 1]! + 0.114 * rgba[o + 2]!;
  };
  const ks: number[] = [];
  const rows: number[] = [];
  const y0 = Math.max(r.y0 + 2, Math.round(fromY));
  for (let k = 2; k < READ_COLUMNS && k < r.x1 - r.x0; k++) {
    const x = side === 'left' ? r.x0 + k : r.x1 - 1 - k;
    let best = MIN_EDGE;
    let row = -1;
    for (let y = y0; y < r.y1 - 2; y++) {
      const g = Math.abs(luma(x, y + 2) - luma(x, y - 2));
      if (g > best) {
        best = g;
        row = y;
      }
    }
    if (row >= 0) {
      ks.push(k);
      rows.push(row);
    }
  }
  if (ks.length < READ_COLUMNS / 2) return null;
  const n = ks.length;
  const mk = ks.reduce((a, b) => a + b, 0) / n;
  const mr = rows.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (ks[i]! - mk) * (rows[i]! - mr);
    sxx += (ks[i]! - mk) ** 2;
  }
  const b = sxy / sxx;
  // Edges that do not line up (collar, folds, the neck) say nothing about the shoulder.
  const residuals = rows.map((y, i) => Math.abs(y - (mr + b * (ks[i]! - mk)))).sort((p, q) => p - q);
  if (residuals[n >> 1]! > 3) return null;
  // k runs inwards: outwards the top moves by −b rows per column.
  return { row: mr - b * mk, slope: -b };
}
