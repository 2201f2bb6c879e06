import { smoothCurveY as curveY, type LensMask } from './lens-fill.js';
import { smoothstep } from './smoothstep.js';
import type { Rect } from './warp-raster.js';

// A photo's closed mouth has a dark fold at each corner (the commissure's shadow, a few pixels past where the lips
// meet). Opened, the corners drop and the skin around them is stretched, so that fold becomes a dark smudge beside
// each end of the opening (amara's "ah"), though a real opened corner is stretched smooth. As the mouth opens,
// the pixels just past each corner are lifted towards the skin above and below them: only lifted, never darkened,
// and only as far as a little under the darker of the two, so a beard or a shaded cheek stays as it is.

/**
 * How far past the corner the lift reaches, as a share of half the opening's width (INWARD of it inwards),
 * plus however far the corner has come in from its rest place (amara's "oo" left the fold 14 px out).
 * At 0.45 the fold's tail ~11–14 px out on amara's "f" (half 30 px) was only half lifted: a dark blob on each cheek.
 */
const REACH = 0.55;
/** How far inside the corner the lift reaches, as a share of half the opening's width: the lips' own corners. */
const INWARD = 0.225;
/**
 * The lifted band around the corner's row, px: a little above, more below (the fold goes down with the lower lip's
 * corner; amara's darkest pixels sit 4–11 px under the opening's end). 4 px up left the rest upper lip's line at
 * the corner as a thin dark line out from jonah's drawn-in "oo" corners.
 */
const BAND_UP = 6;
const BAND_DOWN = 14;
/**
 * The lifted pixels end this much darker than their surroundings: an open corner keeps a soft shade. At 0.88 (and
 * MAX_LIFT 0.85) the lift left a broad patch at three quarters of the skin's luma beside amara's corners.
 */
const KEEP_SHADE = 0.95;
/** At most this share of the way up: a little of the fold's texture stays. */
const MAX_LIFT = 0.92;
/** Full lift out to this share of the reach, fading to none at its end (from 0.5, the fade sat on the fold). */
const FULL = 0.7;
/**
 * A fold is a dark line on lit skin; a beard goes on past the corner. The skin just past the reach (BEYOND_FROM to
 * BEYOND_TO px further out, 3 rows) against the lighter of the rows above and below the band: at BEARD_DARK of it or
 * darker nothing on that row is lifted, from BEARD_LIT up all of it. Lifted towards the lip or chin below it,
 * victor's beard beside the corners of "f" and "oo" went from luma 26–29 to 45–53, a smooth brown patch without its
 * hairs (amara's, eileen's and jonah's lifted folds are as they were).
 */
const BEYOND_FROM = 2;
const BEYOND_TO = 8;
const BEARD_DARK = 0.5;
const BEARD_LIT = 0.75;

