// Catmull-Rom curves through points, emitted as canvas bezier segments: drawn shapes follow mesh landmarks
// without the corners a polygon would have.
import type { SKRSContext2D } from '@napi-rs/canvas';

export type Pt = [number, number];

export function smoothPath(ctx: SKRSContext2D, pts: Pt[], closed: boolean, tension = 0.5): void {
  const n = pts.length;
  if (n < 2) return;
  const at = (i: number): Pt => (closed ? pts[(i + n) % n]! : pts[Math.max(0, Math.min(n - 1, i))]!);
  ctx.moveTo(pts[0]![0], pts[0]![1]);
  const segments = closed ? n : n - 1;
  const k = tension / 3;
  for (let i = 0; i < segments; i++) {
    const p0 = at(i - 1);
    const p1 = at(i);
    const p2 = at(i + 1);
    const p3 = at(i + 2);
    ctx.bezierCurveTo(
      p1[0] + (p2[0] - p0[0]) * k,
      p1[1] + (p2[1] - p0[1]) * k,
      p2[0] - (p3[0] - p1[0]) * k,
      p2[1] - (p3[1] - p1[1]) * k,
      p2[0],
      p2[1],
    );
  }
  if (closed) ctx.closePath();
}

/** Deterministic pseudo-random numbers (mulberry32), so avatars draw identically every time. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
