// The normalised Gaussian pyramid the background fill is estimated on: premultiplied colour and weight per
// sample, each level blurred by a binomial kernel and halved, read at any blur σ by blending levels.

export const luma = (r: number, g: number, b: number) => 0.299 * r + 0.587 * g + 0.114 * b;

export function smoothstep(t: number): number {
  const c = Math.max(0, Math.min(1, t));
  return c * c * (3 - 2 * c);
}

/** Weight of each coarser level in the estimate (see fieldAt). */
const COARSE = 0.1;

export interface Level {
  w: number;
  h: number;
  /** Premultiplied R, G, B and the weight, interleaved. */
  data: Float64Array;
}

/** Binomial [1 4 6 4 1] blur, then every other sample: σ ≈ 1 sample of this level. */
export function reduce(l: Level): Level {
  const w = Math.ceil(l.w / 2);
  const h = Math.ceil(l.h / 2);
  const k = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16];
  const rows = new Float64Array(w * l.h * 4);
  for (let y = 0; y < l.h; y++)
    for (let x = 0; x < w; x++)
      for (let t = -2; t <= 2; t++) {
        const sx = Math.max(0, Math.min(l.w - 1, 2 * x + t));
        const i = (y * l.w + sx) * 4;
        const o = (y * w + x) * 4;
        for (let c = 0; c < 4; c++) rows[o + c]! += k[t + 2]! * l.data[i + c]!;
      }
  const data = new Float64Array(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let t = -2; t <= 2; t++) {
      const sy = Math.max(0, Math.min(l.h - 1, 2 * y + t));
      for (let x = 0; x < w; x++) {
        const i = (sy * w + x) * 4;
        const o = (y * w + x) * 4;
        for (let c = 0; c < 4; c++) data[o + c]! += k[t + 2]! * rows[i + c]!;
      }
    }
  return { w, h, data };
}

/** Bilinear read of level k at frame point (x, y) (pixel centres), into `out` (premultiplied RGB, weight). */
function sample(l: Level, k: number, x: number, y: number, out: Float64Array): void {
  // Sample i of level k sits on frame pixel i·2^k (reduce keeps the even samples).
  const s = 2 ** k;
  const fx = Math.max(0, Math.min(l.w - 1, x / s));
  const fy = Math.max(0, Math.min(l.h - 1, y / s));
  const ix = Math.min(l.w - 2, Math.floor(fx));
  const iy = Math.min(l.h - 2, Math.floor(fy));
  const ax = fx - ix;
  const ay = fy - iy;
  const i = (iy * l.w + ix) * 4;
  const j = i + l.w * 4;
  for (let c = 0; c < 4; c++) {
    const top = l.data[i + c]! * (1 - ax) + l.data[i + 4 + c]! * ax;
    const bottom = l.data[j + c]! * (1 - ax) + l.data[j + 4 + c]! * ax;
    out[c] = top * (1 - ay) + bottom * ay;
  }
}

/** The fill's field at (x, y) at blur σ, into `acc` (premultiplied RGB, weight). */
export function fieldAt(
  levels: Level[],
  sigmas: number[],
  acc: Float64Array,
  x: number,
  y: number,
  sigma: number,
): void {
  let k = 1;
  while (k < sigmas.length - 1 && sigmas[k]! < sigma) k++;
  const t = Math.max(0, Math.min(1, (sigma - sigmas[k - 1]!) / (sigmas[k]! - sigmas[k - 1]!)));
  // The wanted scale, as a fractional level, read by linear interpolation between its two levels; coarser
  // levels add a little each, so where every sample near the wanted scale was left out (a stretch of hair on
  // the border) they take over smoothly. Every level's weight is continuous in the scale: no seams.
  const at = k - 1 + t;
  acc.fill(0);
  for (let j = k - 1; j < levels.length; j++) {
    const wj = Math.max(0, 1 - Math.abs(j - at)) + COARSE * Math.max(0, Math.min(1, j - at));
    if (wj <= 0) continue;
    sample(levels[j]!, j, x, y, LEVEL_SAMPLE);
    for (let c = 0; c < 4; c++) acc[c]! += wj * LEVEL_SAMPLE[c]!;
  }
}

const LEVEL_SAMPLE = new Float64Array(4);