export function liftCornerShadows(
  frame: Int32Array,
  w: number,
  h: number,
  upper: Float32Array,
  lower: Float32Array,
  count: number,
  /** The rig's lip colour: nothing is lifted past a little under its tone (a drawn lip beside a corner stays lip). */
  lip: readonly [number, number, number],
  /** The mouth's width at rest (px): the fold stays near the rest corner when rounding draws the corners in. */
  restWidth: number,
  strength: number,
  mask?: LensMask,
): Rect | null {
  if (strength <= 0 || count < 2) return null;
  const leftX = (upper[0]! + lower[0]!) / 2;
  const rightX = (upper[(count - 1) * 2]! + lower[(count - 1) * 2]!) / 2;
  const half = (rightX - leftX) / 2;
  const lipL = 0.299 * lip[0] + 0.587 * lip[1] + 0.114 * lip[2];
  const satLip = (Math.max(lip[0], lip[1], lip[2]) - Math.min(lip[0], lip[1], lip[2])) / Math.max(1, lipL);
  const reach = Math.max(3, half * REACH + Math.max(0, restWidth / 2 - half));
  // Inwards only the opening's own share: the corner drawn in does not move the lips inside it.
  const inward = Math.max(1, half * INWARD);
  let x0 = w;
  let x1 = 0;
  let y0 = h;
  let y1 = 0;
  for (let side = 0; side < 2; side++) {
    const i = side === 0 ? 0 : count - 1;
    const cx = side === 0 ? leftX : rightX;
    const cy = (upper[i * 2 + 1]! + lower[i * 2 + 1]!) / 2;
    const out = side === 0 ? -1 : 1;
    const ya = Math.max(0, Math.floor(cy - BAND_UP));
    const yb = Math.min(h, Math.ceil(cy + BAND_DOWN));
    beyondRows(frame, w, h, Math.round(cx + out * (reach + BEYOND_FROM)), out, ya, yb);
    const xa = Math.max(0, Math.floor(Math.min(cx + out * reach, cx - out * inward)));
    const xb = Math.min(w, Math.ceil(Math.max(cx + out * reach, cx - out * inward)));
    for (let x = xa; x < xb; x++) {
      const xc = x + 0.5;
      // Distance past the corner, outwards in reaches (inwards in `inward`s): full lift from the corner to FULL of
      // the reach out, fading to none `inward` inside.
      const past = (xc - cx) * out;
      const d = past / (past >= 0 ? reach : inward);
      const along = d < 0 ? 1 + d : d < FULL ? 1 : Math.max(0, 1 - (d - FULL) / (1 - FULL));
      if (along <= 0) continue;
      // Inside the corner, the lips beside the opening (the interior is drawn over the opening itself).
      const yTop = d < 0 ? curveY(upper, count, xc) : cy;
      const yBottom = d < 0 ? curveY(lower, count, xc) : cy;
      // The surroundings: the pixels above and below the band. Their tone goes from one to the other down the band
      // (the darker of the two for every row drew a flat band darker than the skin above and below it beyond
      // amara's "oo" corners, a ghost of the lips at their rest width); a beard above and below stays dark. The
      // more colourful of the two sets the hue: the darker one is often the fold's own greyish tail under the lower
      // lip's corner, and in its hue amara's lifted corners read as grey-olive patches.
      // Each a mean over 5 columns: read per column, the lift drew a beard's every hair above and below it as a
      // vertical streak down the band (victor's corners).
      const ya0 = Math.round(cy - BAND_UP - 3);
      const yb0 = Math.round(cy + BAND_DOWN + 3);
      const hasTop = rowMean(frame, w, h, x, ya0, TOP);
      const hasBottom = rowMean(frame, w, h, x, yb0, BOTTOM);
      if (!hasTop && !hasBottom) continue;
      const topRgb = hasTop ? TOP : BOTTOM;
      const bottomRgb = hasBottom ? BOTTOM : TOP;
      const topL = Math.max(1, rgbLuma(topRgb));
      const bottomL = Math.max(1, rgbLuma(bottomRgb));
      const hue = rgbChroma(topRgb, topL) >= rgbChroma(bottomRgb, bottomL) ? topRgb : bottomRgb;
      const hueL = hue === topRgb ? topL : bottomL;
      const hr = hue[0]! / hueL;
      const hg = hue[1]! / hueL;
      const hb = hue[2]! / hueL;
      const satRef = Math.max(hr, hg, hb) - Math.min(hr, hg, hb);
      // The soft shade an open corner keeps, gone by half the reach out (beyond it the skin is stretched smooth).
      const keep = d < 0 ? KEEP_SHADE : KEEP_SHADE + (1 - KEEP_SHADE) * Math.min(1, d / 0.5);
      const lit = Math.max(topL, bottomL);
      for (let y = ya; y < yb; y++) {
        const yc = y + 0.5;
        if (d < 0 && yc > yTop - 0.5 && yc < yBottom + 0.5) continue;
        const across = yc < cy ? (cy - yc) / BAND_UP : (yc - cy) / BAND_DOWN;
        const skinBeyond = smoothstep(BEARD_DARK, BEARD_LIT, BEYOND[y - ya]! / lit);
        const k =
          strength * MAX_LIFT * along * skinBeyond * (across < 0.65 ? 1 : Math.max(0, (1 - across) / 0.35));
        if (k <= 0) continue;
        const o = y * w + x;
        if (mask) {
          if (mask.fresh[o] !== mask.stamp) continue;
          mask.drawn[o] = mask.stamp;
        }
        const p = frame[o]!;
        const r = p & 255;
        const g = (p >>> 8) & 255;
        const b = (p >>> 16) & 255;
        const own = 0.299 * r + 0.587 * g + 0.114 * b;
        const refL = Math.max(1, topL + ((bottomL - topL) * (yc - ya0 - 0.5)) / (yb0 - ya0));
        const target = keep * Math.min(refL, lipL);
        if (own >= target) continue;
        const rr = hr * refL;
        const rg = hg * refL;
        const rb = hb * refL;
        // Lifted in luma. A slight lift keeps the pixel's own hue (a lip in shade stays lip: in the skin's hue the
        // drawn lips' shading beside the corners turned grey-brown); a deep fold takes the surroundings' hue
        // (scaling a near-black pixel's own colour up turned it orange).
        const lifted = own + (target - own) * k;
        const s = lifted / Math.max(own, 1);
        // Greyer than the surroundings (relative chroma), the fold takes their hue too, or it lifts to a grey patch;
        // its own chroma scales with the lift (by sqrt of it, a lift left every pixel greyer than it was).
        const satOwn = (Math.max(r, g, b) - Math.min(r, g, b)) / Math.max(own, 1);
        const toRef = Math.max(smoothstep(1.3, 2.5, s), smoothstep(0, 0.2 * satRef, satRef - satOwn));
        const chroma = s * (1 - toRef);
        const sr = (lifted / refL) * toRef;
        let nr = lifted * (1 - toRef) + (r - own) * chroma + rr * sr;
        let ng = lifted * (1 - toRef) + (g - own) * chroma + rg * sr;
        let nb = lifted * (1 - toRef) + (b - own) * chroma + rb * sr;
        // Never more colourful than the surroundings or the lip: the fold's warm-brown halo, lifted with its chroma,
        // drew orange bands beside the tilted photo's "oo" (a drawn lip beside the corner keeps its own red).
        const satMax = Math.max(satRef, satLip);
        const sat = (Math.max(nr, ng, nb) - Math.min(nr, ng, nb)) / Math.max(lifted, 1);
        if (sat > satMax) {
          const q = satMax / sat;
          const nl = 0.299 * nr + 0.587 * ng + 0.114 * nb;
          nr = nl + (nr - nl) * q;
          ng = nl + (ng - nl) * q;
          nb = nl + (nb - nl) * q;
        }
        frame[o] = (p & 0xff000000) | (clamp255(nb) << 16) | (clamp255(ng) << 8) | clamp255(nr);
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x + 1);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y + 1);
      }
    }
  }
  return x1 > x0 ? { x0, y0, x1, y1 } : null;
}

