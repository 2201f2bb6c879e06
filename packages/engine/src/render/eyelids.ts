import { blendPixel, fillLens, type LensMask, smoothCurveY } from './lens-fill.js';
import type { Rect } from './warp-raster.js';

// A closing eyelid. The warp already slides the upper lid down (the lid skin between crease and margin
// stretches, the lashes ride on the margin). What it cannot do is close the last gap to the lower lid: the landmark
// margin stops short so the squashed eye never folds. So over the covered part of the eye this stretches the
// warped lid itself, column by column, from the open margin down to the lower lid: the lid's own skin, crease
// shading and lashes, with the real lash line landing where the lids meet — no painted skin, no drawn line.

/**
 * How much sooner (in closure) the lids meet at the inner corner, how far past the landmark lower lid they reach
 * there (px), and over what share of the eye's width from the corner.
 */
const INNER_EARLY = 0.6;
const INNER_REACH = 3.2;
const INNER_SPAN = 0.35;
/**
 * Where the lids meet early, the lid that covers the corner: how much it takes the tone of the skin just past the
 * lens's inner end (same row; only where that is lighter), and how far (px) its top rises there. Stretched from the few rows over the corner's
 * margin (lashes, the socket's shade) down to the lower lid, it drew a dark wedge at mid-blink (eileen, victor, the
 * tilted photo); it also folds like the closing lid (skin, then the lashes in its last LASH_CLOSED px).
 */
const CORNER_SKIN = 0.8;
/** How far under the lower lid (px) the skin is read that the corner may take instead, where that is lighter. */
const LOWER_SKIN_BELOW = 4;
/** How far (share of CORNER_SKIN's lift) the corner's lid brightens towards that skin's luma. */
const LOWER_SKIN_GAIN = 0.6;
const CORNER_RISE = 4;
/**
 * The lash line's depth on the open lid, above its margin (px), and the depth it keeps on the closed lid. Stretched
 * with the rest of the lid, amara's thick lashes and liner filled the lower half of the closed lid and the iris
 * under the margin showed through: closing, the lid's skin above the lashes fills the lens and the lashes are
 * squeezed into its lower edge.
 */
const LASH_DEPTH = 3;
const LASH_CLOSED = 1.5;
/**
 * How far the closed lid's lashes hang over the lower lid (px) and how dark they make it there. Squeezed into
 * 1.5 px alone, they drew a one-pixel pen line with the lower lid's light rim right under it, which read as a lid
 * lowered over a sliver of eye (amara's blink looked like looking down): shut lashes point down over the lower lid.
 */
const LASH_BELOW = 3;
const LASH_SHADE = 0.7;
/** Over how many px each end of the closing lid's lens turns into the skin past it. */
const END_FADE = 5;
/**
 * The share of the lid's band (margin to the ring above it, as photographed) that slides down whole. The warp
 * stretches that band as the margin drops faster than the ring above it (1.6× at mid-blink), so the lash line and
 * liner were smeared tall and soft; a real lid slides down whole and only the skin coming out of the fold above it
 * is new. The lens reads the band at its photographed scale and lets the rows above it take the stretch.
 */
