import type { LensMask } from './lens-fill.js';
import { hypot1, smoothCurveY } from './lens-fill.js';
import type { Rect } from './warp-raster.js';

// The lips' inner edges round an open mouth are the photo's own lip line (where the lips met, or met the teeth):
// a strip a few pixels wide that is darker and far redder than the lip (red/green 2.2 against the lip's 1.6 on
// eileen). Opened, that strip rides on both lips and reads as a red or dark rim drawn round the opening; it is
// warped with the lip's triangles, so it also shows the mesh's straight segments (victor's "ah" was a dark
// polygon). The rim takes the hue of the lip just beyond it, and its dark pixels are lifted towards the lip's
// own tone (the rig's lip colour), in gentle shadow towards the edge (the lip curling inwards), so the lip meets
// the interior along the smooth contour. Pixels are only lifted, never darkened. The hue is read per column (the
// median of three pixels: the line, the lip or skin past a thin lip); the rig's sampled lip colour is the lip's
// middle, redder than its edge, so it sets only the tone.

/** How far past each inner contour the rim is toned, in pixels (victor's lip line reaches 6 px at the corners). */
const RIM = 6;
/** Where the lip's own hue is read, past the contour (the median of three rows from there outwards). */
const REFERENCE = 5.5;
/** How far out the lift reaches the lip's full tone (the toning itself fades out over the last 2 px of RIM). */
const SHADE_DEPTH = 4;
/** The lip's tone at the contour (1 at SHADE_DEPTH): its inner side turning away from the light. */
const EDGE_SHADE = 0.72;
/** Over how many pixels from each corner the toning fades in (it ended in a vertical cut there). */
const CORNER_FADE = 5;

/**
 * Gives the pixels within RIM px outside the opening (on the lips) the hue of the lip just past them (per column
 * and lip; `fallback` where that is off the frame), their luma lifted to at least the lip's tone (`lip`) shaded
 * towards the contour: fully up to 2 px short of RIM, fading to none at RIM; `strength` (0..1) follows the opening.
 */
/** Lip gaps (px) under which the mouth layer draws nothing on rounded lips, and the ramp over which it comes in. */
export const THIN_GAP_PX = 0.3;
export const THIN_RAMP_PX = 1.5;

