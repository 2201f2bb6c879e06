import { blendPixel, type LensMask, smoothCurveY } from './lens-fill.js';
import type { Rect } from './warp-raster.js';

// Lips pressed together (m, b, p) meet in a tighter, darker line than the relaxed closure's seam (closed-seam.ts,
// drawn once into the rest image): the compressed lips fold into each other, so the shadow narrows to a pixel or
// two and deepens, most at the corners where they tuck into the cheeks. Drawn per frame over the lips the press
// re-warped (the mask), in proportion to the press.

/** Shadow reach above and below the line (px). */
const ABOVE_PX = 1.4;
const BELOW_PX = 1.9;
/** Blend towards the shadow colour on the line at full press: at the middle, and the extra towards the corners. */
const PEAK_MIDDLE = 0.25;
const PEAK_CORNER_EXTRA = 0.2;
/** The line fades in over this many pixels from each corner. */
const END_FADE_PX = 4;

const smooth = (t: number) => (t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t));

export function drawPressedSeam(
  frame: Int32Array,
  w: number,
  h: number,
  upper: Float32Array,
  lower: Float32Array,
  count: number,
  lip: readonly [number, number, number],
  press: number,
  mask: LensMask,
): Rect {
  const seam = new Float32Array(count * 2);
  for (let i = 0; i < count * 2; i++) seam[i] = (upper[i]! + lower[i]!) / 2;
  // The landmarks wiggle by a pixel along the seam; a line drawn through them wiggled too (1-2-1, twice).
  for (let pass = 0; pass < 2; pass++) {
    let prev = seam[1]!;
    for (let i = 1; i + 1 < count; i++) {
      const y = seam[i * 2 + 1]!;
      seam[i * 2 + 1] = (prev + 2 * y + seam[(i + 1) * 2 + 1]!) / 4;
      prev = y;
    }
  }
  const left = Math.min(seam[0]!, seam[(count - 1) * 2]!);
  const right = Math.max(seam[0]!, seam[(count - 1) * 2]!);
  const mid = (left + right) / 2;
  const half = Math.max(1, (right - left) / 2);
  const [r, g, b] = [lip[0] * 0.3, lip[1] * 0.2, lip[2] * 0.24];
  let y0 = h;
  let y1 = 0;
  const x0 = Math.max(0, Math.floor(left));
  const x1 = Math.min(w, Math.ceil(right));
  for (let x = x0; x < x1; x++) {
    const xc = x + 0.5;
    const y = smoothCurveY(seam, count, xc);
    const u = Math.min(1, Math.abs(xc - mid) / half);
    const end = smooth(Math.min(xc - left, right - xc) / END_FADE_PX);
    const peak = press * (PEAK_MIDDLE + PEAK_CORNER_EXTRA * u * u) * end;
    if (peak <= 0) continue;
    const top = Math.max(0, Math.floor(y - ABOVE_PX));
    const bottom = Math.min(h, Math.ceil(y + BELOW_PX));
    for (let row = top; row < bottom; row++) {
      const o = row * w + x;
      if (mask.fresh[o] !== mask.stamp) continue;
      const d = row + 0.5 - y;
      const a = peak * (1 - smooth(Math.abs(d) / (d < 0 ? ABOVE_PX : BELOW_PX)));
      if (a <= 0) continue;
      blendPixel(frame, o, r, g, b, a);
      mask.drawn[o] = mask.stamp;
      y0 = Math.min(y0, row);
      y1 = Math.max(y1, row + 1);
    }
  }
  return { x0, y0: Math.min(y0, y1), x1, y1 };
}
