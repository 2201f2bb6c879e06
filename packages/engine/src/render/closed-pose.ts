import { interpolateY } from './contour-y.js';

// A photo taken with the lips apart (a smile showing teeth, a laugh) has no closed mouth to start from, so every
// "m" would be spoken through the grin. This moves the mesh into a closed pose once per rig: the upper lip comes
// down over the teeth, the lower lip and chin come up (the jaw closing), and they meet along a line between the
// photo's inner lips. The renderer then treats that pose as the rig's rest, warps the photo into it once, and
// opens the mouth from there like any closed-lip photo; the photo's own teeth are kept for the interior.

export interface ClosedPoseInput {
  /** Rest positions [x0, y0, ...] of every mesh point, as on the photo (inner lips already snapped to the lips). */
  rest: Float32Array;
  /** Face points only (the rings around the face never move). */
  facePoints: number;
  upperInner: readonly number[];
  lowerInner: readonly number[];
  upperOuter: readonly number[];
  lowerOuter: readonly number[];
  /** Height (px) of the photo's upper teeth below its upper inner lip at the mouth's middle, if it shows teeth. */
  upperTeethPx: number;
}

/** Below this opening (px) at the middle the lips already read as closed and nothing moves. */
export const CLOSED_GAP_PX = 1;

/** Share of the opening the upper lip covers when the photo shows no teeth to keep visible (a dark gap). */
const UPPER_SHARE = 0.25;
/** The upper lip drops at most this share of the upper teeth, so part of them still shows once the jaw opens. */
const UPPER_TEETH_COVER = 0.4;
/**
 * The lower lip rises whole with the jaw, down to this many of its own heights below its inner edge; only the chin
 * under it fades, over this many more. A fade starting at the inner edge left the lip's outer edge behind, so the
 * lip was stretched taller than the photo's own, and the face-landmark model read its top few pixels as an
 * opening (0.079 of the iris distance at rest against 0.055 with the lip rising whole, median of 12 head poses).
 */
const LOWER_LIP_RIGID = 1.5;
const CHIN_FADE = 5;

/** Per-point displacement that closes the lips, or null when the photo's lips already meet. */
export function closedPoseDisplacement(input: ClosedPoseInput): Float32Array | null {
  const { rest, facePoints, upperInner, lowerInner, upperOuter, lowerOuter } = input;
  const left = upperInner[0]!;
  const right = upperInner.at(-1)!;
  const mx = (rest[left * 2]! + rest[right * 2]!) / 2;
  const upperY = (x: number) => interpolateY(rest, upperInner, x);
  const lowerY = (x: number) => interpolateY(rest, lowerInner, x);
  const gapAt = (x: number) => Math.max(0, lowerY(x) - upperY(x));
  const midGap = gapAt(mx);
  if (midGap < CLOSED_GAP_PX) return null;
  // The upper lip keeps part of the teeth in view once open; the lower lip and the jaw make up the rest.
  const share =
    input.upperTeethPx > 0
      ? Math.min(UPPER_SHARE, (UPPER_TEETH_COVER * input.upperTeethPx) / midGap)
      : UPPER_SHARE;
  const upperThick = Math.max(2, upperY(mx) - interpolateY(rest, upperOuter, mx));
  const lowerThick = Math.max(2, interpolateY(rest, lowerOuter, mx) - lowerY(mx));
  const upperSet = new Set(upperInner);
  const lowerSet = new Set(lowerInner);
  const corners = new Set([left, right]);
  const out = new Float32Array(rest.length);
  for (let p = 0; p < facePoints; p++) {
    if (corners.has(p)) continue;
    const x = rest[p * 2]!;
    const y = rest[p * 2 + 1]!;
    const gap = gapAt(x);
    if (gap <= 0) continue;
    const top = upperY(x);
    const bottom = top + gap;
    const seam = top + share * gap;
    let dy = 0;
    if (upperSet.has(p)) dy = seam - top;
    else if (lowerSet.has(p)) dy = seam - bottom;
    else if (y <= top) {
      // The upper lip stretches down; the skin above it follows a little and the nose not at all.
      const d = (top - y) / (1.2 * upperThick);
      dy = (seam - top) * Math.exp(-d * d);
    } else if (y >= bottom) {
      // The lower lip and chin rise together, as the jaw closes, fading down the chin.
      const d = Math.max(0, y - bottom - LOWER_LIP_RIGID * lowerThick) / (CHIN_FADE * lowerThick);
      dy = (seam - bottom) * Math.exp(-d * d);
    } else dy = seam - y;
    out[p * 2 + 1] = dy;
  }
  return out;
}