/** Per band row, the mean luma past the reach (a band is at most BAND_UP + BAND_DOWN + 1 rows). */
const BEYOND = new Float64Array(BAND_UP + BAND_DOWN + 2);

/** BEYOND for rows ya..yb: the mean luma of columns `from` to BEYOND_TO - BEYOND_FROM further out, rows y ± 1. */
function beyondRows(
  frame: Int32Array,
  w: number,
  h: number,
  from: number,
  out: number,
  ya: number,
  yb: number,
) {
  const span = BEYOND_TO - BEYOND_FROM;
  const xa = Math.max(0, Math.min(w - 1, Math.min(from, from + out * span)));
  const xb = Math.max(0, Math.min(w - 1, Math.max(from, from + out * span)));
  for (let y = ya; y < yb; y++) {
    let s = 0;
    let n = 0;
    for (let v = Math.max(0, y - 1); v <= Math.min(h - 1, y + 1); v++)
      for (let x = xa; x <= xb; x++) {
        const p = frame[v * w + x]!;
        s += 0.299 * (p & 255) + 0.587 * ((p >>> 8) & 255) + 0.114 * ((p >>> 16) & 255);
        n++;
      }
    BEYOND[y - ya] = s / Math.max(1, n);
  }
}

const TOP = new Float64Array(3);
const BOTTOM = new Float64Array(3);
const MEAN_HALF = 2;

/** Mean RGB of row y over columns x ± MEAN_HALF (clipped) into out; false when the row is off the frame. */
function rowMean(frame: Int32Array, w: number, h: number, x: number, y: number, out: Float64Array): boolean {
  if (y < 0 || y >= h) return false;
  const xa = Math.max(0, x - MEAN_HALF);
  const xb = Math.min(w - 1, x + MEAN_HALF);
  let r = 0;
  let g = 0;
  let b = 0;
  for (let u = xa; u <= xb; u++) {
    const p = frame[y * w + u]!;
    r += p & 255;
    g += (p >>> 8) & 255;
    b += (p >>> 16) & 255;
  }
  const n = xb - xa + 1;
  out[0] = r / n;
  out[1] = g / n;
  out[2] = b / n;
  return true;
}

const rgbLuma = (c: Float64Array) => 0.299 * c[0]! + 0.587 * c[1]! + 0.114 * c[2]!;
const rgbChroma = (c: Float64Array, l: number) =>
  (Math.max(c[0]!, c[1]!, c[2]!) - Math.min(c[0]!, c[1]!, c[2]!)) / l;
const clamp255 = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));
