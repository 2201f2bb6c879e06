// The synthesised mouth interior (photos with closed lips have none to show) judged on its own pixels: an open
// mouth is mostly a dark, unsaturated cavity, and its outline is a gradient, not a painted cut-out's edge.
import { beforeAll, describe, expect, it } from 'vitest';
import { findPublicAvatar } from '../avatars/catalog.js';
import type { RigColors } from '../face/rig.js';
import { smoothCurveY } from './lens-fill.js';
import { drawMouthInterior } from './mouth-interior.js';

const W = 200;
const H = 110;
const COUNT = 11;
const LEFT = 40;
const RIGHT = 160;

// An "ah" opening: upper inner lip nearly straight, lower one dropped 30 px at the middle.
function contour(depth: number, base: number): Float32Array {
  const pts = new Float32Array(COUNT * 2);
  for (let i = 0; i < COUNT; i++) {
    const u = (i / (COUNT - 1)) * 2 - 1;
    pts[i * 2] = LEFT + ((RIGHT - LEFT) * i) / (COUNT - 1);
    pts[i * 2 + 1] = base + depth * (1 - u * u);
  }
  return pts;
}

const pack = (r: number, g: number, b: number) => 0xff000000 | (b << 16) | (g << 8) | r;
const luma = (p: number) => 0.299 * (p & 255) + 0.587 * ((p >>> 8) & 255) + 0.114 * ((p >>> 16) & 255);
const chroma = (p: number) => {
  const c = [p & 255, (p >>> 8) & 255, (p >>> 16) & 255];
  return Math.max(...c) - Math.min(...c);
};

let colors: RigColors;
beforeAll(async () => {
  // A public photo avatar whose photo has closed lips: its interior is all synthesised.
  colors = (await findPublicAvatar('jonah')!.loadRig('4:3')).colors;
});

function render(): { frame: Int32Array; upper: Float32Array; lower: Float32Array; teeth: number } {
  const [lr, lg, lb] = colors.lip;
  const frame = new Int32Array(W * H).fill(pack(lr, lg, lb));
  const upper = contour(-2, 30);
  const lower = contour(30, 31);
  const teeth = 8;
  drawMouthInterior(
    frame,
    W,
    H,
    upper,
    lower,
    COUNT,
    { colors, teethHeight: teeth, mouthWidth: RIGHT - LEFT },
    { opacity: 1, tuck: 0, round: 0, shiftX: 0, shiftY: 0 },
  );
  return { frame, upper, lower, teeth };
}

describe('the synthesised mouth interior on "ah"', () => {
  it('is a dark, low-saturation cavity below the upper teeth, tongue included', () => {
    const { frame, upper, lower, teeth } = render();
    let n = 0;
    let sumLuma = 0;
    let sumChroma = 0;
    for (let x = LEFT + 25; x < RIGHT - 25; x++) {
      const top = smoothCurveY(upper, COUNT, x + 0.5) + teeth + 1;
      const bottom = smoothCurveY(lower, COUNT, x + 0.5) - 1;
      for (let y = Math.ceil(top); y < bottom; y++) {
        const p = frame[y * W + x]!;
        sumLuma += luma(p);
        sumChroma += chroma(p);
        n++;
      }
    }
    expect(n).toBeGreaterThan(1000);
    // The painted red tongue and wet-lip band this replaced averaged luma 44 here.
    expect(sumLuma / n).toBeLessThan(40);
    expect(sumChroma / n).toBeLessThan(28);
  });

  it('has no hard edge: inside the teeth and down into the lower lip, no row steps by much of the range', () => {
    const { frame, upper, lower, teeth } = render();
    for (const x of [70, 85, 100, 115, 130]) {
      const top = Math.ceil(smoothCurveY(upper, COUNT, x + 0.5) + teeth + 1);
      const bottom = Math.floor(smoothCurveY(lower, COUNT, x + 0.5)) + 3;
      const column: number[] = [];
      for (let y = top; y <= bottom; y++) column.push(luma(frame[y * W + x]!));
      const range = Math.max(...column) - Math.min(...column);
      expect(range).toBeGreaterThan(40);
      let step = 0;
      for (let i = 1; i < column.length; i++) step = Math.max(step, Math.abs(column[i]! - column[i - 1]!));
      expect(step, `column ${x}: ${column.map(Math.round).join(' ')}`).toBeLessThan(0.3 * range);
    }
  });
});
