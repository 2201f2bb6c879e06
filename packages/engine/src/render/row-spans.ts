import type { Rect, RowClip } from './warp-raster.js';

// Per-row extents of what a frame redrew. Restoring and colour-converting only these spans (instead of their
// bounding box) keeps the per-frame cost proportional to the pixels that actually moved.

export class RowSpans {
  readonly min: Int32Array;
  readonly max: Int32Array;
  y0: number;
  y1: number;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.min = new Int32Array(height).fill(width);
    this.max = new Int32Array(height);
    this.y0 = height;
    this.y1 = 0;
  }

  clear(): void {
    for (let y = this.y0; y < this.y1; y++) {
      this.min[y] = this.width;
      this.max[y] = 0;
    }
    this.y0 = this.height;
    this.y1 = 0;
  }

  add(y: number, x0: number, x1: number): void {
    if (x0 < this.min[y]!) this.min[y] = x0;
    if (x1 > this.max[y]!) this.max[y] = x1;
    if (y < this.y0) this.y0 = y;
    if (y + 1 > this.y1) this.y1 = y + 1;
  }

  /** Adds every row's extent of `o` (same size). */
  addSpans(o: RowSpans): void {
    for (let y = o.y0; y < o.y1; y++) if (o.max[y]! > o.min[y]!) this.add(y, o.min[y]!, o.max[y]!);
  }

  addRect(r: Rect): void {
    for (let y = Math.max(0, r.y0); y < Math.min(this.height, r.y1); y++)
      this.add(y, Math.max(0, r.x0), Math.min(this.width, r.x1));
  }

  copyFrom(o: RowSpans): void {
    this.min.set(o.min);
    this.max.set(o.max);
    this.y0 = o.y0;
    this.y1 = o.y1;
  }

  bounds(): Rect {
    let x0 = this.width;
    let x1 = 0;
    for (let y = this.y0; y < this.y1; y++) {
      if (this.max[y]! > this.min[y]!) {
        x0 = Math.min(x0, this.min[y]!);
        x1 = Math.max(x1, this.max[y]!);
      }
    }
    return x1 > x0 ? { x0, y0: this.y0, x1, y1: this.y1 } : { x0: 0, y0: 0, x1: 0, y1: 0 };
  }

  /** Sets `clip` to the rows within `m` px of these spans, each widened by `m` px (the ring around a core). */
  clipAround(m: number, clip: RowClip): void {
    clip.y0 = Math.max(0, this.y0 - m);
    clip.y1 = Math.min(this.height, this.y1 + m);
    for (let y = clip.y0; y < clip.y1; y++) {
      let a = this.width;
      let b = 0;
      for (let k = Math.max(this.y0, y - m); k < Math.min(this.y1, y + m + 1); k++) {
        if (this.max[k]! <= this.min[k]!) continue;
        if (this.min[k]! < a) a = this.min[k]!;
        if (this.max[k]! > b) b = this.max[k]!;
      }
      clip.min[y] = Math.max(0, a - m);
      clip.max[y] = Math.min(this.width, b + m);
    }
  }

  /** Calls fn(y, x0, x1) for each row pair (y even) with the union of both rows' extents, widened to even x. */
  forEachRowPair(fn: (y: number, x0: number, x1: number) => void): void {
    for (let y = this.y0 & ~1; y < this.y1; y += 2) {
      const a0 = this.min[y]!;
      const a1 = this.max[y]!;
      const b0 = y + 1 < this.height ? this.min[y + 1]! : this.width;
      const b1 = y + 1 < this.height ? this.max[y + 1]! : 0;
      const x0 = Math.min(a0, b0) & ~1;
      const x1 = Math.min(this.width, (Math.max(a1, b1) + 1) & ~1);
      if (x1 > x0) fn(y, x0, x1);
    }
  }
}
