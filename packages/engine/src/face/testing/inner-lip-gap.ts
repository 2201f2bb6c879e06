// Test and bench helper: the inner-lip gap as the face-landmark model's mesh gives it. The gap is the mean distance
// between the inner upper and inner lower lip contours (MediaPipe's 11-point rings, corners shared), taken across
// the mouth perpendicular to the line between its corners and counted as zero where the contours touch or cross.
// One pair of points (13/14), or three middle pairs, also count any sideways offset between the paired points, so
// they never reach zero on a closed mouth. Both are over the distance between the iris centres (468/473).

export type Mesh = Array<[number, number, number]>;

/** MediaPipe's inner lip rings, corner to corner (78 left, 308 right). */
const UPPER_INNER = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308];
const LOWER_INNER = [78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308];
/** Columns the contours are sampled at, between the corners. */
const COLUMNS = 40;

const dist = (m: Mesh, a: number, b: number) => Math.hypot(m[a]![0] - m[b]![0], m[a]![1] - m[b]![1]);
const irisDistance = (m: Mesh) => dist(m, 468, 473);

/** Mean gap between the inner lip contours over the iris distance (0 where they touch or cross). */
export function innerLipGap(m: Mesh): number {
  const [x0, y0] = m[78]!;
  const ux = m[308]![0] - x0;
  const uy = m[308]![1] - y0;
  const width = Math.hypot(ux, uy);
  const [ex, ey] = [ux / width, uy / width];
  // Each contour in the mouth's own frame: along the corner line, and across it (down positive).
  const frame = (ring: number[]) =>
    ring.map((i) => {
      const dx = m[i]![0] - x0;
      const dy = m[i]![1] - y0;
      return [dx * ex + dy * ey, -dx * ey + dy * ex] as const;
    });
  const across = (ring: ReturnType<typeof frame>, x: number) => {
    for (let i = 1; i < ring.length; i++) {
      const [a, ya] = ring[i - 1]!;
      const [b, yb] = ring[i]!;
      if ((x - a) * (x - b) <= 0 && a !== b) return ya + ((yb - ya) * (x - a)) / (b - a);
    }
    return Number.NaN;
  };
  const upper = frame(UPPER_INNER);
  const lower = frame(LOWER_INNER);
  let sum = 0;
  let n = 0;
  for (let k = 1; k < COLUMNS; k++) {
    const x = (width * k) / COLUMNS;
    const gap = across(lower, x) - across(upper, x);
    if (Number.isNaN(gap)) continue;
    sum += Math.max(0, gap);
    n++;
  }
  return n ? sum / n / irisDistance(m) : Number.NaN;
}

/** The earlier reading: the mean length of three middle pairs (82/87, 13/14, 312/317) over the iris distance. */
export function pairLipGap(m: Mesh): number {
  return (dist(m, 82, 87) + dist(m, 13, 14) + dist(m, 312, 317)) / 3 / irisDistance(m);
}

/**
 * One mesh from two readings of a face: on the frame and on its mirror image. The model's error on a small feature
 * such as the lip seam is not mirror-symmetric, so averaging the two cancels part of it. The mirrored mesh is flipped
 * back (x → width − x) and its labels swapped left for right (the model names the image's left corner 78 in
 * both); only the points the gaps read are averaged (the inner lip rings and the iris centres), the rest are the
 * first reading's.
 */
export function averageMirrored(m: Mesh, mirrored: Mesh, width: number): Mesh {
  const out = m.map((p) => [...p] as [number, number, number]);
  const pairs: Array<[number, number]> = [[468, 473]];
  for (const ring of [UPPER_INNER, LOWER_INNER])
    for (let i = 0; i < ring.length; i++) pairs.push([ring[i]!, ring[ring.length - 1 - i]!]);
  for (const [a, b] of pairs) {
    for (const [p, q] of [
      [a, b],
      [b, a],
    ] as const) {
      out[p]![0] = (m[p]![0] + width - mirrored[q]![0]) / 2;
      out[p]![1] = (m[p]![1] + mirrored[q]![1]) / 2;
    }
  }
  return out;
}
