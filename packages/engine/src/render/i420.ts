import type { Rect } from './warp-raster.js';

// RGBA → I420 (BT.601, limited range: what VP8/H.264 encoders and WebRTC expect), integer math as in libyuv.
// Works on a rectangle so a frame only re-converts the rows and columns that changed. Chroma is the average of
// each 2×2 block, so rectangles are widened to even bounds.

export interface I420Planes {
  y: Uint8Array;
  u: Uint8Array;
  v: Uint8Array;
}

/** Views of the three planes inside one I420 buffer of a `w`×`h` frame (w and h even). */
export function i420Planes(buf: Uint8Array, w: number, h: number): I420Planes {
  const ySize = w * h;
  const cSize = (w >> 1) * (h >> 1);
  return {
    y: buf.subarray(0, ySize),
    u: buf.subarray(ySize, ySize + cSize),
    v: buf.subarray(ySize + cSize, ySize + 2 * cSize),
  };
}

export const i420Size = (w: number, h: number) => w * h + 2 * (w >> 1) * (h >> 1);

export function evenRect(r: Rect, w: number, h: number): Rect {
  return {
    x0: Math.max(0, r.x0 & ~1),
    y0: Math.max(0, r.y0 & ~1),
    x1: Math.min(w, (r.x1 + 1) & ~1),
    y1: Math.min(h, (r.y1 + 1) & ~1),
  };
}

export function rgbaToI420(src: Int32Array, w: number, h: number, out: I420Planes, rect?: Rect): void {
  const r = evenRect(rect ?? { x0: 0, y0: 0, x1: w, y1: h }, w, h);
  const cw = w >> 1;
  for (let y = r.y0; y < r.y1; y += 2) {
    let o0 = y * w + r.x0;
    let co = (y >> 1) * cw + (r.x0 >> 1);
    for (let x = r.x0; x < r.x1; x += 2, o0 += 2, co++) convertBlock(src, w, out, o0, co);
  }
}

/** Converts the 2×2 block whose top-left pixel is `o0` (chroma index `co`): BT.601 limited range. */
function convertBlock(src: Int32Array, w: number, out: I420Planes, o0: number, co: number): void {
  const o1 = o0 + w;
  const a = src[o0]!;
  const b = src[o0 + 1]!;
  const c = src[o1]!;
  const d = src[o1 + 1]!;
  const ar = a & 255;
  const ag = (a >>> 8) & 255;
  const ab = (a >>> 16) & 255;
  const br = b & 255;
  const bg = (b >>> 8) & 255;
  const bb = (b >>> 16) & 255;
  const cr = c & 255;
  const cg = (c >>> 8) & 255;
  const cb = (c >>> 16) & 255;
  const dr = d & 255;
  const dg = (d >>> 8) & 255;
  const db = (d >>> 16) & 255;
  const yp = out.y;
  yp[o0] = ((66 * ar + 129 * ag + 25 * ab + 128) >> 8) + 16;
  yp[o0 + 1] = ((66 * br + 129 * bg + 25 * bb + 128) >> 8) + 16;
  yp[o1] = ((66 * cr + 129 * cg + 25 * cb + 128) >> 8) + 16;
  yp[o1 + 1] = ((66 * dr + 129 * dg + 25 * db + 128) >> 8) + 16;
  const sr = (ar + br + cr + dr + 2) >> 2;
  const sg = (ag + bg + cg + dg + 2) >> 2;
  const sb = (ab + bb + cb + db + 2) >> 2;
  out.u[co] = ((-38 * sr - 74 * sg + 112 * sb + 128) >> 8) + 128;
  out.v[co] = ((112 * sr - 94 * sg - 18 * sb + 128) >> 8) + 128;
}

/** Copies rectangle `r` of an I420 frame from `from` to `to` (both full frames). */
export function copyI420Rect(from: I420Planes, to: I420Planes, w: number, h: number, rect: Rect): void {
  const r = evenRect(rect, w, h);
  for (let y = r.y0; y < r.y1; y++) to.y.set(from.y.subarray(y * w + r.x0, y * w + r.x1), y * w + r.x0);
  const cw = w >> 1;
  for (let y = r.y0 >> 1; y < r.y1 >> 1; y++) {
    const s = y * cw + (r.x0 >> 1);
    const e = y * cw + (r.x1 >> 1);
    to.u.set(from.u.subarray(s, e), s);
    to.v.set(from.v.subarray(s, e), s);
  }
}

/**
 * Converts the 2×2 blocks of row pair `y`, `y + 1` within [x0, x1) (even bounds) that hold at least one pixel
 * stamped `stamp` in `mask`; the other blocks keep what `out` has.
 */
export function rgbaPairToI420Masked(
  src: Int32Array,
  w: number,
  out: I420Planes,
  y: number,
  x0: number,
  x1: number,
  mask: Uint8Array,
  stamp: number,
): void {
  let o0 = y * w + x0;
  let co = (y >> 1) * (w >> 1) + (x0 >> 1);
  for (let x = x0; x < x1; x += 2, o0 += 2, co++) {
    const o1 = o0 + w;
    if (mask[o0] !== stamp && mask[o0 + 1] !== stamp && mask[o1] !== stamp && mask[o1 + 1] !== stamp)
      continue;
    convertBlock(src, w, out, o0, co);
  }
}
