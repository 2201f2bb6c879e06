// The mouth shapes of speech on every public photo avatar, judged on the warped mesh and on rendered pixels: the
// lips never fold over themselves (a fold shows as a jagged, stair-stepped lip corner or a dark speck beside it),
// and a rounded "oo" purses: corners drawn in, a small oval opening, not a slot nor a V hanging from its middle.
import { describe, expect, it } from 'vitest';
import { PUBLIC_AVATARS } from '../avatars/catalog.js';
import { poseParams } from './contact-sheet.js';
import { createCpuRenderer } from './cpu-renderer.js';
import { posedMesh } from './testing/posed-mesh.js';

const photos = PUBLIC_AVATARS.filter((a) => a.kind === 'photo');

const area = (pts: Float32Array, a: number, b: number, c: number) =>
  (pts[b * 2]! - pts[a * 2]!) * (pts[c * 2 + 1]! - pts[a * 2 + 1]!) -
  (pts[c * 2]! - pts[a * 2]!) * (pts[b * 2 + 1]! - pts[a * 2 + 1]!);

describe('mouth shapes on the photo avatars', () => {
  it.each(photos.map((a) => a.slug))(
    '%s: no triangle around the lips folds over on ah, oo, f or m',
    async (slug) => {
      const rig = await photos.find((a) => a.slug === slug)!.loadRig('4:3');
      const lips = [...rig.regions.lipsUpperOuter!, ...rig.regions.lipsLowerOuter!];
      const cx = lips.reduce((s, i) => s + rig.mesh[i * 2]!, 0) / lips.length;
      const cy = lips.reduce((s, i) => s + rig.mesh[i * 2 + 1]!, 0) / lips.length;
      const half =
        (Math.max(...lips.map((i) => rig.mesh[i * 2]!)) - Math.min(...lips.map((i) => rig.mesh[i * 2]!))) / 2;
      const inner = new Set([...rig.regions.lipsUpperInner!, ...rig.regions.lipsLowerInner!]);
      const folds: string[] = [];
      for (const pose of ['ah', 'oo', 'f', 'm'] as const) {
        const { rest, dest, triangles } = posedMesh(rig, poseParams(pose));
        for (let t = 0; t < triangles.length / 3; t++) {
          const [a, b, c] = [triangles[t * 3]!, triangles[t * 3 + 1]!, triangles[t * 3 + 2]!];
          const near = [a, b, c].every(
            (p) => Math.hypot(rest[p * 2]! - cx, rest[p * 2 + 1]! - cy) < 1.6 * half,
          );
          // The strip bridging the opening has no real area at rest and opens in either orientation.
          if (!near || [a, b, c].every((p) => inner.has(p))) continue;
          // The tesselation winds every face triangle the same way (negative area in image coordinates); a few of
          // the lip corners' slivers come folded from the photo's landmarks already, and only new folds count.
          const before = area(rest, a, b, c);
          const after = area(dest, a, b, c);
          if (before < -1 && after > 1)
            folds.push(`${pose}: ${a},${b},${c} ${before.toFixed(1)} → ${after.toFixed(1)}`);
        }
      }
      expect(folds).toEqual([]);
    },
  );

  it.each(photos.map((a) => a.slug))(
    '%s: "oo" purses: the mouth narrower than at rest, a small rounded opening, not a V',
    async (slug) => {
      const rig = await photos.find((a) => a.slug === slug)!.loadRig('4:3');
      const oo = poseParams('oo');
      const { dest } = posedMesh(rig, oo);
      const renderer = createCpuRenderer(rig, { idleCache: false });
      try {
        const closed = renderer.render({ ...oo, jawOpen: 0, mouthRound: 0 }, 0, 'rgba').data.slice();
        const open = renderer.render(oo, 40, 'rgba').data;
        const luma = (px: Uint8Array, o: number) => 0.299 * px[o]! + 0.587 * px[o + 1]! + 0.114 * px[o + 2]!;
        const upper = rig.regions.lipsUpperOuter!;
        const lower = rig.regions.lipsLowerOuter!;
        const xsOf = (pts: ArrayLike<number>) => upper.map((i) => pts[i * 2]!);
        const restW = Math.max(...xsOf(rig.mesh)) - Math.min(...xsOf(rig.mesh));
        const left = Math.min(...xsOf(dest));
        const right = Math.max(...xsOf(dest));
        const top = Math.min(...upper.map((i) => dest[i * 2 + 1]!));
        const bottom = Math.max(...lower.map((i) => dest[i * 2 + 1]!));
        // The corners drawn in: the lips' outline narrower than at rest.
        expect((right - left) / restW).toBeLessThan(0.75);
        // Per column between the lips' outlines, the opening's dark pixels (the cavity, not teeth or the seam's
        // shade: darker than 40 and than half the closed mouth there).
        const cols: number[] = [];
        for (let x = Math.ceil(left); x <= right; x++) {
          let n = 0;
          for (let y = Math.floor(top); y < bottom; y++) {
            const o = (y * rig.width + x) * 4;
            if (luma(open, o) < 40 && luma(open, o) < 0.5 * luma(closed, o)) n++;
          }
          cols.push(n);
        }
        // The opening: the run of columns at least 2 px deep around the deepest (the seam's stray dark pixels
        // towards the corners, held shut, are not part of it).
        const peak = cols.indexOf(Math.max(...cols));
        let a = peak;
        let b = peak;
        while (a > 0 && cols[a - 1]! >= 2) a--;
        while (b < cols.length - 1 && cols[b + 1]! >= 2) b++;
        const span = cols.slice(a, b + 1);
        const height = Math.max(...span);
        expect(height).toBeGreaterThan(4);
        // Before: the opening 0.42–0.47 of the rest mouth's width and 4.4–5.5 times as wide as deep, a slot (read
        // as "ah" seen small); now 0.28–0.32 and 2.3–2.5.
        expect(span.length / restW).toBeLessThan(0.36);
        expect(span.length / height).toBeLessThan(3.2);
        // Rounded, not a V hanging from its middle nor a pinch: a quarter of the way in from each end the opening
        // is most of its depth (now 0.67–0.78; a V reaches half).
        const quarter = Math.round(span.length / 4);
        expect(Math.min(span[quarter]!, span[span.length - 1 - quarter]!) / height).toBeGreaterThan(0.55);
      } finally {
        renderer.close();
      }
    },
  );

  it.each(photos.map((a) => a.slug))(
    '%s: the lips meet on "m" (no line darker than the closed rest)',
    async (slug) => {
      const rig = await photos.find((a) => a.slug === slug)!.loadRig('4:3');
      const renderer = createCpuRenderer(rig, { idleCache: false });
      try {
        const m = poseParams('m');
        const closed = renderer.render({ ...m, jawOpen: 0, mouthRound: 0, lipPress: 0 }, 0, 'rgba').data;
        const press = renderer.render(m, 40, 'rgba').data;
        const luma = (px: Uint8Array, o: number) => 0.299 * px[o]! + 0.587 * px[o + 1]! + 0.114 * px[o + 2]!;
        const upper = rig.regions.lipsUpperOuter!;
        const lower = rig.regions.lipsLowerOuter!;
        const [l, r] = [rig.regions.lipsUpperInner![0]!, rig.regions.lipsUpperInner!.at(-1)!];
        const mid = (rig.mesh[l * 2]! + rig.mesh[r * 2]!) / 2;
        const half = (rig.mesh[r * 2]! - rig.mesh[l * 2]!) / 2;
        // The darkest pixel between the lips' outlines over the middle 60 % of the mouth.
        const darkest = (px: Uint8Array) => {
          let min = 255;
          for (let x = Math.round(mid - 0.6 * half); x <= Math.round(mid + 0.6 * half); x++) {
            const top = Math.round(Math.min(...upper.map((i) => rig.mesh[i * 2 + 1]!)));
            const bottom = Math.round(Math.max(...lower.map((i) => rig.mesh[i * 2 + 1]!)));
            for (let y = top; y <= bottom; y++) min = Math.min(min, luma(px, (y * rig.width + x) * 4));
          }
          return min;
        };
        expect(darkest(press)).toBeGreaterThan(darkest(closed) - 12);
      } finally {
        renderer.close();
      }
    },
  );
});
