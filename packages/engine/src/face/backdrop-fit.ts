// Which of a photo's border samples are backdrop: above the chin a border pixel may be the wall behind the subject
// or hair and a shoulder touching the photo's edge. A plane per channel fitted robustly (Tukey's biweight, started
// from the commonest smooth colour) to the smooth samples tells them apart; background-fill.ts averages by it.

import { luma } from './fill-pyramid.js';

/** Tukey cut-off for the backdrop fit, in robust standard deviations, and its floor in levels. */
const TUKEY = 4.685;
const TUKEY_FLOOR = 24;
/** Local luma deviation (levels) at which a sample counts half as backdrop: a plain wall is a few levels. */
const TEXTURE = 6;

/** One pixel of the photo's border band. */
export interface Sample {
  x: number;
  y: number;
  rgb: [number, number, number];
  /** How strongly the backdrop is expected here (rows above the chin). */
  backdrop: number;
  /** Local standard deviation of luma (5 × 5), in levels. */
  texture: number;
}

/**
 * Weights for the border samples: 1 where the body may continue past the photo; above the chin, how likely the
 * sample is backdrop: smooth (hair is textured), and near a plane (per channel, in x and y) fitted robustly to
 * the smooth samples (a dark mass of hair or a shoulder touching the edge stands apart from it).
 */
export function sampleWeights(samples: Sample[]): Float64Array {
  const weights = new Float64Array(samples.length).fill(1);
  const back = samples.filter((s) => s.backdrop > 0);
  if (back.length < 16) return weights;
  const smooth = Float64Array.from(back, (s) => 1 / (1 + (s.texture / TEXTURE) ** 2));
  // Start from the commonest smooth colour (by luma, 8-level bins, smoothed): hair can cover most of a side's
  // border, and dark hair is smooth too, but the backdrop is what the border shows most.
  const hist = new Float64Array(34);
  for (let i = 0; i < back.length; i++)
    hist[1 + Math.min(31, Math.floor(luma(...back[i]!.rgb) / 8))]! += smooth[i]!;
  let mode = 1;
  for (let b = 1; b <= 32; b++)
    if (hist[b - 1]! + 2 * hist[b]! + hist[b + 1]! > hist[mode - 1]! + 2 * hist[mode]! + hist[mode + 1]!)
      mode = b;
  let bw = Float64Array.from(back, (s, i) =>
    Math.abs(luma(...s.rgb) - (mode - 0.5) * 8) < 16 ? smooth[i]! : 0,
  );
  let plane = [0, 1, 2].map((c) => fitPlane(back, bw, c) ?? [128, 0, 0]);
  const median = (v: number[]) => (v.length ? v.sort((a, b) => a - b)[v.length >> 1]! : 0);
  const residual = (s: Sample) =>
    Math.hypot(
      ...[0, 1, 2].map((c) => s.rgb[c]! - (plane[c]![0]! + plane[c]![1]! * s.x + plane[c]![2]! * s.y)),
    );
  for (let iter = 0; iter < 5; iter++) {
    const res = back.map(residual);
    // The spread of the backdrop itself (the current inliers), not of everything on the border.
    const cut = Math.max(TUKEY_FLOOR, TUKEY * 1.4826 * median(res.filter((_, i) => bw[i]! > 0.25)));
    bw = Float64Array.from(res, (e, i) => smooth[i]! * (e < cut ? (1 - (e / cut) ** 2) ** 2 : 0));
    plane = [0, 1, 2].map((c) => fitPlane(back, bw, c) ?? plane[c]!);
  }
  let j = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    if (s.backdrop > 0) weights[i] = 1 - s.backdrop + s.backdrop * bw[j++]!;
  }
  return weights;
}

/** Weighted least squares of one channel on (1, x, y); undefined when singular. */
function fitPlane(samples: Sample[], w: Float64Array, c: number): number[] | undefined {
  // Centred, so the normal equations stay well conditioned at frame-sized coordinates.
  let sw = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < samples.length; i++) {
    sw += w[i]!;
    mx += w[i]! * samples[i]!.x;
    my += w[i]! * samples[i]!.y;
  }
  if (sw < 1e-6) return undefined;
  mx /= sw;
  my /= sw;
  let xx = 0;
  let xy = 0;
  let yy = 0;
  let xv = 0;
  let yv = 0;
  let mv = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    const dx = s.x - mx;
    const dy = s.y - my;
    const v = s.rgb[c]!;
    xx += w[i]! * dx * dx;
    xy += w[i]! * dx * dy;
    yy += w[i]! * dy * dy;
    xv += w[i]! * dx * v;
    yv += w[i]! * dy * v;
    mv += w[i]! * v;
  }
  mv /= sw;
  const det = xx * yy - xy * xy;
  // A border along one line (a single side) has no spread across it: fit the slope along it only.
  let gx = 0;
  let gy = 0;
  if (det > 1e-6 * (xx + yy) ** 2) {
    gx = (yy * xv - xy * yv) / det;
    gy = (xx * yv - xy * xv) / det;
  } else if (yy >= xx && yy > 0) gy = yv / yy;
  else if (xx > 0) gx = xv / xx;
  return [mv - gx * mx - gy * my, gx, gy];
}