const RIGID_SHARE = 0.7;

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
  /** The ring above the upper lid's margin (same columns), open and now: how far the warp stretched the lid. */
  crease?: { open: Float32Array; now: Float32Array },
): Rect {
  const [er, eg, eb] = eyelid;
  let cx = 0;
  for (let i = 0; i < count; i++) cx += openLid[i * 2]! / count;
  const top = new Float32Array(count * 2);
  const bottom = new Float32Array(count * 2);
  /** The lens drawn: the lid down to `bottom`, then the lashes hanging over the lower lid. */
  const reach = new Float32Array(count * 2);
  const margin = new Float32Array(count * 2);
  /** How much sooner than the rest of the lid each point meets the lower lid (x, amount), as a curve. */
  const early = new Float32Array(count * 2);
  /** Per point (x, how many times taller the warp drew the lid's band) and (x, the band's height open). */
  const stretch = new Float32Array(count * 2);
  const band = new Float32Array(count * 2);
  // Near full closure the margin meets the lower lid; the lens also reaches further out and up at the ends,
  // where photo lashes sit outside the landmark lid.
  const meet = Math.max(0, Math.min(1, (closure - 0.6) / 0.4));
  // The lid lists run from the outer corner to the inner one.
  const innerX = closedLid[(count - 1) * 2]!;
  const eyeWidth = Math.max(1, Math.abs(innerX - closedLid[0]!));
  for (let i = 0; i < count; i++) {
    const end = Math.abs((i / Math.max(1, count - 1)) * 2 - 1);
    // Towards the inner corner (the last point) the photo's white and caruncle reach below the landmark lower lid
    // and the opening is narrow: the lid meets the lower lid there sooner and reaches past the landmark, or the
    // white left under it shows as a light speck in a closed eye.
    const x = cx + (closedLid[i * 2]! - cx) * 1.36;
    const inner = Math.max(0, 1 - Math.abs(x - innerX) / (INNER_SPAN * eyeWidth));
    const meetHere = Math.max(0, Math.min(1, (closure - 0.6 + INNER_EARLY * inner) / 0.4));
    top[i * 2] = cx + (openLid[i * 2]! - cx) * 1.36;
    top[i * 2 + 1] = openLid[i * 2 + 1]! - 1.8 - 1.2 * end * end - CORNER_RISE * inner * (meetHere - meet);
    bottom[i * 2] = x;
    margin[i * 2] = x;
    early[i * 2] = x;
    early[i * 2 + 1] = meetHere - meet;
    let y = closedLid[i * 2 + 1]! + 0.3;
    margin[i * 2 + 1] = y;
    if (lowerLid && meetHere > 0) {
      const reach = smoothCurveY(lowerLid.points, lowerLid.count, x) + 0.8 + INNER_REACH * inner;
      y = Math.max(y, y + (reach - y) * meetHere);
    }
    bottom[i * 2 + 1] = y;
    stretch[i * 2] = x;
    band[i * 2] = x;
    const bandOpen = crease ? openLid[i * 2 + 1]! - crease.open[i * 2 + 1]! : 0;
    const bandNow = crease ? closedLid[i * 2 + 1]! - crease.now[i * 2 + 1]! : 0;
    // The corners (no band) and a lid drawn shorter than photographed stay as the warp drew them.
    stretch[i * 2 + 1] = bandOpen > 0.5 ? Math.max(1, Math.min(3, bandNow / bandOpen)) : 1;
    band[i * 2 + 1] = Math.max(0, bandOpen);
    reach[i * 2] = x;
    // Thinner towards the corners, as lashes are.
    reach[i * 2 + 1] = y + LASH_BELOW * meetHere * (1 - end * end);
  }
  // The lens is wider than the eye and reaches under the lower lid near the inner corner; at full height its ends
  // drew a vertical cut between the stretched lid and the skin beyond (jonah's closed eyes). Over its last END_FADE
  // px it turns into the skin just past its end, read on the same row (fading it out instead let the caruncle
  // under it show as a light speck).
  let lensX0 = Number.POSITIVE_INFINITY;
  let lensX1 = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    lensX0 = Math.min(lensX0, top[i * 2]!, reach[i * 2]!);
    lensX1 = Math.max(lensX1, top[i * 2]!, reach[i * 2]!);
  }
  let endFade = 1;
  let beyondX = 0;
  // The skin just past the lens's inner end, on the same row: where the lids meet early, the corner takes its tone.
  const innerBeyondX = innerX < cx ? Math.max(0, Math.floor(lensX0) - 1) : Math.min(w - 1, Math.ceil(lensX1));
  // The lid's own skin over its lash line, a third of the way from the inner corner to the middle, read before the
  // lens writes: beside a deep socket (victor) the skin past the lens is in the nose's shade too, and the corner
  // drew the socket's brown out over the closing lid; the lid skin is what closes it.
  const lidRef = lowerLid
    ? skinAt(frame, w, h, lowerLid.points, lowerLid.count, innerX + (cx - innerX) * 0.25, LOWER_SKIN_BELOW)
    : null;
  const lidRefL = lidRef ? 0.299 * lidRef[0] + 0.587 * lidRef[1] + 0.114 * lidRef[2] : 0;
  // One column of the warped frame, read before the lens writes into it, and the one left of it (the lens runs
  // left to right, so the column to the right is still unwritten in the frame).
  let column = new Int32Array(Math.ceil(h));
  let left = new Int32Array(Math.ceil(h));
  let leftOk = false;
  let colX = Number.NaN;
  let colY0 = 0;
  let colY1 = 0;
  let marginY = 0;
  let lash = 1;
  let colMeet = 0;
  let earlyHere = 0;
  let lidBottom = 0;
  let lashFade = 1;
  let colStretch = 1;
  let colRigid = 0;
  return fillLens(
    w,
    h,
    top,
    reach,
    count,
    (o, xc, yc, yTop, yReach, reachCover) => {
      const x = o % w;
      if (xc !== colX) {
        leftOk = xc - 1 === colX;
        if (leftOk) {
          const swap = left;
          left = column;
          column = swap;
        }
        colX = xc;
        const prevY0 = colY0;
        const prevY1 = colY1;
        colY0 = Math.max(0, Math.floor(yTop - 3));
        colY1 = Math.min(h, Math.ceil(yReach + 2));
        for (let y = colY0; y < colY1; y++) column[y] = frame[y * w + x]!;
        // The left column's copy covers its own rows only: outside them, this column stands in for it.
        if (!leftOk) for (let y = colY0; y < colY1; y++) left[y] = column[y]!;
        else {
          for (let y = colY0; y < Math.min(prevY0, colY1); y++) left[y] = column[y]!;
          for (let y = Math.max(prevY1, colY0); y < colY1; y++) left[y] = column[y]!;
        }
        marginY = smoothCurveY(margin, count, xc);
        // Where the lid closes early the row under its margin is still the white: read the lid down to its
        // margin only.
        earlyHere = Math.max(0, Math.min(1, smoothCurveY(early, count, xc)));
        lash = 1 - earlyHere;
        colMeet = Math.min(1, meet + earlyHere);
        lidBottom = smoothCurveY(bottom, count, xc);
        colStretch = Math.max(1, smoothCurveY(stretch, count, xc));
        colRigid = colStretch > 1.02 ? RIGID_SHARE * Math.max(0, smoothCurveY(band, count, xc)) : 0;
        // The lashes thin out towards the inner corner, gradually: ending at once, the line left a light step.
        lashFade = Math.max(0, Math.min(1, (Math.abs(xc - innerX) - 0.1 * eyeWidth) / (0.35 * eyeWidth)));
        const e = Math.max(0, Math.min(1, Math.min(xc - lensX0, lensX1 - xc) / END_FADE));
        endFade = e * e * (3 - 2 * e);
        beyondX =
          xc - lensX0 < lensX1 - xc
            ? Math.max(0, Math.floor(lensX0) - 1)
            : Math.min(w - 1, Math.ceil(lensX1));
      }
      const yBottom = Math.min(lidBottom, yReach);
      const cover = Math.min(reachCover, Math.max(0, Math.min(1, yBottom - yc + 0.5)));
      // Under the lid's edge: the lower lid as it is, shaded by the lashes hanging over it.
      let shadow = 0;
      if (yReach > yBottom + 0.05 && yc > yBottom - 0.5) {
        const below = Math.max(0, Math.min(1, (yc - yBottom) / (yReach - yBottom)));
        shadow = LASH_SHADE * meet * lashFade * (1 - below) * (1 - below) * reachCover * endFade;
      }
      if (cover <= 0) {
        if (shadow > 0.002) blendPixel(frame, o, er * 0.35, eg * 0.35, eb * 0.35, shadow);
        return;
      }
      // Lens [yTop, yBottom] shows the warped lid from [yTop, margin + 1] (the lashes just below the margin).
      const span = Math.max(0.5, yBottom - yTop);
      const srcBottom = marginY + lash;
      let stretched = yTop + ((yc - yTop) * Math.max(0.5, srcBottom - yTop)) / span;
      // The band over the margin at its photographed scale; the rows between it and the lens's top take the rest.
      const rigid = Math.min(colRigid, (0.75 * span) / colStretch);
      if (rigid > 0.5) {
        const dOut = yBottom - yc;
        if (dOut <= rigid) stretched = srcBottom - dOut * colStretch;
        else {
          const t = (yc - yTop) / Math.max(0.5, span - rigid);
          stretched = yTop + t * Math.max(0.5, srcBottom - rigid * colStretch - yTop);
        }
      }
      let src = stretched;
      if (colMeet > 0) {
        // Closing: the skin above the lash line over all but the lens's last LASH_CLOSED px, the lashes there,
        // and nothing under the margin (the iris).
        const skinEnd = Math.max(yTop + 0.5, marginY - LASH_DEPTH);
        const skinRows = Math.max(0.5, span - LASH_CLOSED);
        const d = yc - yTop;
        const folded =
          d < skinRows
            ? yTop + (d * (skinEnd - yTop)) / skinRows
            : skinEnd + ((d - skinRows) * (marginY - skinEnd)) / LASH_CLOSED;
        src = stretched + (Math.min(folded, marginY) - stretched) * colMeet;
      }
      src -= 0.5;
      const sy = Math.max(colY0, Math.min(colY1 - 2, Math.floor(src)));
      const f = Math.max(0, Math.min(1, src - sy));
      const a = column[sy]!;
      const c = column[sy + 1]!;
      // (The column to the right only where it was redrawn this frame: elsewhere the frame may hold an old one.)
      // Closing, a few rows of lid are stretched over the eye, and every change along them became a vertical
      // streak (read as lashes hanging over a lowered lid): smooth across, 1-2-1, as far as the lid is closed.
      const smooth = meet > 0 && x + 1 < w && (!mask || mask.fresh[sy * w + x + 1] === mask.stamp);
      let la = 0;
      let lc = 0;
      let ra = 0;
      let rc = 0;
      if (smooth) {
        la = left[sy]!;
        lc = left[sy + 1]!;
        ra = frame[sy * w + x + 1]!;
        rc = frame[(sy + 1) * w + x + 1]!;
      }
      const side = smooth ? 0.25 * meet : 0;
      // A closed lid is convex, the eyeball under it: darker towards the lashes and the corners, so it reads as a
      // lid over a ball rather than a flat pale band (a downcast lid).
      const t = Math.min(1, (yc - yTop) / span);
      const u = (xc - cx) / (eyeWidth / 2);
      const k = (0.1 * t * t + 0.06 * Math.min(1, u * u)) * meet;
      let r = channel(0, a, c, f, smooth, side, la, lc, ra, rc) * (1 - k) + er * 0.6 * k;
      let g = channel(8, a, c, f, smooth, side, la, lc, ra, rc) * (1 - k) + eg * 0.6 * k;
      let b = channel(16, a, c, f, smooth, side, la, lc, ra, rc) * (1 - k) + eb * 0.6 * k;
      // Where the lids meet, the lower lashes add a soft shadow (a half-pixel, not a pen line).
      const seam = Math.max(0, Math.min(1, (yc - (yBottom - 1)) / 1)) * 0.3 * meet;
      r += (er * 0.4 - r) * seam;
      g += (eg * 0.4 - g) * seam;
      b += (eb * 0.4 - b) * seam;
      if (earlyHere > 0) {
        const lift =
          CORNER_SKIN *
          earlyHere *
          Math.max(0, Math.min(1, (yBottom - LASH_CLOSED - yc) / 1.5)) *
          Math.max(0, Math.min(1, (yc - yTop) / 3));
        const q = frame[o - x + innerBeyondX]!;
        const qr = q & 255;
        const qg = (q >>> 8) & 255;
        const qb = (q >>> 16) & 255;
        // Only lighter: beside a deep socket (victor) the skin past the lens is in the nose's shade itself.
        const ownL = 0.299 * r + 0.587 * g + 0.114 * b;
        const lighter = 0.299 * qr + 0.587 * qg + 0.114 * qb - ownL;
        const k = lift * Math.max(0, Math.min(1, lighter / 8));
        r += (qr - r) * k;
        g += (qg - g) * k;
        b += (qb - b) * k;
        // Where the skin under the lower lid is lighter still, the lid brightens towards its tone, keeping its own
        // hue and texture: the socket's shade, stretched down over the corner, read as a brown patch.
        if (lidRefL > 0) {
          const nowL = Math.max(1, 0.299 * r + 0.587 * g + 0.114 * b);
          const ratio = Math.min(1.6, lidRefL / nowL);
          if (ratio > 1) {
            // Half the lid's own colour brightened (its texture), half the skin's (its hue): brightened alone, the
            // brown turned orange.
            const m = LOWER_SKIN_GAIN * lift;
            // (The skin's colour at the target luma, where the ratio is capped.)
            const sk = (ratio * nowL) / lidRefL;
            r += (0.5 * r * ratio + 0.5 * lidRef![0] * sk - r) * m;
            g += (0.5 * g * ratio + 0.5 * lidRef![1] * sk - g) * m;
            b += (0.5 * b * ratio + 0.5 * lidRef![2] * sk - b) * m;
          }
        }
      }
      if (endFade < 1) {
        const q = frame[o - x + beyondX]!;
        r = (q & 255) + (r - (q & 255)) * endFade;
        g = ((q >>> 8) & 255) + (g - ((q >>> 8) & 255)) * endFade;
        b = ((q >>> 16) & 255) + (b - ((q >>> 16) & 255)) * endFade;
      }
      blendPixel(frame, o, r, g, b, cover);
      if (shadow > 0.002) blendPixel(frame, o, er * 0.35, eg * 0.35, eb * 0.35, shadow);
    },
    mask,
  );
}

