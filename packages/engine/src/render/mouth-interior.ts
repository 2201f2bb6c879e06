import type { RigColors } from '../face/rig.js';
import { blendPixel, fillLens, type LensMask, smoothCurveY } from './lens-fill.js';
import type { Rect } from './warp-raster.js';

// The inside of an open mouth, drawn into the opening between the warped inner lips (so the lips stay on top):
// upper teeth hanging from the upper lip, a cavity in the photo's own dark tone that deepens towards the back,
// and for wide opens a hint of tongue and lower teeth.

export interface MouthInteriorStyle {
  colors: RigColors;
  /** Upper-teeth height at the centre in pixels (matches the photo when it shows teeth). */
  teethHeight: number;
  mouthWidth: number;
  /**
   * For a photo that shows its own upper teeth: the photo and its inner lips at rest. Upper teeth are then
   * taken from the photo (they hang from the upper jaw, which does not move) wherever it shows them.
   */
  photo?: { pixels: Int32Array; width: number; restUpper: Float32Array; restLower: Float32Array };
}

export function drawMouthInterior(
  frame: Int32Array,
  w: number,
  h: number,
  upper: Float32Array,
  lower: Float32Array,
  count: number,
  style: MouthInteriorStyle,
  opacity: number,
  mask?: LensMask,
): Rect {
  const [tr, tg, tb] = style.colors.teeth;
  const [cr, cg, cb] = style.colors.cavity;
  const [lr, lg, lb] = style.colors.lip;
  const leftX = upper[0]!;
  const rightX = upper[(count - 1) * 2]!;
  const mid = (leftX + rightX) / 2;
  const half = Math.max(1, Math.abs(rightX - leftX) / 2);
  const toothW = style.mouthWidth * 0.12;
  const photo = style.photo;
  let shiftX = 0;
  let columnX = Number.NaN;
  let columnTop = 0;
  let columnBottom = 0;
  if (photo) {
    for (let i = 0; i < count; i++) shiftX += (upper[i * 2]! - photo.restUpper[i * 2]!) / count;
  }
  return fillLens(
    w,
    h,
    upper,
    lower,
    count,
    (o, xc, yc, yTop, yBottom, cover) => {
      const u = Math.max(-1, Math.min(1, (xc - mid) / half));
      const gap = yBottom - yTop;
      const d = yc - yTop;
      const t = d / gap;
      // Cavity: darkest towards the corners and up under the teeth, a little light on the floor of the mouth.
      const floor = Math.max(0, t - 0.45) * (1 - u * u);
      const cavityShade = (0.42 + 0.35 * floor) * (1 - 0.35 * u * u);
      let r = cr * cavityShade;
      let g = cg * cavityShade;
      let b = cb * cavityShade;
      // Tongue rises from the bottom when the mouth is open wide.
      const wide = Math.max(0, Math.min(1, (gap / style.mouthWidth - 0.18) / 0.2));
      if (wide > 0) {
        const tongueTop = yBottom - gap * 0.38 * Math.sqrt(Math.max(0, 1 - u * u * 1.3));
        const a = wide * Math.max(0, Math.min(1, (yc - tongueTop) / 3 + 0.5)) * 0.7;
        const ts = 0.5 + 0.15 * (1 - Math.abs(u)) * Math.min(1, (yc - tongueTop) / 4);
        r += (lr * ts - r) * a;
        g += (lg * ts - g) * a;
        b += (lb * ts - b) * a;
        // Lower teeth: a narrow, shadowed band just inside the lower lip.
        const band = style.teethHeight * 0.28 * (1 - u * u);
        const lt =
          Math.max(0, Math.min(1, yc - (yBottom - band) + 0.5)) * wide * 0.55 * (Math.abs(u) < 0.75 ? 1 : 0);
        r += (tr * 0.55 - r) * lt * 0.7;
        g += (tg * 0.55 - g) * lt * 0.7;
        b += (tb * 0.55 - b) * lt * 0.7;
      }
      // Upper teeth follow the upper lip's curve and recede (darker, shorter) towards the corners; the upper lip
      // shades their top, each tooth is a little rounder-lit in its middle, with soft gaps between.
      const teethH = style.teethHeight * Math.sqrt(Math.max(0, 1 - u * u * 0.85));
      let ta = Math.max(0, Math.min(1, teethH - d + 0.5));
      if (ta > 0) {
        const lipShadow = 0.78 + 0.22 * Math.min(1, d / Math.max(1.5, teethH * 0.35));
        const corners = 1.08 - 0.5 * u * u;
        const edge = 1 - 0.1 * Math.max(0, Math.min(1, (d - teethH + 2) / 2));
        let tR = tr;
        let tG = tg;
        let tB = tb;
        let shade = lipShadow * corners * edge;
        let fromPhoto = 0;
        if (photo) {
          const sx = xc - shiftX;
          // fillLens walks column by column: the rest contours are looked up once per column.
          if (xc !== columnX) {
            columnX = xc;
            columnTop = smoothCurveY(photo.restUpper, count, sx);
            columnBottom = smoothCurveY(photo.restLower, count, sx);
          }
          const sy = columnTop + d;
          const room = columnBottom - 1 - sy;
          if (room > 0) {
            const p = photo.pixels[Math.floor(sy) * photo.width + Math.floor(sx)]!;
            tR = p & 255;
            tG = (p >>> 8) & 255;
            tB = (p >>> 16) & 255;
            fromPhoto = Math.min(1, room / 2);
            shade = 0.92 + 0.08 * lipShadow;
          }
          // Past the teeth the photo shows (towards the corners) the mouth is dark, as in the photo itself.
          ta *= fromPhoto;
        }
        if (fromPhoto < 1) {
          const k = Math.abs(xc - mid) / toothW;
          const f = k - Math.floor(k);
          const rounded = 0.94 + 0.06 * Math.sin(Math.PI * f);
          const gap = k < 3.2 ? 1 - 0.16 * Math.max(0, 1 - Math.min(f, 1 - f) * 7) : 1;
          const synth = rounded * gap;
          shade *= fromPhoto + (1 - fromPhoto) * synth;
        }
        // Synthetic teeth a shade under the sampled colour, so they never read as a flat white block.
        const tone = fromPhoto > 0 ? 1 : 0.9;
        r += (tR * shade * tone - r) * ta;
        g += (tG * shade * tone - g) * ta;
        b += (tB * shade * tone - b) * ta;
      }
      blendPixel(frame, o, r, g, b, cover * opacity);
    },
    mask,
  );
}
