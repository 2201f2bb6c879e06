// How a shoulder's top goes on beside a photo that is narrower than the frame (background-fill.ts continues each
// row's side pixels from a row higher per column). At a fixed fall the continued top met a shoulder that rises
// towards the photo's side (a tilted photo's body, turned with it) in a peak: a pale wedge of shirt pointing at the
// photo's edge. Such a top leaves the side level and bends to the fall. (Continuing the rise drew a hump whose top,
// above the chin, faded into the backdrop: a soft blur, not a shoulder's edge.)

import type { PhotoRect } from './background-fill.js';

/** Columns inside the photo's side the slope is read over, and over how many px a rising top bends to the fall. */
const READ_COLUMNS = 24;
const BEND = 48;
/** A column's edge: the strongest change over 4 rows, at least this many levels. */
const MIN_EDGE = 40;

/** Rows the shoulder's top has fallen at `d` px out from the photo's side. */
export type ShoulderDrop = (d: number) => number;

export function shoulderDrop(
  rgba: Uint8ClampedArray,
  width: number,
  r: PhotoRect,
  side: 'left' | 'right',
  fromY: number,
  fall: number,
): ShoulderDrop {
  const slope = edgeSlope(rgba, width, r, side, fromY);
  // A top that does not rise towards the side goes on at the fall.
  if (slope === null || slope >= 0) return (d) => fall * d;
  return (d) => (d < BEND ? (fall * d * d) / (2 * BEND) : (fall * BEND) / 2 + fall * (d - BEND));
}

/**
 * The shoulder's top near the photo's side, in rows per column outwards (negative: it rises towards the side), or
 * null where the columns there have no clear edge below `fromY` or their edges do not line up.
 */
function edgeSlope(
  rgba: Uint8ClampedArray,
  width: number,
  r: PhotoRect,
  side: 'left' | 'right',
  fromY: number,
): number | null {
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
  return -b;
}
