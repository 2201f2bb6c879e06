// Pressed lips (m, b, p: FaceParams.lipPress) are a pose of their own, not the relaxed rest closure: on a photo avatar
// and an illustrated one, each lip's outline comes towards the seam (the lower lip loses about half its height, the
// upper less), the inner edges stay on the seam, the corners come in, and the seam is darker than at rest (mean of
// the middle columns' darkest pixel: eileen 59.6 → 55.0, ada 77.0 → 64.3).
import { describe, expect, it } from 'vitest';
import { restFace } from '../animation/params.js';
import { findPublicAvatar } from '../avatars/catalog.js';
import type { Rig } from '../face/rig.js';
import { interpolateY } from './contour-y.js';
import { createCpuRenderer } from './cpu-renderer.js';
import { decodeImage } from './decode-image.js';
import { buildWarpMesh } from './warp-mesh.js';

async function meshOf(slug: string) {
  const rig = await findPublicAvatar(slug)!.loadRig('4:3');
  const img = decodeImage(rig.image);
  const photo = new Int32Array(img.rgba.buffer, img.rgba.byteOffset, img.rgba.byteLength / 4);
  return { rig, mesh: buildWarpMesh(rig, photo) };
}

const region = (rig: Rig, name: string) => rig.regions[name]!;

describe.each(['eileen', 'ada'])('%s: lips pressed for m, b, p', (slug) => {
  it('thins both lips towards the seam and draws the corners in; the inner edges stay put', async () => {
    const { rig, mesh } = await meshOf(slug);
    const seal = mesh.bases.lipSeal;
    const { rest } = mesh;
    const upperInner = region(rig, 'lipsUpperInner');
    const lowerInner = region(rig, 'lipsLowerInner');
    const left = upperInner[0]!;
    const right = upperInner.at(-1)!;
    const mx = (rest[left * 2]! + rest[right * 2]!) / 2;
    const y = (list: readonly number[], move: number) => {
      const moved = rest.slice();
      for (let i = 0; i < moved.length; i++) moved[i]! += move * seal[i]!;
      return interpolateY(moved, list, mx);
    };
    const height = (outer: string, inner: readonly number[], move: number) =>
      Math.abs(y(region(rig, outer), move) - y(inner, move));
    const lower = height('lipsLowerOuter', lowerInner, 1) / height('lipsLowerOuter', lowerInner, 0);
    const upper = height('lipsUpperOuter', upperInner, 1) / height('lipsUpperOuter', upperInner, 0);
    expect(lower).toBeLessThan(0.55);
    expect(lower).toBeGreaterThan(0.35);
    expect(upper).toBeLessThan(0.9);
    expect(upper).toBeGreaterThan(0.7);
    for (const p of [...upperInner.slice(1, -1), ...lowerInner.slice(1, -1)])
      expect(Math.abs(seal[p * 2 + 1]!)).toBeLessThan(0.3);
    expect(seal[left * 2]!).toBeGreaterThan(0.5);
    expect(seal[right * 2]!).toBeLessThan(-0.5);
  });

  it('darkens a tight seam where the pressed lips meet', async () => {
    const { rig } = await meshOf(slug);
    const renderer = createCpuRenderer(rig, { idleCache: false });
    const rest = renderer.render(restFace, 0, 'rgba').data.slice();
    const pressed = renderer.render({ ...restFace, lipPress: 1 }, 40, 'rgba').data;
    renderer.close();
    const upper = region(rig, 'lipsUpperInner');
    const lower = region(rig, 'lipsLowerInner');
    const [l, r] = [rig.mesh[upper[0]! * 2]!, rig.mesh[upper.at(-1)! * 2]!];
    const half = (r - l) / 2;
    // The seam's darkest pixel per column, averaged over the middle 60 % of the mouth.
    const seamLuma = (px: Uint8Array | Uint8ClampedArray) => {
      let sum = 0;
      let n = 0;
      for (let x = Math.round(l + 0.4 * half); x <= Math.round(r - 0.4 * half); x++, n++) {
        const seam = (interpolateY(rig.mesh, upper, x) + interpolateY(rig.mesh, lower, x)) / 2;
        let min = 255;
        for (let row = Math.round(seam - 4); row <= Math.round(seam + 4); row++) {
          const o = (row * rig.width + x) * 4;
          min = Math.min(min, 0.299 * px[o]! + 0.587 * px[o + 1]! + 0.114 * px[o + 2]!);
        }
        sum += min;
      }
      return sum / n;
    };
    expect(seamLuma(pressed)).toBeLessThan(seamLuma(rest) - 3);
    // A shadow, not a black pen line.
    expect(seamLuma(pressed)).toBeGreaterThan(0.4 * seamLuma(rest));
  });
});
