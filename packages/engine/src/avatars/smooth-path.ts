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
