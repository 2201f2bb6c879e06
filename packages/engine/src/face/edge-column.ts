// The photo's side columns as photographed, for continuing the rows beside a photo that is narrower than the frame
// (background-fill.ts): a shirt goes on with its own edge instead of the fill's wide blur.
import type { PhotoRect } from './background-fill.js';

const EDGE_SKIP = 2;

/** A side column of the photo (two pixels wide), averaged over rows around any row in O(1). */
export interface EdgeColumn {
  /** RGB mean over the rows within `radius` of y (clipped to the photo), into out[0..2]. */
  mean(y: number, radius: number, out: Float64Array): void;
}

export function edgeColumn(
  rgba: Uint8ClampedArray,
  width: number,
  r: PhotoRect,
  x: number,
  inward: number,
): EdgeColumn {
  const rows = r.y1 - r.y0;
  const sums = new Float64Array((rows + 1) * 3);
  const x2 = Math.max(r.x0, Math.min(r.x1 - 1, x + inward));
  for (let i = 0; i < rows; i++) {
    const a = ((r.y0 + i) * width + x) * 4;
    const b = ((r.y0 + i) * width + x2) * 4;
    for (let c = 0; c < 3; c++) sums[(i + 1) * 3 + c] = sums[i * 3 + c]! + (rgba[a + c]! + rgba[b + c]!) / 2;
  }
  return {
    mean(y, radius, out) {
      // Not the photo's first and last EDGE_SKIP rows: resampled, its last row came out 35 levels darker than the
      // shirt above it, and continued it drew a strip along the frame's bottom.
      const first = Math.min(EDGE_SKIP, rows - 1);
      const last = Math.max(first + 1, rows - EDGE_SKIP);
      const lo = Math.max(first, Math.min(last - 1, Math.round(y - radius) - r.y0));
      const hi = Math.max(lo + 1, Math.min(last, Math.round(y + radius) - r.y0 + 1));
      for (let c = 0; c < 3; c++) out[c] = (sums[hi * 3 + c]! - sums[lo * 3 + c]!) / (hi - lo);
    },
  };
}
