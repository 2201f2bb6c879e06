// Measurements of a placed template mesh that the drawing code builds shapes from.
import type { Pt } from './smooth-path.js';

export class FaceGeometry {
  /** Forehead-to-chin height in pixels. */
  readonly F: number;
  /** Cheek-to-cheek width (points 234 and 454) in pixels. */
  readonly W: number;
  /** Horizontal centre of the face. */
  readonly cx: number;

  constructor(readonly mesh: Float32Array) {
    this.F = Math.hypot(this.p(152)[0] - this.p(10)[0], this.p(152)[1] - this.p(10)[1]);
    this.W = Math.abs(this.p(454)[0] - this.p(234)[0]);
    this.cx = (this.p(454)[0] + this.p(234)[0]) / 2;
  }

  p(i: number): Pt {
    return [this.mesh[2 * i]!, this.mesh[2 * i + 1]!];
  }

  pts(indices: readonly number[]): Pt[] {
    return indices.map((i) => this.p(i));
  }

  centre(indices: readonly number[]): Pt {
    const ps = this.pts(indices);
    return [ps.reduce((s, p) => s + p[0], 0) / ps.length, ps.reduce((s, p) => s + p[1], 0) / ps.length];
  }

  /** A point offset from landmark i by (dx·W, dy·F). */
  off(i: number, dx: number, dy: number): Pt {
    const [x, y] = this.p(i);
    return [x + dx * this.W, y + dy * this.F];
  }
}
