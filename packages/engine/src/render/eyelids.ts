import { blendPixel, fillLens, type LensMask, smoothCurveY } from './lens-fill.js';
import type { Rect } from './warp-raster.js';

// A closing eyelid: the warp already stretches the lid skin down; this paints the covered part of the eye with
// skin taken from just above the lid (so it matches the photo), shading towards the rig's eyelid tone and a
// soft lash line at the margin. The contours are widened a little because landmark lids sit inside the lashes.

export function drawEyelid(
  frame: Int32Array,
  w: number,
  h: number,
  openLid: Float32Array,
  closedLid: Float32Array,
  count: number,
  eyelid: [number, number, number],
  closure: number,
  mask?: LensMask,
  /** The lower lid (corner to corner): a fully closed lid reaches it, so no white shows under the lashes. */
  lowerLid?: { points: Float32Array; count: number },
): Rect {
  const [er, eg, eb] = eyelid;
  let cx = 0;
  for (let i = 0; i < count; i++) cx += openLid[i * 2]! / count;
  const top = new Float32Array(count * 2);
  const bottom = new Float32Array(count * 2);
  // Near full closure the margin meets the lower lid; the lens also reaches further out and up at the ends,
  // where photo lashes sit outside the landmark lid.
  const meet = Math.max(0, Math.min(1, (closure - 0.6) / 0.4));
  for (let i = 0; i < count; i++) {
    const end = Math.abs((i / Math.max(1, count - 1)) * 2 - 1);
    top[i * 2] = cx + (openLid[i * 2]! - cx) * 1.36;
    top[i * 2 + 1] = openLid[i * 2 + 1]! - 1.8 - 1.2 * end * end;
    const x = cx + (closedLid[i * 2]! - cx) * 1.36;
    bottom[i * 2] = x;
    let y = closedLid[i * 2 + 1]! + 0.3;
    if (lowerLid && meet > 0)
      y = Math.max(y, y + (smoothCurveY(lowerLid.points, lowerLid.count, x) + 0.8 - y) * meet);
    bottom[i * 2 + 1] = y;
  }
  const opacity = Math.min(1, Math.max(0, (closure - 0.05) / 0.35));
  return fillLens(
    w,
    h,
    top,
    bottom,
    count,
    (o, xc, yc, yTop, yBottom, cover) => {
      const sy = Math.max(0, Math.floor(yTop - 2.5));
      const skin = frame[sy * w + Math.floor(xc)]!;
      const t = Math.min(1, (yc - yTop) / Math.max(1, yBottom - yTop));
      const k = 0.55 * t;
      let r = (skin & 255) * (1 - k) + er * 0.95 * k;
      let g = ((skin >>> 8) & 255) * (1 - k) + eg * 0.95 * k;
      let b = ((skin >>> 16) & 255) * (1 - k) + eb * 0.95 * k;
      const lash = Math.max(0, Math.min(1, (yc - (yBottom - 1.6)) / 1.3)) * 0.75;
      r += (er * 0.3 - r) * lash;
      g += (eg * 0.3 - g) * lash;
      b += (eb * 0.3 - b) * lash;
      const feather = Math.min(1, (yc - yTop) / 1.8 + 0.3);
      blendPixel(frame, o, r, g, b, cover * opacity * feather);
    },
    mask,
  );
}
