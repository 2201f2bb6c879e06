import { describe, expect, it } from 'vitest';
import { closedPoseDisplacement } from './closed-pose.js';
import { interpolateY } from './contour-y.js';

// A synthetic mouth 60 px wide: inner lips as arcs meeting at the corners, outer lips 8 px beyond them, one skin
// point above and one on the chin.
function mouth(gap: number) {
  const n = 7;
  const pts: number[] = [];
  const upperInner: number[] = [];
  const lowerInner: number[] = [];
  const upperOuter: number[] = [];
  const lowerOuter: number[] = [];
  const add = (x: number, y: number) => {
    pts.push(x, y);
    return pts.length / 2 - 1;
  };
  const left = add(100, 200);
  const right = add(160, 200);
  for (let i = 0; i < n; i++) {
    const x = 100 + (60 * i) / (n - 1);
    const open = gap * Math.sin((Math.PI * i) / (n - 1));
    // The corners are shared by all four contours, as MediaPipe's lip lists are.
    const corner = i === 0 ? left : i === n - 1 ? right : -1;
    upperInner.push(corner >= 0 ? corner : add(x, 200));
    lowerInner.push(corner >= 0 ? corner : add(x, 200 + open));
    upperOuter.push(corner >= 0 ? corner : add(x, 192));
    lowerOuter.push(corner >= 0 ? corner : add(x, 208 + open));
  }
  const nose = add(130, 160);
  const chin = add(130, 260);
  return {
    rest: Float32Array.from(pts),
    facePoints: pts.length / 2,
    upperInner,
    lowerInner,
    upperOuter,
    lowerOuter,
    nose,
    chin,
  };
}

describe('closed pose', () => {
  it('leaves lips that already meet alone', () => {
    const m = mouth(0.5);
    expect(closedPoseDisplacement({ ...m, upperTeethPx: 0 })).toBeNull();
  });

  it('brings the inner lips together along a line between them, the jaw rising more than the upper lip', () => {
    const m = mouth(12);
    const d = closedPoseDisplacement({ ...m, upperTeethPx: 10 });
    expect(d).not.toBeNull();
    const closed = m.rest.map((v, i) => v + d![i]!);
    for (const x of [110, 130, 150]) {
      const top = interpolateY(closed, m.upperInner, x);
      const bottom = interpolateY(closed, m.lowerInner, x);
      expect(Math.abs(bottom - top)).toBeLessThan(0.01);
      // The meeting line lies inside the photo's opening.
      expect(top).toBeGreaterThan(interpolateY(m.rest, m.upperInner, x) - 1e-6);
      expect(top).toBeLessThan(interpolateY(m.rest, m.lowerInner, x) + 1e-6);
    }
    const mid = m.upperInner[3]!;
    const midLow = m.lowerInner[3]!;
    expect(d![mid * 2 + 1]!).toBeGreaterThan(0);
    expect(-d![midLow * 2 + 1]!).toBeGreaterThan(d![mid * 2 + 1]!);
    // The upper lip covers at most 40 % of the upper teeth, so they show again when the mouth opens.
    expect(d![mid * 2 + 1]!).toBeLessThanOrEqual(0.4 * 10 + 1e-6);
    // The lower lip rises whole with the jaw (its outer edge as far as its inner one, so it keeps its height);
    // the chin below it follows less.
    const midLowOuter = m.lowerOuter[3]!;
    expect(d![midLowOuter * 2 + 1]!).toBeCloseTo(d![midLow * 2 + 1]!, 3);
    expect(Math.abs(d![m.chin * 2 + 1]!)).toBeLessThan(Math.abs(d![midLow * 2 + 1]!) * 0.8);
    expect(Math.abs(d![m.chin * 2 + 1]!)).toBeGreaterThan(0);
    // Corners stay; the nose does not move.
    expect(d![m.upperInner[0]! * 2 + 1]).toBe(0);
    expect(d![m.nose * 2 + 1]).toBeCloseTo(0, 3);
  });
});
