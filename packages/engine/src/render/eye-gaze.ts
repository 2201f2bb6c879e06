import { blendPixel, fillLens, type LensMask, smoothCurveY } from './lens-fill.js';
import type { Rect } from './warp-raster.js';

// Eye movement on a photo: the mesh has no points inside the eye, so the iris is moved by resampling the eye
// opening along a smooth one-dimensional warp: the middle of the eye (iris and pupil) shifts by the gaze, the
// corners stay where they are, and the eye white between is squeezed on one side and stretched on the other.
// Nothing is painted, so the photo's own whites, lid shadow and catch-lights move with the eye.

export interface EyeShape {
  /** Rest contours (corner to corner, same count) in photo pixels. */
  upper: Float32Array;
  lower: Float32Array;
  count: number;
  /** The corners' x in the photo (left < right). */
  x0: number;
  x1: number;
}

export function measureEye(upper: Float32Array, lower: Float32Array, count: number): EyeShape {
  const a = upper[0]!;
  const b = upper[(count - 1) * 2]!;
  return { upper, lower, count, x0: Math.min(a, b), x1: Math.max(a, b) };
}

const smooth = (t: number) => (t >= 1 ? 1 : t <= 0 ? 0 : t * t * (3 - 2 * t));

/** Largest iris shift as a share of the eye's width, horizontally and vertically. */
const MAX_SHIFT_X = 0.2;
const MAX_SHIFT_Y = 0.06;

/**
 * Redraws the eye opening (between the frame's lid contours `upper`/`lower`) with the iris moved by gaze
 * (`gx`, `gy` in -1..1). `offset` is where the eye's corners moved with the head (frame minus photo).
 */
export function drawGaze(
  frame: Int32Array,
  photo: Int32Array,
  w: number,
  h: number,
  eye: EyeShape,
  upper: Float32Array,
  lower: Float32Array,
  offset: [number, number],
  gx: number,
  gy: number,
  mask?: LensMask,
): Rect {
  const width = eye.x1 - eye.x0;
  const dx = gx * MAX_SHIFT_X * width;
  const dy = gy * MAX_SHIFT_Y * width;
  let colX = Number.NaN;
  let colSx = 0;
  let colWin = 0;
  let colDy = 0;
  let srcTop = 0;
  let srcSpan = 1;
  return fillLens(
    w,
    h,
    upper,
    lower,
    eye.count,
    (o, xc, yc, yTop, yBottom, cover) => {
      if (xc !== colX) {
        colX = xc;
        const px = xc - offset[0];
        const u = Math.max(0, Math.min(1, (px - eye.x0) / width));
        // Full shift at the middle (iris), little towards the corners, where drawn liners and lash wings sit.
        const win = Math.sin(Math.PI * u) ** 2;
        colSx = px;
        colWin = win;
        colDy = dy * win;
        // The photo's opening at the column the middle of the eye reads from.
        const from = px - dx * win;
        srcTop = smoothCurveY(eye.upper, eye.count, from);
        srcSpan = smoothCurveY(eye.lower, eye.count, from) - srcTop;
      }
      const v = Math.max(0, Math.min(1, (yc - yTop) / Math.max(0.5, yBottom - yTop)));
      // The upper lid's margin (lashes, a drawn liner) stays put; the shift grows over the first fifth inwards.
      // Lower down the eye reads at the same height in the photo's opening where it comes from, so the iris that
      // touches the lower lid there touches it here: held in place, the rows over the lower lid kept the white
      // under the moved iris (a white wedge on drawn eyes, a light band on photos).
      const hold = smooth(v / 0.22);
      const sx = colSx - dx * colWin * hold;
      const own = yc - offset[1];
      const sy = own + (srcTop + v * srcSpan - own) * hold - colDy * Math.sin(Math.PI * v);
      // Bilinear sample of the photo (pixel centres at +0.5).
      const fx = sx - 0.5;
      const fy = sy - 0.5;
      const ix = Math.floor(fx);
      const iy = Math.floor(fy);
      const ax = fx - ix;
      const ay = fy - iy;
      const i = iy * w + ix;
      const p00 = photo[i]!;
      const p10 = photo[i + 1]!;
      const p01 = photo[i + w]!;
      const p11 = photo[i + w + 1]!;
      // Inlined per channel: this runs per pixel of both eyes on every glancing frame.
      const w00 = (1 - ax) * (1 - ay);
      const w10 = ax * (1 - ay);
      const w01 = (1 - ax) * ay;
      const w11 = ax * ay;
      const r = (p00 & 255) * w00 + (p10 & 255) * w10 + (p01 & 255) * w01 + (p11 & 255) * w11;
      const g =
        ((p00 >>> 8) & 255) * w00 +
        ((p10 >>> 8) & 255) * w10 +
        ((p01 >>> 8) & 255) * w01 +
        ((p11 >>> 8) & 255) * w11;
      const b =
        ((p00 >>> 16) & 255) * w00 +
        ((p10 >>> 16) & 255) * w10 +
        ((p01 >>> 16) & 255) * w01 +
        ((p11 >>> 16) & 255) * w11;
      blendPixel(frame, o, r, g, b, cover);
    },
    mask,
  );
}