/** The mean colour of the 3×3 pixels at column x, `dy` px below the curve `pts`. */
function skinAt(
  frame: Int32Array,
  w: number,
  h: number,
  pts: Float32Array,
  count: number,
  x: number,
  dy: number,
): [number, number, number] {
  const cx = Math.max(1, Math.min(w - 2, Math.round(x)));
  const cy = Math.max(1, Math.min(h - 2, Math.round(smoothCurveY(pts, count, x) + dy)));
  let r = 0;
  let g = 0;
  let b = 0;
  for (let dy = -1; dy <= 1; dy++)
    for (let dx = -1; dx <= 1; dx++) {
      const p = frame[(cy + dy) * w + cx + dx]!;
      r += p & 255;
      g += (p >>> 8) & 255;
      b += (p >>> 16) & 255;
    }
  return [r / 9, g / 9, b / 9];
}

/** Channel `s` (bit shift) of the lid read between rows a and c at `f`; `smooth`: blended 1-2-1 with the columns
 * either side (la/lc left, ra/rc right) by `side`. A module function: a closure per pixel showed in GC profiles. */
function channel(
  s: number,
  a: number,
  c: number,
  f: number,
  smooth: boolean,
  side: number,
  la: number,
  lc: number,
  ra: number,
  rc: number,
): number {
  const own = ((a >>> s) & 255) * (1 - f) + ((c >>> s) & 255) * f;
  if (!smooth) return own;
  return (
    own * (1 - 2 * side) +
    side *
      (((la >>> s) & 255) * (1 - f) +
        ((lc >>> s) & 255) * f +
        ((ra >>> s) & 255) * (1 - f) +
        ((rc >>> s) & 255) * f)
  );
}
