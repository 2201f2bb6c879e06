// Filling a frame that is wider (or taller) than the placed photo: the photo's outer bands are stretched to reach
// the frame's edges instead of extending its edge pixels with a blur (which smears shirts and shoulders into a
// streak). The face and hair keep their size and place (an untouched core); outside it the stretch grows over the
// first part of the band and then holds, so there is no kink a viewer could see. A band that would have to be
// stretched more than MIN_SLOPE allows is not stretched at all: that side is left to the background estimate
// (background-fill.ts), as a stretched band followed by a fill would only smear the photo's edge (hair, a
// shoulder) wider. The frame's bottom is the exception: the body goes on downwards, so it is stretched as far as
// it may and the fill continues it.

/** Output coordinate → coordinate in the placed (unstretched) photo, along one axis of the frame. */
export interface AxisStretch {
  size: number;
  /** g at 0, 1, …, size (monotonic); identity when nothing is stretched. */
  table: Float64Array;
}

/** Share of a band over which the stretch grows from none to its full factor. */
const RAMP = 0.3;
/** The flattest a band may be drawn: 1 source pixel over 1/MIN_SLOPE output pixels. */
const MIN_SLOPE = 0.45;

function bandOffset(u: number, span: number, reach: number, partial: boolean): number {
  if (reach >= span) return u;
  const d = 1 - reach / span;
  let k = 1 - d / (1 - RAMP / 2);
  if (k < MIN_SLOPE) {
    if (!partial) return u;
    k = MIN_SLOPE;
  }
  const ramp = RAMP * span;
  return u - (1 - k) * (u <= ramp ? (u * u) / (2 * ramp) : u - ramp / 2);
}

/**
 * The map for one axis: the frame is [0, size], the photo covers [photoLo, photoHi] of it, and [coreLo, coreHi]
 * stays as placed. Sides the photo already covers are not touched. `partialHi`: the high side (the frame's
 * bottom, under a chest and shirt that go on downwards) is stretched as far as it may even when that does not
 * reach the edge.
 */
export function axisStretch(
  size: number,
  photoLo: number,
  photoHi: number,
  coreLo: number,
  coreHi: number,
  partialHi = false,
): AxisStretch {
  const lo = Math.max(0, Math.min(coreLo, size));
  const hi = Math.min(size, Math.max(coreHi, lo));
  // Half a pixel inside the photo, so bilinear sampling at the frame's edge pixels reads photo only.
  const reachLo = lo - (photoLo + 0.5);
  const reachHi = photoHi - 0.5 - hi;
  const table = new Float64Array(size + 1);
  for (let x = 0; x <= size; x++) {
    if (x < lo && photoLo > 0) table[x] = lo - bandOffset(lo - x, lo, reachLo, false);
    else if (x > hi && photoHi < size) table[x] = hi + bandOffset(x - hi, size - hi, reachHi, partialHi);
    else table[x] = x;
  }
  return { size, table };
}

export function isIdentity(s: AxisStretch): boolean {
  return s.table.every((v, x) => v === x);
}

/** g(x) for any x in [0, size]. */
export function stretchSource(s: AxisStretch, x: number): number {
  const c = Math.max(0, Math.min(s.size, x));
  const i = Math.min(s.size - 1, Math.floor(c));
  return s.table[i]! + (s.table[i + 1]! - s.table[i]!) * (c - i);
}

/** Where a point of the placed photo lands in the frame (the inverse of stretchSource). */
export function stretchTarget(s: AxisStretch, v: number): number {
  const t = s.table;
  if (v <= t[0]!) return v - t[0]!;
  if (v >= t[s.size]!) return s.size + (v - t[s.size]!);
  let a = 0;
  let b = s.size;
  while (b - a > 1) {
    const m = (a + b) >> 1;
    if (t[m]! <= v) a = m;
    else b = m;
  }
  const span = t[b]! - t[a]!;
  return a + (span > 0 ? (v - t[a]!) / span : 0);
}

/** The frame resampled through the two axis maps (bilinear, RGBA). */
export function applyStretch(
  rgba: Uint8ClampedArray,
  width: number,
  height: number,
  sx: AxisStretch,
  sy: AxisStretch,
): Uint8ClampedArray {
  const out = new Uint8ClampedArray(rgba.length);
  const xs = new Float64Array(width);
  for (let x = 0; x < width; x++)
    xs[x] = Math.max(0, Math.min(width - 1.001, stretchSource(sx, x + 0.5) - 0.5));
  for (let y = 0; y < height; y++) {
    const fy = Math.max(0, Math.min(height - 1.001, stretchSource(sy, y + 0.5) - 0.5));
    const iy = Math.floor(fy);
    const ay = fy - iy;
    for (let x = 0; x < width; x++) {
      const fx = xs[x]!;
      const ix = Math.floor(fx);
      const ax = fx - ix;
      const i = (iy * width + ix) * 4;
      const o = (y * width + x) * 4;
      for (let k = 0; k < 4; k++) {
        const top = rgba[i + k]! * (1 - ax) + rgba[i + 4 + k]! * ax;
        const bottom = rgba[i + width * 4 + k]! * (1 - ax) + rgba[i + width * 4 + 4 + k]! * ax;
        out[o + k] = top * (1 - ay) + bottom * ay;
      }
    }
  }
  return out;
}
