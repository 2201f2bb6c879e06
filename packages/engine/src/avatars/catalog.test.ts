import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { MESH_REGIONS } from '../face/mesh-regions.js';
import type { Rig } from '../face/rig.js';
import { decodeRig, encodeRig } from '../face/rig-codec.js';
import { findPublicAvatar, PUBLIC_AVATARS } from './catalog.js';

function centroid(rig: Rig, idx: readonly number[]): [number, number] {
  let x = 0;
  let y = 0;
  for (const i of idx) {
    x += rig.mesh[2 * i]!;
    y += rig.mesh[2 * i + 1]!;
  }
  return [x / idx.length, y / idx.length];
}

async function pixel(rig: Rig, [x, y]: [number, number]): Promise<[number, number, number]> {
  const { data, info } = await sharp(rig.image).raw().toBuffer({ resolveWithObject: true });
  const o = (Math.round(y) * info.width + Math.round(x)) * info.channels;
  return [data[o]!, data[o + 1]!, data[o + 2]!];
}

const luma = (c: number[]) => 0.299 * c[0]! + 0.587 * c[1]! + 0.114 * c[2]!;

describe('public avatar catalog', () => {
  it('lists photographs of four different people and four illustrated characters, with unique slugs', () => {
    const slugs = PUBLIC_AVATARS.map((a) => a.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    expect(slugs).toEqual(expect.arrayContaining(['eileen', 'ada', 'milo', 'nora', 'kai']));
    const photos = PUBLIC_AVATARS.filter((a) => a.kind === 'photo').map((a) => a.slug);
    expect(photos).toEqual(['eileen', 'victor', 'jonah', 'amara']);
    expect(findPublicAvatar('nobody')).toBeUndefined();
  });

  for (const avatar of PUBLIC_AVATARS) {
    it(`loads the rig of ${avatar.slug} at every aspect ratio`, async () => {
      const sizes = { '4:3': [640, 480], '3:4': [480, 640], '1:1': [512, 512] } as const;
      for (const ar of ['4:3', '3:4', '1:1'] as const) {
        const rig = await avatar.loadRig(ar);
        const meta = await sharp(rig.image).metadata();
        expect([rig.width, rig.height, meta.width, meta.height]).toEqual([...sizes[ar], ...sizes[ar]]);
        expect(rig.mesh.length).toBe(478 * 2);
        expect(rig.mesh.every((v) => Number.isFinite(v))).toBe(true);
        const eyes = centroid(rig, [...MESH_REGIONS.leftEyeUpper0, ...MESH_REGIONS.rightEyeUpper0]);
        const mouth = centroid(rig, MESH_REGIONS.lipsUpperOuter);
        expect(eyes[1]).toBeLessThan(mouth[1]);
        expect(eyes[1] / rig.height).toBeGreaterThan(0.3);
        expect(eyes[1] / rig.height).toBeLessThan(0.5);
        const back = decodeRig(encodeRig(rig));
        expect(Buffer.compare(back.image, rig.image)).toBe(0);
        expect(back.mesh).toEqual(rig.mesh);
        expect(back.colors).toEqual(rig.colors);
      }
      // Loading again is served from the cache.
      expect(await avatar.loadRig('4:3')).toBe(await avatar.loadRig('4:3'));
    }, 60_000);
  }

  it('draws illustrated features on their landmarks', async () => {
    for (const slug of ['ada', 'milo', 'nora', 'kai']) {
      const rig = await findPublicAvatar(slug)!.loadRig('4:3');
      // The pupil at the iris centre is dark, the sclera beside the iris light, the lips lip-coloured.
      const iris = [rig.mesh[2 * 468]!, rig.mesh[2 * 468 + 1]!] as [number, number];
      const pupil = await pixel(rig, iris);
      expect(luma(pupil)).toBeLessThan(60);
      const corner = centroid(rig, [263, 263, 263, 362]);
      const sclera = await pixel(rig, [corner[0] * 0.5 + iris[0] * 0.5 + 3, corner[1] * 0.5 + iris[1] * 0.5]);
      expect(luma(sclera)).toBeGreaterThan(luma(rig.colors.skin));
      const lip = await pixel(rig, centroid(rig, [17, 14]));
      expect(lip[0]).toBeGreaterThan(lip[2]);
      expect(Math.abs(lip[0] - rig.colors.skin[0]) + Math.abs(lip[1] - rig.colors.skin[1])).toBeGreaterThan(
        20,
      );
    }
  }, 60_000);

  it('gives the illustrated avatars different looks', async () => {
    const skins = await Promise.all(
      ['ada', 'milo', 'nora', 'kai'].map(
        async (s) => (await findPublicAvatar(s)!.loadRig('4:3')).colors.skin,
      ),
    );
    const lumas = skins.map(luma).sort((a, b) => a - b);
    expect(lumas.at(-1)! - lumas[0]!).toBeGreaterThan(60);
  });
});
