import type { Rig } from '../face/rig.js';
import { interpolateY } from './contour-y.js';

/**
 * Landmark inner-lip contours of a smile often sit on the teeth or inside the lip rather than at the lip's edge.
 * Where the photo's lips are apart, move each inner point to the lip's own edge, so what lies inside the opening
 * (teeth, the dark mouth) stays there, where the interior is drawn, and does not ride along on the lips:
 * - upper lip: the strongest lip-to-teeth edge near it (teeth are brighter than lips in every photo we have seen);
 * - lower lip: the edge nearest the lip's inside where the colour turns from the opening's (lower teeth, or the
 *   dark mouth of a laugh, whose landmarks often sit on the lower teeth) to the lip's.
 * Without a clear edge the point stays.
 */
export function snapInnerLips(
  rig: Rig,
  rest: Float32Array,
  photo: Int32Array,
  inner: number[],
  outer: number[],
  /** +1 for the lower lip (below the opening), -1 for the upper. */
  dir: 1 | -1,
  opposite: number[],
): void {
  const w = rig.width;
  const rgb = (x: number, y: number): [number, number, number] => {
    let r = 0;
    let g = 0;
    let b = 0;
    for (let dx = -1; dx <= 1; dx++) {
      const p = photo[Math.max(0, Math.min(rig.height - 1, y)) * w + Math.max(0, Math.min(w - 1, x + dx))]!;
      r += p & 255;
      g += (p >>> 8) & 255;
      b += (p >>> 16) & 255;
    }
    return [r / 3, g / 3, b / 3];
  };
  const luma = (x: number, y: number) => {
    const [r, g, b] = rgb(x, y);
    return 0.299 * r + 0.587 * g + 0.114 * b;
  };
  const moved: Array<[number, number]> = [];
  for (let i = 1; i + 1 < inner.length; i++) {
    const p = inner[i]!;
    const x = Math.round(rest[p * 2]!);
    const y = rest[p * 2 + 1]!;
    const gap = (interpolateY(rest, opposite, x) - y) * -dir;
    const thick = Math.abs(interpolateY(rest, outer, x) - y);
    // Lips that meet leave the landmarks a few pixels apart on the dark line between them: no opening to
    // search, and the other lip's lit edge would pass for teeth.
    if (gap < Math.max(3, 0.3 * thick)) continue;
    const intoLip = 0.6 * thick;
    const lo = Math.ceil(dir < 0 ? y - intoLip : y - 0.5 * gap);
    const hi = Math.floor(dir < 0 ? y + 0.5 * gap : y + intoLip);
    const edge = dir < 0 ? upperLipEdge(x, lo, hi, luma) : lowerLipEdge(x, lo, hi, rgb);
    if (edge !== undefined) moved.push([p, edge]);
  }
  for (const [p, y] of moved) rest[p * 2 + 1] = y;
}

/** Row r whose boundary with r-1 is the strongest step from lip (above) to brighter teeth (below). */
function upperLipEdge(
  x: number,
  lo: number,
  hi: number,
  luma: (x: number, y: number) => number,
): number | undefined {
  let best = 30;
  let bestY: number | undefined;
  for (let r = lo; r <= hi; r++) {
    const contrast = luma(x, r) + luma(x, r + 1) - luma(x, r - 1) - luma(x, r - 2);
    if (contrast > best) {
      best = contrast;
      bestY = r;
    }
  }
  return bestY;
}

/**
 * Row where the lower lip starts, found from the lip's inside (row `hi`, whose colour is the lip's here) upwards:
 * the colour departs from the lip's towards the opening's (bright teeth, or the dark band of a laugh, whose
 * landmarks often sit on the lower teeth) up to a first extreme; the lip ends half-way to that extreme. Only the
 * first extreme counts: past a dark band the lower teeth come back towards a lip-like tone, and then differ again.
 */
function lowerLipEdge(
  x: number,
  lo: number,
  hi: number,
  rgb: (x: number, y: number) => [number, number, number],
): number | undefined {
  const a = rgb(x, hi);
  const b = rgb(x, hi - 1);
  const lip = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2];
  const away: number[] = [];
  let peak = 0;
  let extreme: [number, number, number] = a;
  for (let r = hi; r >= lo; r--) {
    const c = rgb(x, r);
    const d = Math.hypot(c[0] - lip[0]!, c[1] - lip[1]!, c[2] - lip[2]!);
    if (d < peak - 12) break;
    if (d > peak) {
      peak = d;
      extreme = c;
    }
    away.push(d);
  }
  if (peak < 30 || !looksInsideMouth(extreme, lip)) return undefined;
  // away[k] is row hi - k: the lowest row at least half-way to the extreme is the opening's; the lip is below it.
  const k = away.findIndex((d) => d >= peak / 2);
  return hi - k + 1;
}

const lumaOf = (c: ArrayLike<number>) => 0.299 * c[0]! + 0.587 * c[1]! + 0.114 * c[2]!;
const chromaOf = (c: ArrayLike<number>) => Math.max(c[0]!, c[1]!, c[2]!) - Math.min(c[0]!, c[1]!, c[2]!);

/**
 * Mouth interior next to a lip: far darker than the lip (the cavity), or brighter and nearly grey (teeth). The
 * shaded inner part of a lip, or the dark line where closed lips meet, is neither.
 */
function looksInsideMouth(c: ArrayLike<number>, lip: ArrayLike<number>): boolean {
  const l = lumaOf(lip);
  return lumaOf(c) < 0.55 * l || (lumaOf(c) > l && chromaOf(c) <= 0.8 * chromaOf(lip));
}

/**
 * How far the photo's upper teeth reach below the upper inner lip at the mouth's middle: per column near the
 * middle, the run of teeth-bright rows from the lip down (median over the columns). 0 when no teeth show.
 */
export function measureUpperTeeth(
  rig: Rig,
  rest: Float32Array,
  photo: Int32Array,
  upperInner: number[],
  lowerInner: number[],
): number {
  const { teeth, cavity, lip } = rig.colors;
  const luma = (r: number, g: number, b: number) => 0.299 * r + 0.587 * g + 0.114 * b;
  const threshold = (luma(...teeth) + luma(...cavity)) / 2;
  // Teeth are nearly grey; a lip's lit edge is as bright but keeps the lip's colour.
  const maxChroma = 0.8 * (Math.max(...lip) - Math.min(...lip));
  const left = rest[upperInner[0]! * 2]!;
  const right = rest[upperInner.at(-1)! * 2]!;
  const mx = (left + right) / 2;
  const half = Math.abs(right - left) / 2;
  const runs: number[] = [];
  for (let k = -4; k <= 4; k++) {
    const x = Math.round(mx + (k / 4) * 0.2 * half);
    const top = interpolateY(rest, upperInner, x);
    const bottom = interpolateY(rest, lowerInner, x);
    // The lip's edge may shade the first rows; the teeth start within two pixels of it or not at all.
    let run = 0;
    let started = false;
    for (let y = Math.ceil(top); y < bottom; y++) {
      const p = photo[y * rig.width + x]!;
      const r = p & 255;
      const g = (p >>> 8) & 255;
      const b = (p >>> 16) & 255;
      const bright = luma(r, g, b) >= threshold && Math.max(r, g, b) - Math.min(r, g, b) <= maxChroma;
      if (!bright && (started || y - top > 2.5)) break;
      if (bright) started = true;
      if (started) run = y + 1 - top;
    }
    runs.push(run);
  }
  runs.sort((a, b) => a - b);
  return runs[runs.length >> 1]!;
}
