// The open mouth's outline as a viewer sees it. The inner-lip landmarks of an "ah" make a trapezoid (victor's
// lower lip dropped as a block, its ends at another slope), and the photo's lip line, warped with the lips'
// triangles, rode on the lower lip as a dark polygon round the opening. The outline must be one smooth curve and
// the lip must meet the interior without a dark line between them.
import { describe, expect, it } from 'vitest';
import { findPublicAvatar } from '../avatars/catalog.js';
import { poseParams } from './contact-sheet.js';
import { createCpuRenderer } from './cpu-renderer.js';
import { smoothCurveY } from './lens-fill.js';
import { roundContour } from './mouth-interior.js';

const luma = (px: Uint8Array, o: number) => 0.299 * px[o]! + 0.587 * px[o + 1]! + 0.114 * px[o + 2]!;

// victor's inner lower lip on the contact sheet's "ah" (x, y per point, corner to corner).
// biome-ignore format: pairs
const VICTOR_AH_LOWER = new Float32Array([
  283.6, 294.8, 289.8, 302.7, 294.0, 306.6, 301.2, 312.0, 308.9, 312.5, 317.3, 313.1,
  325.0, 313.2, 332.7, 312.3, 340.0, 306.9, 344.2, 303.4, 349.6, 296.1,
]);

/**
 * The largest change of slope between neighbouring pixel columns along the curve through `pts`, around its fourth
 * and fourth-last points (where the trapezoid's corners are; the mouth's own corners turn sharply anyway).
 */
function sharpestTurn(pts: Float32Array): number {
  const n = pts.length / 2;
  let worst = 0;
  for (let x = Math.ceil(pts[6]! - 2); x < pts[(n - 4) * 2]! + 2; x++) {
    const y = (v: number) => smoothCurveY(pts, n, v);
    worst = Math.max(worst, Math.abs(y(x + 1) - 2 * y(x) + y(x - 1)));
  }
  return worst;
}

describe("the open mouth's outline", () => {
  it("is drawn along a rounded curve, not the landmarks' trapezoid", () => {
    const raw = sharpestTurn(VICTOR_AH_LOWER);
    const rounded = roundContour(VICTOR_AH_LOWER, 11, new Float32Array(22));
    const turn = sharpestTurn(rounded);
    // The spline through the landmarks turns by 0.21 px/px² at the trapezoid's corners; rounded, 0.055.
    expect(raw).toBeGreaterThan(0.15);
    expect(turn).toBeLessThan(0.08);
    // Ends held: the corners of the mouth do not move.
    expect([rounded[0], rounded[1], rounded[20], rounded[21]]).toEqual([
      VICTOR_AH_LOWER[0],
      VICTOR_AH_LOWER[1],
      VICTOR_AH_LOWER[20],
      VICTOR_AH_LOWER[21],
    ]);
  });

  for (const slug of ['victor', 'eileen', 'jonah', 'amara']) {
    it(`${slug} "ah": the lower lip meets the interior without a dark line between them`, async () => {
      const rig = await findPublicAvatar(slug)!.loadRig('4:3');
      const renderer = createCpuRenderer(rig, { idleCache: false });
      const frame = renderer.render(poseParams('ah'), 0, 'rgba');
      renderer.close();
      const px = new Uint8Array(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
      const at = (i: number) => [rig.mesh[i * 2]!, rig.mesh[i * 2 + 1]!] as const;
      // Mouth corners 61 and 291, the upper lip's outer middle 0.
      const lx = at(61)[0];
      const rx = at(291)[0];
      const top = Math.round(at(0)[1]);
      const width = rx - lx;
      let columns = 0;
      let rimmed = 0;
      const worst: string[] = [];
      for (let x = Math.round(lx + width * 0.25); x <= Math.round(rx - width * 0.25); x++) {
        const column: number[] = [];
        for (let y = top; y < top + width; y++) column.push(luma(px, (y * rig.width + x) * 4));
        let darkest = 0;
        for (let i = 1; i < width * 0.6; i++) if (column[i]! < column[darkest]!) darkest = i;
        if (column[darkest]! > 50) continue;
        // Down from the cavity into the lower lip: once the luma is 30 % of the way to the lip, it must not sink
        // again by more than 15 % within 10 rows (the old rim on victor: luma 77 → 51, then the lip at 190).
        const lip = Math.max(...column.slice(darkest, darkest + Math.round(width / 3)));
        let y = darkest;
        while (y + 1 < column.length && column[y]! < lip * 0.3) y++;
        let peak = column[y]!;
        let dip = 1;
        for (let i = y + 1; i < Math.min(column.length, y + 10); i++) {
          peak = Math.max(peak, column[i]!);
          dip = Math.min(dip, column[i]! / peak);
        }
        columns++;
        if (dip < 0.85) {
          rimmed++;
          worst.push(`x ${x}: ${dip.toFixed(2)}`);
        }
      }
      expect(columns).toBeGreaterThan(width * 0.4);
      expect(rimmed / columns, worst.join(', ')).toBeLessThan(0.1);
    });
  }

  for (const slug of ['victor', 'eileen', 'jonah', 'amara']) {
    it(`${slug} "ah": towards the corners no darker arc runs through the lower lip beside the opening`, async () => {
      const rig = await findPublicAvatar(slug)!.loadRig('4:3');
      const renderer = createCpuRenderer(rig, { idleCache: false });
      const frame = renderer.render(poseParams('ah'), 0, 'rgba');
      renderer.close();
      const px = new Uint8Array(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
      const l = (x: number, y: number) => luma(px, (y * rig.width + x) * 4);
      const lx = rig.mesh[61 * 2]!;
      const rx = rig.mesh[291 * 2]!;
      const mid = Math.round((rig.mesh[13 * 2 + 1]! + rig.mesh[14 * 2 + 1]!) / 2);
      const valleys: number[] = [];
      for (let x = Math.round(lx); x < rx; x++) {
        const u = Math.abs((x + 0.5 - (lx + rx) / 2) / ((rx - lx) / 2));
        if (u < 0.3 || u > 0.85) continue;
        // The opening's last dark row in this column, then the lower lip from 2 to 14 rows under it.
        let last = -1;
        for (let y = mid; y < mid + 40; y++) if (l(x, y) < 45) last = y;
        if (last < 0) continue;
        const lip: number[] = [];
        for (let k = 2; k <= 14; k++) lip.push(l(x, last + k));
        // How far a row sinks below the lightest rows on both sides of it.
        let valley = 0;
        for (let j = 1; j < lip.length - 1; j++)
          valley = Math.max(
            valley,
            Math.min(Math.max(...lip.slice(0, j)), Math.max(...lip.slice(j + 1))) - lip[j]!,
          );
        valleys.push(valley);
      }
      valleys.sort((a, b) => a - b);
      expect(valleys.length).toBeGreaterThan(10);
      // The rim's toning lifted the lip line above the lip stretched past it and then faded out: a darker arc
      // parallel to the opening (victor: median 6.1 levels, one column in ten 9.4; now 0 and 1.2).
      expect(valleys[valleys.length >> 1]!).toBeLessThan(2);
      if (slug === 'victor') expect(valleys[Math.floor(valleys.length * 0.9)]!).toBeLessThan(4);
    });
  }
});
