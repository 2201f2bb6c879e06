// Reading a corner-to-corner contour (a lip or lid line, as mesh point indices) as a function of x.

/** y of a corner-to-corner contour at x (linear between its points; clamped at the ends). */
export function interpolateY(pts: ArrayLike<number>, list: readonly number[], x: number): number {
  let best = pts[list[0]! * 2 + 1]!;
  let bestDx = Number.POSITIVE_INFINITY;
  for (let i = 0; i + 1 < list.length; i++) {
    const ax = pts[list[i]! * 2]!;
    const ay = pts[list[i]! * 2 + 1]!;
    const bx = pts[list[i + 1]! * 2]!;
    const by = pts[list[i + 1]! * 2 + 1]!;
    const lo = Math.min(ax, bx);
    const hi = Math.max(ax, bx);
    if (x >= lo && x <= hi) return hi - lo < 1e-6 ? (ay + by) / 2 : ay + ((by - ay) * (x - ax)) / (bx - ax);
    const d = Math.min(Math.abs(x - ax), Math.abs(x - bx));
    if (d < bestDx) {
      bestDx = d;
      best = Math.abs(x - ax) < Math.abs(x - bx) ? ay : by;
    }
  }
  return best;
}
