import type { RigColors } from '../face/rig.js';
import { blendPixel, fillLens, type LensMask } from './lens-fill.js';
import type { Rect } from './warp-raster.js';

// The inside of an open mouth, drawn into the opening between the warped inner lips (so the lips stay on top):
// upper teeth hanging from the upper lip, a cavity in the photo's own dark tone that deepens towards the back,
// and for wide opens a hint of tongue and lower teeth.

export interface MouthInteriorStyle {
  colors: RigColors;
  /** Upper-teeth height at the centre in pixels (matches the photo when it shows teeth). */
  teethHeight: number;
  mouthWidth: number;
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
      // Cavity: darkest at the back centre, a little lighter near the lips.
      const depth = (1 - u * u) * (1 - Math.abs(2 * t - 1));
      let shade = 0.85 - 0.5 * depth;
      let r = cr * shade;
      let g = cg * shade;
      let b = cb * shade;
      // Tongue rises from the bottom when the mouth is open wide.
      const wide = Math.max(0, Math.min(1, (gap / style.mouthWidth - 0.18) / 0.2));
      if (wide > 0) {
        const tongueTop = yBottom - gap * 0.38 * Math.sqrt(Math.max(0, 1 - u * u * 1.3));
        const a = wide * Math.max(0, Math.min(1, yc - tongueTop + 0.5)) * 0.75;
        const ts = 0.42 + 0.12 * (1 - Math.abs(u));
        r += (lr * ts - r) * a;
        g += (lg * ts - g) * a;
        b += (lb * ts - b) * a;
        // Lower teeth: a narrow, shadowed band just inside the lower lip.
        const band = style.teethHeight * 0.28 * (1 - u * u);
        const lt =
          Math.max(0, Math.min(1, yc - (yBottom - band) + 0.5)) * wide * 0.55 * (Math.abs(u) < 0.75 ? 1 : 0);
        r += (tr * 0.62 - r) * lt;
        g += (tg * 0.62 - g) * lt;
        b += (tb * 0.62 - b) * lt;
      }
      // Upper teeth follow the upper lip's curve and recede (darker, shorter) towards the corners.
      const teethH = style.teethHeight * Math.sqrt(Math.max(0, 1 - u * u * 0.85));
      const ta = Math.max(0, Math.min(1, teethH - d + 0.5));
      if (ta > 0) {
        shade = (1.13 - 0.42 * u * u) * (0.8 + 0.2 * Math.min(1, d / 2));
        shade *= 1 - 0.12 * Math.max(0, Math.min(1, (d - teethH + 2.5) / 2.5));
        // Faint gaps between incisors and canines.
        const k = Math.abs(xc - mid) / toothW;
        const edge = Math.abs(k - Math.round(k));
        shade *= 1 - 0.06 * Math.max(0, 1 - edge * 8) * (k < 3.2 ? 1 : 0);
        r += (tr * shade - r) * ta;
        g += (tg * shade - g) * ta;
        b += (tb * shade - b) * ta;
      }
      blendPixel(frame, o, r, g, b, cover * opacity);
    },
    mask,
  );
}
