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

/** The photo's lip line as it rides on the opened lips: darker and redder than the lip, 3 px on each side. */
function paintLipLine(frame: Int32Array, upper: Float32Array, lower: Float32Array): void {
  const [lr, lg, lb] = colors.lip;
  for (let x = 0; x < W; x++) {
    const top = smoothCurveY(upper, COUNT, x + 0.5);
    const bottom = smoothCurveY(lower, COUNT, x + 0.5);
    if (bottom - top < 1) continue;
    for (let y = 0; y < H; y++) {
      const yc = y + 0.5;
      if ((yc < top && yc > top - 3) || (yc > bottom && yc < bottom + 3))
        frame[y * W + x] = pack(Math.round(lr * 0.55), Math.round(lg * 0.4), Math.round(lb * 0.4));
    }
  }
}

function render(lipLine = false): {
  frame: Int32Array;
  upper: Float32Array;
  lower: Float32Array;
  teeth: number;
} {
  const [lr, lg, lb] = colors.lip;
  const frame = new Int32Array(W * H).fill(pack(lr, lg, lb));
  const upper = contour(-2, 30);
  const lower = contour(30, 31);
  if (lipLine) paintLipLine(frame, upper, lower);
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

  it("has no red or dark rim: the lips' inner edges keep the lip's hue, in light shadow", () => {
    const { frame, upper, lower } = render(true);
    const [lr, lg, lb] = colors.lip;
    const lipRatio = lr / lg;
    const lipLuma = 0.299 * lr + 0.587 * lg + 0.114 * lb;
    let worst = 0;
    let rimLuma = 0;
    let n = 0;
    for (let x = LEFT + 10; x < RIGHT - 10; x++) {
      const top = smoothCurveY(upper, COUNT, x + 0.5);
      const bottom = smoothCurveY(lower, COUNT, x + 0.5);
      // The rim outside the opening, and the inner-lip band just inside its lower edge (above it: teeth).
      for (const y of [
        Math.floor(top) - 2,
        Math.floor(top) - 1,
        Math.floor(bottom) - 2,
        Math.ceil(bottom) + 1,
      ]) {
        const p = frame[y * W + x]!;
        if (luma(p) < 30) continue;
        worst = Math.max(worst, (p & 255) / ((p >>> 8) & 255));
        if (y > bottom || y < top) {
          rimLuma += luma(p);
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(200);
    // The photo's lip line left as it was: red/green 1.38 × the lip's; the former band, darkening green and blue
    // more than red: 1.14 ×.
    expect(worst / lipRatio).toBeLessThan(1.06);
    // The lip in light shadow towards the opening: neither the photo's dark lip line (45 % of the lip's luma,
    // kept until the lip's own tone lifted it) nor the lip's full tone.
    expect(rimLuma / n).toBeGreaterThan(lipLuma * 0.7);
    expect(rimLuma / n).toBeLessThan(lipLuma * 0.95);
  });

  it('shades the ends of the teeth row warmer and only a little darker, not grey', () => {
    const { frame, upper, teeth } = render();
    const mid = (LEFT + RIGHT) / 2;
    const half = (RIGHT - LEFT) / 2;
    // Mean colour of the teeth (rows inside them) over columns around u.
    const at = (u: number) => {
      let cr = 0;
      let cg = 0;
      let cb = 0;
      let n = 0;
      for (let x = Math.round(mid + u * half) - 3; x <= Math.round(mid + u * half) + 3; x++) {
        const top = smoothCurveY(upper, COUNT, x + 0.5);
        for (let y = Math.ceil(top + 2); y < top + teeth * 0.6; y++) {
          const p = frame[y * W + x]!;
          cr += p & 255;
          cg += (p >>> 8) & 255;
          cb += (p >>> 16) & 255;
          n++;
        }
      }
      const [r, g, b] = [cr / n, cg / n, cb / n];
      const l = 0.299 * r + 0.587 * g + 0.114 * b;
      return { l, warmth: (r - b) / l };
    };
    const middle = at(0);
    for (const u of [-0.75, 0.75]) {
      const end = at(u);
      // Darkening alone left the ends at 0.73 of the middle's luma with the same (grey) tint; now 0.78, warmer.
      expect(end.l / middle.l).toBeGreaterThan(0.76);
      expect(end.warmth).toBeGreaterThan(middle.warmth + 0.03);
    }
  });

  it('draws separate teeth: gaps shade towards the biting edge, which curves up into them (no grid of keys)', () => {
    const { frame, upper, teeth } = render();
    const mid = (LEFT + RIGHT) / 2;
    // Over the front teeth (about two tooth widths each side of the middle), per row down the teeth: how far the
    // darkest column falls below the lightest (a gap's shadow), as a share of the lightest.
    const dip = (rowFromTop: number) => {
      const ls: number[] = [];
      for (let x = Math.round(mid - 30); x < Math.round(mid + 30); x++) {
        const y = Math.floor(smoothCurveY(upper, COUNT, x + 0.5) + rowFromTop);
        ls.push(luma(frame[y * W + x]!));
      }
      return 1 - Math.min(...ls) / Math.max(...ls);
    };
    const nearGum = Math.max(dip(1.5), dip(2.5));
    const edge = dip(teeth - 0.5);
    // Even dark seams from gum to edge dipped 27 % near the gum and 45 % at the edge; now 16 % (the teeth's
    // rounding and the row's shading included) and 63 %, the edge curving up into each gap.
    expect(nearGum).toBeLessThan(0.2);
    expect(edge).toBeGreaterThan(3 * nearGum);
  });
});
