import { bufferView, copyBytes } from './copy-bytes.js';
import type { I420Planes } from './i420.js';

// A cached I420 frame kept as what differs from the photo, per pair of rows (one chroma row): the interval
// [x0, x1) (even bounds) and the bytes of both luma rows and both chroma rows over it. Used for the head at an
// idle-loop pose: every frame at that pose starts from it and redraws only what else moves.

export interface PoseLayer {
  /** Parameter values (renderer basis order) the layer was drawn with. */
  values: Float32Array;
  p0: number;
  p1: number;
  x0: Int32Array;
  x1: Int32Array;
  offset: Int32Array;
  data: Uint8Array;
}

/** Per row pair, the interval where a full I420 frame differs from the photo. */
export class PairSpans {
  readonly x0: Int32Array;
  readonly x1: Int32Array;
  p0: number;
  p1: number;

  constructor(readonly pairs: number) {
    this.x0 = new Int32Array(pairs);
    this.x1 = new Int32Array(pairs);
    this.p0 = pairs;
    this.p1 = 0;
  }

  clear(): void {
    this.x0.fill(0, this.p0, this.p1);
    this.x1.fill(0, this.p0, this.p1);
    this.p0 = this.pairs;
    this.p1 = 0;
  }

  add(p: number, x0: number, x1: number): void {
    if (x1 <= x0) return;
    if (this.x1[p]! <= this.x0[p]!) {
      this.x0[p] = x0;
      this.x1[p] = x1;
    } else {
      if (x0 < this.x0[p]!) this.x0[p] = x0;
      if (x1 > this.x1[p]!) this.x1[p] = x1;
    }
    if (p < this.p0) this.p0 = p;
    if (p + 1 > this.p1) this.p1 = p + 1;
  }

  bytes(): number {
    let n = 0;
    for (let p = this.p0; p < this.p1; p++) n += Math.max(0, this.x1[p]! - this.x0[p]!) * 3;
    return n;
  }
}

/** Copies the spans' pixels out of a full frame into a layer. */
export function captureLayer(
  frame: I420Planes,
  w: number,
  spans: PairSpans,
  values: Float32Array,
): PoseLayer {
  const p0 = Math.min(spans.p0, spans.p1);
  const p1 = spans.p1;
  const n = p1 - p0;
  const x0 = spans.x0.slice(p0, p1);
  const x1 = spans.x1.slice(p0, p1);
  const offset = new Int32Array(n);
  const data = new Uint8Array(spans.bytes());
  let o = 0;
  for (let i = 0; i < n; i++) {
    offset[i] = o;
    const a = x0[i]!;
    const len = x1[i]! - a;
    if (len <= 0) continue;
    const y = (p0 + i) * 2;
    data.set(frame.y.subarray(y * w + a, y * w + a + len), o);
    data.set(frame.y.subarray((y + 1) * w + a, (y + 1) * w + a + len), o + len);
    const c = (p0 + i) * (w >> 1) + (a >> 1);
    data.set(frame.u.subarray(c, c + (len >> 1)), o + 2 * len);
    data.set(frame.v.subarray(c, c + (len >> 1)), o + 2 * len + (len >> 1));
    o += 3 * len;
  }
  return { values: values.slice(), p0, p1, x0, x1, offset, data };
}

/**
 * Makes `frame` equal to the photo plus `layer` (or the photo alone): restores the photo where `dirty` says the
 * frame differs and the layer does not cover, writes the layer, and leaves `dirty` = the layer's spans.
 */
export function applyLayer(
  frame: I420Planes,
  photo: I420Planes,
  w: number,
  dirty: PairSpans,
  layer: PoseLayer | null,
): void {
  const cw = w >> 1;
  const lp0 = layer ? layer.p0 : dirty.pairs;
  const lp1 = layer ? layer.p1 : 0;
  // Byte offsets of the planes in their buffers (each frame's planes share one buffer).
  const fv = bufferView(frame.y);
  const pv = bufferView(photo.y);
  const fy = frame.y.byteOffset;
  const fu = frame.u.byteOffset;
  const fvv = frame.v.byteOffset;
  const py = photo.y.byteOffset;
  const pu = photo.u.byteOffset;
  const pvv = photo.v.byteOffset;
  const restore = (p: number, a: number, b: number) => {
    if (b <= a) return;
    const y = p * 2;
    copyBytes(fv, fy + y * w + a, pv, py + y * w + a, b - a);
    copyBytes(fv, fy + (y + 1) * w + a, pv, py + (y + 1) * w + a, b - a);
    const c = p * cw + (a >> 1);
    copyBytes(fv, fu + c, pv, pu + c, (b >> 1) - (a >> 1));
    copyBytes(fv, fvv + c, pv, pvv + c, (b >> 1) - (a >> 1));
  };
  for (let p = dirty.p0; p < dirty.p1; p++) {
    const d0 = dirty.x0[p]!;
    const d1 = dirty.x1[p]!;
    if (d1 <= d0) continue;
    let l0 = d1;
    let l1 = d1;
    if (layer && p >= lp0 && p < lp1) {
      l0 = layer.x0[p - lp0]!;
      l1 = layer.x1[p - lp0]!;
      if (l1 <= l0) l0 = l1 = d1;
    }
    restore(p, d0, Math.min(d1, l0));
    restore(p, Math.max(d0, l1), d1);
  }
  dirty.clear();
  if (!layer) return;
  const data = layer.data;
  const dv = bufferView(data);
  const d0 = data.byteOffset;
  for (let i = 0; i < lp1 - lp0; i++) {
    const a = layer.x0[i]!;
    const len = layer.x1[i]! - a;
    if (len <= 0) continue;
    const p = lp0 + i;
    const y = p * 2;
    const o = layer.offset[i]!;
    copyBytes(fv, fy + y * w + a, dv, d0 + o, len);
    copyBytes(fv, fy + (y + 1) * w + a, dv, d0 + o + len, len);
    const c = p * cw + (a >> 1);
    copyBytes(fv, fu + c, dv, d0 + o + 2 * len, len >> 1);
    copyBytes(fv, fvv + c, dv, d0 + o + 2 * len + (len >> 1), 3 * len - (2 * len + (len >> 1)));
    dirty.add(p, a, a + len);
  }
}
