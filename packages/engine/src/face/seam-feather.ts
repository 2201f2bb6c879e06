import type { PhotoRect } from './background-fill.js';

// Where the fill beside the photo meets the photo's side below the chin, the continued rows come from a blend of
// the shirt and the backdrop (the chin's fade rows) while the photo's side is left as photographed: around the
// shoulder's top the two met in a vertical seam (the tilted photo: 180 against 197 levels at the shoulder). The
// fill's first columns are eased towards the photo's side pixel of their row, so the difference becomes a gentle
// ramp across a few columns instead of a step.

/** Columns of fill over which the photo's side colour fades out. */
export const SEAM_FEATHER_PX = 8;
/**
 * Beside a shirt modelled as a smooth surface (shirt-model.ts) its rows differ from the side's by a few levels (the
 * shade band), which eased in over 8 px became a slope across the seam steeper than the light's: there the side's
 * light, averaged over SMOOTH_ROWS either side, eases out over this longer reach, and only its detail (a fold's
 * shadow reaching the side) over the 8 px (carried 24 px it spread into a grey blot).
 */
export const SHIRT_FEATHER_PX = 24;
const SMOOTH_ROWS = 12;

/**
 * `share(y)`: 0..1, how far row y is continued from the photo's side (below the chin). `shade(side, y, d)`: the levels
 * the light's slope across that side carries on to d px out (side-shading.ts), so the first columns ease towards
 * the side's pixel as continued, not a flat copy of it (which stopped the shading at the seam). `reach(side)`: the
 * longer reach of its light, or SEAM_FEATHER_PX for none.
 */
export function featherSideSeams(
  rgba: Uint8ClampedArray,
  width: number,
  height: number,
  r: PhotoRect,
  share: (y: number) => number,
  shade: (side: 'left' | 'right', y: number, d: number) => number = () => 0,
  reach: (side: 'left' | 'right') => number = () => SEAM_FEATHER_PX,
): void {
  const sides: [number, number, Float64Array | null][] = [];
  if (r.x0 > 0)
    sides.push([r.x0, -1, reach('left') > SEAM_FEATHER_PX ? columnSums(rgba, width, r, r.x0) : null]);
  if (r.x1 < width)
    sides.push([r.x1 - 1, 1, reach('right') > SEAM_FEATHER_PX ? columnSums(rgba, width, r, r.x1 - 1) : null]);
  const smooth = [0, 0, 0];
  for (let y = Math.max(0, r.y0); y < Math.min(height, r.y1); y++) {
    const s = share(y);
    if (s <= 0) continue;
    for (const [edge, dir, sums] of sides) {
      const e = (y * width + edge) * 4;
      const el = Math.max(1, 0.299 * rgba[e]! + 0.587 * rgba[e + 1]! + 0.114 * rgba[e + 2]!);
      const side = dir < 0 ? 'left' : 'right';
      const px = sums ? reach(side) : SEAM_FEATHER_PX;
      if (sums) {
        const lo = Math.max(0, y - SMOOTH_ROWS - r.y0);
        const hi = Math.min(r.y1 - r.y0, y + SMOOTH_ROWS + 1 - r.y0);
        for (let c = 0; c < 3; c++) smooth[c] = (sums[hi * 3 + c]! - sums[lo * 3 + c]!) / (hi - lo);
      }
      for (let d = 1; d <= px; d++) {
        const x = edge + dir * d;
        if (x < 0 || x >= width) break;
        const t = 1 - (d - 0.5) / SEAM_FEATHER_PX;
        const k = d <= SEAM_FEATHER_PX ? s * t * t : 0;
        const o = (y * width + x) * 4;
        const lift = 1 + shade(side, y, d) / el;
        if (!sums) {
          for (let c = 0; c < 3; c++) rgba[o + c] = rgba[o + c]! + (rgba[e + c]! * lift - rgba[o + c]!) * k;
          continue;
        }
        // Level at the seam: the rows go on along the side's own slope at first.
        const u = 1 - (d - 0.5) / px;
        const long = s * u * u * (3 - 2 * u);
        for (let c = 0; c < 3; c++)
          rgba[o + c] =
            rgba[o + c]! + (smooth[c]! * lift - rgba[o + c]!) * long + (rgba[e + c]! - smooth[c]!) * lift * k;
      }
    }
  }
}

/** Running sums of a side column's colour down the photo's rows (3 per row, from 0). */
function columnSums(rgba: Uint8ClampedArray, width: number, r: PhotoRect, x: number): Float64Array {
  const sums = new Float64Array((r.y1 - r.y0 + 1) * 3);
  for (let i = 0; i < r.y1 - r.y0; i++) {
    const o = ((r.y0 + i) * width + x) * 4;
    for (let c = 0; c < 3; c++) sums[(i + 1) * 3 + c] = sums[i * 3 + c]! + rgba[o + c]!;
  }
  return sums;
}