export function toneLipRim(
  frame: Int32Array,
  w: number,
  h: number,
  upper: Float32Array,
  lower: Float32Array,
  count: number,
  fallback: readonly [number, number, number],
  strength: number,
  mask?: LensMask,
  /** 0..1, the lips' rounding: rounded lips a pixel or less apart are left alone (see THIN_GAP_PX). */
  round = 0,
): Rect | null {
  if (strength <= 0) return null;
  const above = aboveRgb;
  const below = belowRgb;
  const lipL = 0.299 * fallback[0] + 0.587 * fallback[1] + 0.114 * fallback[2];
  const lipRed = redness(fallback[0], fallback[1], fallback[2]);
  const cornerL = Math.min(upper[0]!, lower[0]!);
  const cornerR = Math.max(upper[(count - 1) * 2]!, lower[(count - 1) * 2]!);
  let x0 = w;
  let x1 = 0;
  let y0 = h;
  let y1 = 0;
  const start = Math.max(0, Math.floor(Math.min(upper[0]!, lower[0]!)));
  const end = Math.min(w, Math.ceil(Math.max(upper[(count - 1) * 2]!, lower[(count - 1) * 2]!)));
  const caps = liftCaps(frame, w, h, upper, lower, count, start, end);
  for (let x = start; x < end; x++) {
    const xc = x + 0.5;
    const yTop = smoothCurveY(upper, count, xc);
    const yBottom = smoothCurveY(lower, count, xc);
    if (yBottom - yTop <= 0.02) continue;
    // Where rounded lips are a pixel or less apart the interior draws nothing and the rim leaves the seam alone
    // too: toned along pursed lips held shut at the corners ("oo"), it drew a line with a tick at each end.
    const open = 1 - round * (1 - Math.min(1, Math.max(0, (yBottom - yTop - THIN_GAP_PX) / THIN_RAMP_PX)));
    const ends = open * Math.min(1, Math.max(0, Math.min(xc - cornerL, cornerR - xc) / CORNER_FADE));
    const cosTop = 1 / hypot1(smoothCurveY(upper, count, xc + 0.5) - smoothCurveY(upper, count, xc - 0.5));
    const cosBottom = 1 / hypot1(smoothCurveY(lower, count, xc + 0.5) - smoothCurveY(lower, count, xc - 0.5));
    // Read before any pixel of this column is changed.
    reference(frame, w, h, x, yTop - REFERENCE / Math.max(cosTop, 0.7), -1, fallback, above);
    reference(frame, w, h, x, yBottom + REFERENCE / Math.max(cosBottom, 0.7), 1, fallback, below);
    towardsLip(above, fallback, lipRed);
    towardsLip(below, fallback, lipRed);
    const r0 = Math.max(0, Math.floor(yTop - RIM / cosTop));
    const r1 = Math.min(h, Math.ceil(yBottom + RIM / cosBottom));
    // The lift stays under the lip where the toning fades out (its last 2 px and the pixel past them): lifted
    // past a lip stretched darker there (victor's lower lip on "ah", towards the corners), the toned band ended
    // in a darker arc parallel to the opening.
    const capUp = caps[(x - start) * 2]!;
    const capDown = caps[(x - start) * 2 + 1]!;
    for (let y = r0; y < r1; y++) {
      const yc = y + 0.5;
      // Distance outside the opening (negative inside it; the interior is drawn over those).
      const dUp = (yTop - yc) * cosTop;
      const dDown = (yc - yBottom) * cosBottom;
      const d = Math.max(dUp, dDown);
      if (d < -0.5) {
        // Jump over the opening's inside to its lower rim.
        y = Math.max(y, Math.floor(yBottom - 0.5) - 1);
        continue;
      }
      const k = strength * Math.min(1, (RIM - d) / 2) * ends;
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
      const ref = dUp >= dDown ? above : below;
      const lr = ref[0]!;
      const lg = ref[1]!;
      const lb = ref[2]!;
      const ownL = 0.299 * r + 0.587 * g + 0.114 * b;
      const refL = Math.max(1, 0.299 * lr + 0.587 * lg + 0.114 * lb);
      // Only the shadowed rim: a pixel as light as the lip (skin past a corner) would turn that hue bright.
      if (ownL >= Math.max(refL, lipL)) continue;
      const tone = Math.min(
        dUp >= dDown ? capUp : capDown,
        lipL * (EDGE_SHADE + (1 - EDGE_SHADE) * Math.min(1, Math.max(0, d) / SHADE_DEPTH)),
      );
      const s = Math.min(Math.max(ownL, tone), Math.max(ownL, refL)) / refL;
      const nr = Math.round(r + (Math.min(255, lr * s) - r) * k);
      const ng = Math.round(g + (Math.min(255, lg * s) - g) * k);
      const nb = Math.round(b + (Math.min(255, lb * s) - b) * k);
      frame[o] = (p & 0xff000000) | (nb << 16) | (ng << 8) | nr;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x + 1);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y + 1);
    }
  }
  return x1 > x0 ? { x0, y0, x1, y1 } : null;
}

/** Columns each side the caps are averaged over (a cap per column alone drew vertical steps), and its slack. */
const CAP_SPAN = 4;
const CAP_SLACK = 3;

/** Per column from `start` to `end`: the most the upper and the lower rim may be lifted to (luma), smoothed. */
function liftCaps(
  frame: Int32Array,
  w: number,
  h: number,
  upper: Float32Array,
  lower: Float32Array,
  count: number,
  start: number,
  end: number,
): Float64Array {
  const n = Math.max(0, end - start);
  if (capScratch.length < n * 4) capScratch = new Float64Array(n * 4);
  const raw = capScratch.subarray(0, n * 2);
  const caps = capScratch.subarray(n * 2, n * 4);
  for (let x = start; x < end; x++) {
    const xc = x + 0.5;
    raw[(x - start) * 2] = fadeMin(
      frame,
      w,
      h,
      x,
      smoothCurveY(upper, count, xc),
      -hypot1(slope(upper, count, xc)),
    );
    raw[(x - start) * 2 + 1] = fadeMin(
      frame,
      w,
      h,
      x,
      smoothCurveY(lower, count, xc),
      hypot1(slope(lower, count, xc)),
    );
  }
  for (let i = 0; i < n; i++)
    for (let side = 0; side < 2; side++) {
      let sum = 0;
      let k = 0;
      for (let j = Math.max(0, i - CAP_SPAN); j <= Math.min(n - 1, i + CAP_SPAN); j++) {
        const v = raw[j * 2 + side]!;
        if (Number.isFinite(v)) {
          sum += v;
          k++;
        }
      }
      caps[i * 2 + side] = k ? sum / k + CAP_SLACK : Number.POSITIVE_INFINITY;
    }
  return caps;
}

