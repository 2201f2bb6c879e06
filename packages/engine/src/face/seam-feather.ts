import type { PhotoRect } from './background-fill.js';

// Where the fill beside the photo meets the photo's side below the chin, the continued rows come from a blend of
// the shirt and the backdrop (the chin's fade rows) while the photo's side is left as photographed: around the
// shoulder's top the two met in a vertical seam (the tilted photo: 180 against 197 levels at the shoulder). The
// fill's first columns are eased towards the photo's side pixel of their row, so the difference becomes a gentle
// ramp across a few columns instead of a step.

/** Columns of fill over which the photo's side colour fades out. */
export const SEAM_FEATHER_PX = 8;

/**
 * `share(y)`: 0..1, how far row y is continued from the photo's side (below the chin). `shade(side, y, d)`: the levels
 * the light's slope across that side carries on to d px out (side-shading.ts), so the first columns ease towards
 * the side's pixel as continued, not a flat copy of it (which stopped the shading at the seam).
 */
export function featherSideSeams(
  rgba: Uint8ClampedArray,
  width: number,
  height: number,
  r: PhotoRect,
  share: (y: number) => number,
  shade: (side: 'left' | 'right', y: number, d: number) => number = () => 0,
): void {
  const sides: [number, number][] = [];
  if (r.x0 > 0) sides.push([r.x0, -1]);
  if (r.x1 < width) sides.push([r.x1 - 1, 1]);
  for (let y = Math.max(0, r.y0); y < Math.min(height, r.y1); y++) {
    const s = share(y);
    if (s <= 0) continue;
    for (const [edge, dir] of sides) {
      const e = (y * width + edge) * 4;
      const el = Math.max(1, 0.299 * rgba[e]! + 0.587 * rgba[e + 1]! + 0.114 * rgba[e + 2]!);
      for (let d = 1; d <= SEAM_FEATHER_PX; d++) {
        const x = edge + dir * d;
        if (x < 0 || x >= width) break;
        const t = 1 - (d - 0.5) / SEAM_FEATHER_PX;
        const k = s * t * t;
        const o = (y * width + x) * 4;
        const lift = 1 + shade(dir < 0 ? 'left' : 'right', y, d) / el;
        for (let c = 0; c < 3; c++) rgba[o + c] = rgba[o + c]! + (rgba[e + c]! * lift - rgba[o + c]!) * k;
      }
    }
  }
}
