// Pressed lips (m, b, p: FaceParams.lipPress) are a pose of their own, not the relaxed rest closure: on a photo avatar
// and an illustrated one, each lip's outline comes towards the seam (the lower lip loses about half its height, the
// upper less), the inner edges stay on the seam and the corners come in.
import { describe, expect, it } from 'vitest';
import { findPublicAvatar } from '../avatars/catalog.js';
import type { Rig } from '../face/rig.js';
import { interpolateY } from './contour-y.js';
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
});