const slope = (c: Float32Array, count: number, xc: number) =>
  smoothCurveY(c, count, xc + 0.5) - smoothCurveY(c, count, xc - 0.5);

/**
 * The lip's colour at column x from `y` outwards (`dir`): of the three pixels there, the middle by luma (the
 * first of equals, as a stable sort has it), into `out`; `fallback` where fewer than three are on the frame.
 */
function reference(
  frame: Int32Array,
  w: number,
  h: number,
  x: number,
  y: number,
  dir: number,
  fallback: readonly [number, number, number],
  out: Float64Array,
): void {
  let n = 0;
  let first = 0;
  for (let i = 0; i < 3; i++) {
    const row = Math.round(y + dir * i - 0.5);
    if (row >= 0 && row < h) {
      const p = frame[row * w + x]!;
      if (n === 0) first = p;
      trio[n++] = p;
    }
  }
  if (n < 3) {
    if (n === 0) {
      out[0] = fallback[0];
      out[1] = fallback[1];
      out[2] = fallback[2];
    } else setRgb(out, first);
    return;
  }
  const l0 = lumaOfPixel(trio[0]!);
  const l1 = lumaOfPixel(trio[1]!);
  const l2 = lumaOfPixel(trio[2]!);
  // The middle of a stable sort of three by luma.
  let mid: number;
  if (l0 <= l1) mid = l1 <= l2 ? 1 : l0 <= l2 ? 2 : 0;
  else mid = l0 <= l2 ? 0 : l1 <= l2 ? 2 : 1;
  setRgb(out, trio[mid]!);
}

const redness = (r: number, g: number, b: number) => (r - g) / (r + g + b + 1);

/**
 * Past a thin lip (the upper lip towards the corners, most of all on the drawn faces) the reference rows are skin:
 * its hue at the lip's tone drew grey-brown patches on the lip beside nora's open corners. A reference far less
 * red than the rig's lip (under 0.75 of its redness) moves towards the lip's colour, fully at 0.4 (nora's skin is
 * 0.34 of her lip's; a skin-and-lip mix at 0.6–0.7 still drew grey ticks over her "f"; the photo lip-sync figures
 * are the same with 0.6 or 0.75).
 */
function towardsLip(ref: Float64Array, lip: readonly [number, number, number], lipRed: number): void {
  if (lipRed <= 0.02) return;
  const t = Math.min(1, Math.max(0, (0.75 - redness(ref[0]!, ref[1]!, ref[2]!) / lipRed) / 0.35));
  if (t <= 0) return;
  // The lip's hue at the reference's luma: only the hue is taken from it (the lift sets the tone).
  const refL = 0.299 * ref[0]! + 0.587 * ref[1]! + 0.114 * ref[2]!;
  const k = refL / Math.max(1, 0.299 * lip[0] + 0.587 * lip[1] + 0.114 * lip[2]);
  for (let c = 0; c < 3; c++) ref[c] = ref[c]! + (Math.min(255, lip[c]! * k) - ref[c]!) * t;
}

const lumaOfPixel = (p: number) => 0.299 * (p & 255) + 0.587 * ((p >>> 8) & 255) + 0.114 * ((p >>> 16) & 255);

function setRgb(out: Float64Array, p: number): void {
  out[0] = p & 255;
  out[1] = (p >>> 8) & 255;
  out[2] = (p >>> 16) & 255;
}

// Per-thread scratch (rendering is synchronous): the two reference colours, three pixels, and liftCaps' columns.
const aboveRgb = new Float64Array(3);
const belowRgb = new Float64Array(3);
const trio = new Int32Array(3);
let capScratch = new Float64Array(0);

/** The darkest luma in column x from RIM − 2 to RIM + 1 px past the contour at y (`step`: rows per px, signed). */
function fadeMin(frame: Int32Array, w: number, h: number, x: number, y: number, step: number): number {
  let min = Number.POSITIVE_INFINITY;
  const a = y + (RIM - 2) * step;
  const b = y + (RIM + 1) * step;
  for (let row = Math.floor(Math.min(a, b)); row <= Math.floor(Math.max(a, b)); row++) {
    if (row < 0 || row >= h) continue;
    const p = frame[row * w + x]!;
    min = Math.min(min, 0.299 * (p & 255) + 0.587 * ((p >>> 8) & 255) + 0.114 * ((p >>> 16) & 255));
  }
  return min;
}
