// Pressed lips (m, b, p: FaceParams.lipPress) are a pose of their own, not the relaxed rest closure: on a photo avatar
// and an illustrated one, each lip's outline comes towards the seam (the lower lip loses about half its height, the
// upper less), the inner edges stay on the seam and the corners come in; a smile's upturned seam flattens.
import { describe, expect, it } from 'vitest';
import { findPublicAvatar } from '../avatars/catalog.js';
import type { Rig } from '../face/rig.js';
import { teethPhotoRig } from '../face/testing/teeth-photo.js';
import { interpolateY } from './contour-y.js';
import { decodeImage } from './decode-image.js';
import { addLipSeal, type LipSealInput, pressedShare } from './lip-seal.js';
import { buildWarpMesh } from './warp-mesh.js';

async function meshOf(slug: string) {
  const rig = slug === 'teeth-photo' ? await teethPhotoRig() : await findPublicAvatar(slug)!.loadRig('4:3');
  const img = decodeImage(rig.image);
  const photo = new Int32Array(img.rgba.buffer, img.rgba.byteOffset, img.rgba.byteLength / 4);
  return { rig, mesh: buildWarpMesh(rig, photo) };
}

const region = (rig: Rig, name: string) => rig.regions[name]!;

describe.each(['eileen', 'ada', 'teeth-photo'])('%s: lips pressed for m, b, p', (slug) => {
  it('thins both lips towards the seam and draws the corners in; the inner edges stay on the seam', async () => {
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
    // The inner edges stay on the seam: in its middle they stay put, and along it both lips move alike.
    const middle = upperInner[upperInner.length >> 1]!;
    expect(Math.abs(seal[middle * 2 + 1]!)).toBeLessThan(0.3);
    for (let i = 1; i + 1 < upperInner.length; i++)
      expect(Math.abs(seal[upperInner[i]! * 2 + 1]! - seal[lowerInner[i]! * 2 + 1]!)).toBeLessThan(0.3);
    expect(seal[left * 2]!).toBeGreaterThan(0.5);
    expect(seal[right * 2]!).toBeLessThan(-0.5);
  });
});

/** How far the seam's lowest point lies below the line between its corners (a smile's upturn), in pixels. */
function upturn(points: Float32Array, upperInner: readonly number[], lowerInner: readonly number[]): number {
  const [l, r] = [upperInner[0]!, upperInner.at(-1)!];
  const chord = (x: number) =>
    points[l * 2 + 1]! +
    ((points[r * 2 + 1]! - points[l * 2 + 1]!) * (x - points[l * 2]!)) / (points[r * 2]! - points[l * 2]!);
  let deepest = 0;
  for (const p of upperInner.slice(1, -1)) {
    const x = points[p * 2]!;
    const seam = (interpolateY(points, upperInner, x) + interpolateY(points, lowerInner, x)) / 2;
    deepest = Math.max(deepest, seam - chord(x));
  }
  return deepest;
}

describe('pressed lips meet along a flatter line than a smile', () => {
  it("brings the teeth-showing photo's upturned corners down by about 0.3 of the upturn, the seam's middle staying", async () => {
    const { rig, mesh } = await meshOf('teeth-photo');
    const upperInner = region(rig, 'lipsUpperInner');
    const lowerInner = region(rig, 'lipsLowerInner');
    const pressed = mesh.rest.slice();
    for (let i = 0; i < pressed.length; i++) pressed[i]! += mesh.bases.lipSeal[i]!;
    const before = upturn(mesh.rest, upperInner, lowerInner);
    // Measured: a V 14.9 px deep across a 91 px mouth, 10.5 px pressed.
    expect(before).toBeGreaterThan(2);
    const after = upturn(pressed, upperInner, lowerInner);
    expect(after / before).toBeGreaterThan(0.6);
    expect(after / before).toBeLessThan(0.8);
  });

  it('draws no frown: a downturned seam keeps its corners, an upturned one loses 0.3 of its upturn', () => {
    // Five points a contour, 100 px wide: inner lips on the seam, outlines 8 px away; the seam's middle 5 px below
    // (smile) or above (downturned) the corners.
    const seal = (middleDy: number) => {
      const xs = [0, 25, 50, 75, 100];
      const seamY = (x: number) => 50 + middleDy * (1 - ((x - 50) / 50) ** 2);
      const rest = new Float32Array(20 * 2);
      const put = (base: number, dy: number) =>
        xs.forEach((x, i) => {
          rest[(base + i) * 2] = x;
          rest[(base + i) * 2 + 1] = seamY(x) + (i === 0 || i === 4 ? 0 : dy);
        });
      put(0, 0);
      put(5, 0);
      put(10, -8);
      put(15, 8);
      const basis = new Float32Array(rest.length);
      const input: LipSealInput = {
        rest,
        upperLip: new Set([1, 2, 3, 11, 12, 13]),
        lowerLip: new Set([6, 7, 8, 16, 17, 18]),
        corners: new Set([0, 4, 5, 9, 10, 14, 15, 19]),
        upperInner: [0, 1, 2, 3, 4],
        lowerInner: [5, 6, 7, 8, 9],
        upperOuter: [10, 11, 12, 13, 14],
        lowerOuter: [15, 16, 17, 18, 19],
        mx: 50,
        halfMouth: 50,
      };
      for (let p = 0; p < 20; p++) addLipSeal(input, p, rest[p * 2]!, rest[p * 2 + 1]!, basis);
      return basis;
    };
    const frown = seal(-5);
    expect(frown[1]).toBeCloseTo(0, 9);
    expect(frown[9]).toBeCloseTo(0, 9);
    const smile = seal(5);
    expect(smile[1]).toBeCloseTo(1.5, 6);
    expect(smile[9]).toBeCloseTo(1.5, 6);
    // The middle of the seam stays.
    expect(smile[2 * 2 + 1]).toBeCloseTo(0, 6);
  });
});

describe('how much of the pressed pose a lipPress shows', () => {
  it('most of it from a moderate press (the lips touch), the rest compressing on to a full press', () => {
    expect(pressedShare(0)).toBe(0);
    expect(pressedShare(1)).toBe(1);
    expect(pressedShare(-0.2)).toBe(0);
    expect(pressedShare(1.5)).toBe(1);
    // Linear before: 0.35 showed 0.35 of the pose and read apart at most speech tilts.
    expect(pressedShare(0.35)).toBeGreaterThan(0.65);
    // Still compressing after contact: not all of the pose by 0.4.
    expect(pressedShare(0.4)).toBeLessThan(0.85);
    for (let p = 0; p < 1; p += 0.05) expect(pressedShare(p + 0.05)).toBeGreaterThan(pressedShare(p));
  });

  it("lets go over frames: the animator's release (×0.35 a frame) shows no step over half the pose", () => {
    const shown: number[] = [];
    for (let press = 1; press > 0.05; press *= 0.35) shown.push(pressedShare(press));
    shown.push(0);
    // Measured 1 → 0.73 → 0.32 → 0.12 → 0 (linear: 1 → 0.35, a step of 0.65).
    for (let i = 1; i < shown.length; i++) expect(shown[i - 1]! - shown[i]!).toBeLessThan(0.5);
  });
});
