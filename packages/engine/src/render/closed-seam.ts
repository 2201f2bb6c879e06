import { blendPixel, smoothCurveY } from './lens-fill.js';
import type { WarpMesh } from './warp-mesh.js';

// Where closed lips meet: not a pen line but a shaded band. On a real closed mouth the upper lip's lower edge
// rolls away from the light and the lower lip's top turns up into it gradually, so the seam is 3–4 px of shadow,
// darkest on the line, ramping off faster above (the upper lip overhangs) than below, and deeper towards the
// corners where the lips fold into the cheeks. The warp leaves lighter slivers beside the line (the photo's wet
// inner lip or tooth edges squeezed thin); they are first evened to the lip's own colour a few pixels away, or the
// face-landmark model reads such a line as a lip's edge, several pixels off the seam.

/** Shadow reach above the seam line (px, at the middle). */
const ABOVE_PX = 2.8;
/** Shadow reach below it: the lower lip turns into the light more slowly. */
const BELOW_PX = 3.6;
/** Rows each side of the line whose light slivers are evened to the lip's colour, and how far off that is read. */
const SLIVER_PX = 3;
const LIP_SAMPLE_PX = 4;
/** Blend towards the shadow colour on the line: at the middle, and the extra towards the corners. */
const PEAK_MIDDLE = 0.5;
const PEAK_CORNER_EXTRA = 0.3;
/** The band ends over this many pixels at each corner, so it does not stop with a cut. */
const END_FADE_PX = 3;

const luma = (p: number) => 0.299 * (p & 0xff) + 0.587 * ((p >>> 8) & 0xff) + 0.114 * ((p >>> 16) & 0xff);
const smooth = (t: number) => (t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t));

/** Shadow weight at signed distance d (px, + below) from the seam line, before the peak is applied. */
export function seamProfile(d: number, narrow: number): number {
  const reach = (d < 0 ? ABOVE_PX : BELOW_PX) * narrow;
  return 1 - smooth(Math.abs(d) / reach);
}

export function drawClosedSeam(
  out: Int32Array,
  w: number,
  h: number,
  mesh: WarpMesh,
  lip: [number, number, number],
): void {
  const n = Math.min(mesh.upperInner.length, mesh.lowerInner.length);
  const seam = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const u = mesh.upperInner[i]!;
    const l = mesh.lowerInner[i]!;
    seam[i * 2] = (mesh.rest[u * 2]! + mesh.rest[l * 2]!) / 2;
    seam[i * 2 + 1] = (mesh.rest[u * 2 + 1]! + mesh.rest[l * 2 + 1]!) / 2;
  }
  const left = Math.min(seam[0]!, seam[(n - 1) * 2]!);
  const right = Math.max(seam[0]!, seam[(n - 1) * 2]!);
  const mid = (left + right) / 2;
  const half = Math.max(1, (right - left) / 2);
  const [r, g, b] = [lip[0] * 0.42, lip[1] * 0.3, lip[2] * 0.33];
  for (let x = Math.max(0, Math.floor(left)); x < Math.min(w, Math.ceil(right)); x++) {
    const xc = x + 0.5;
    const y = smoothCurveY(seam, n, xc);
    const u = Math.min(1, Math.abs(xc - mid) / half);
    const end = smooth(Math.min(xc - left, right - xc) / END_FADE_PX);
    const peak = (PEAK_MIDDLE + PEAK_CORNER_EXTRA * u * u) * end;
    const narrow = 1 - 0.35 * u * u;
    evenSliver(out, w, h, x, y, end);
    const top = Math.max(0, Math.floor(y - ABOVE_PX));
    const bottom = Math.min(h, Math.ceil(y + BELOW_PX));
    for (let row = top; row < bottom; row++) {
      const a = peak * seamProfile(row + 0.5 - y, narrow);
      if (a > 0) blendPixel(out, row * w + x, r, g, b, a);
    }
  }
}

/** Rows next to the line that are lighter than the lip's body a few pixels away take its colour (fading out). */
function evenSliver(out: Int32Array, w: number, h: number, x: number, y: number, weight: number): void {
  if (weight <= 0) return;
  for (const side of [1, -1]) {
    const refRow = Math.floor(y + side * LIP_SAMPLE_PX);
    if (refRow < 0 || refRow >= h) continue;
    const ref = out[refRow * w + x]!;
    const refLuma = luma(ref);
    for (let k = 0; k < SLIVER_PX; k++) {
      const row = side > 0 ? Math.floor(y) + k : Math.floor(y) - 1 - k;
      if (row < 0 || row >= h) continue;
      const p = out[row * w + x]!;
      const excess = luma(p) - refLuma;
      if (excess <= 0) continue;
      const fade = 1 - smooth(Math.abs(row + 0.5 - y) / (SLIVER_PX + 0.5));
      blendPixel(
        out,
        row * w + x,
        ref & 0xff,
        (ref >>> 8) & 0xff,
        (ref >>> 16) & 0xff,
        weight * fade * Math.min(1, excess / 6),
      );
    }
  }
}
