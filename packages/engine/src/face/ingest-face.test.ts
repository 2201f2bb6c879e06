import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { FaceIngestError } from './ingest-errors.js';
import { analyzeFace, buildRig, type FaceAnalysis, ingestFace } from './ingest-face.js';
import { MESH_REGIONS } from './mesh-regions.js';
import type { Rig } from './rig.js';
import {
  cropJpeg,
  faceApiSample,
  SAMPLE1_MIDDLE_PERSON,
  SAMPLE6_LEFT_PERSON,
} from './testing/face-api-samples.js';

async function ingestError(bytes: Uint8Array): Promise<FaceIngestError> {
  try {
    await ingestFace(bytes);
  } catch (err) {
    if (err instanceof FaceIngestError) return err;
    throw err;
  }
  throw new Error('ingest succeeded but an error was expected');
}

function pt(rig: Rig, i: number): [number, number] {
  return [rig.mesh[2 * i]!, rig.mesh[2 * i + 1]!];
}

function centroid(rig: Rig, indices: number[]): [number, number] {
  const ps = indices.map((i) => pt(rig, i));
  return [ps.reduce((s, p) => s + p[0], 0) / ps.length, ps.reduce((s, p) => s + p[1], 0) / ps.length];
}

/** Even-odd point-in-polygon test. */
function inside(poly: Array<[number, number]>, [x, y]: [number, number]): boolean {
  let hit = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i]!;
    const [xj, yj] = poly[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

function eyePolygon(rig: Rig, side: 'left' | 'right'): Array<[number, number]> {
  const upper = rig.regions[`${side}EyeUpper0`]!.map((i) => pt(rig, i));
  const lower = rig.regions[`${side}EyeLower0`]!.map((i) => pt(rig, i));
  return [...upper, ...lower.reverse()];
}

describe('face ingest errors', () => {
  it('reports NO_FACE for a blank image', async () => {
    const blank = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#8a8f96' } })
      .png()
      .toBuffer();
    const err = await ingestError(new Uint8Array(blank));
    expect(err.code).toBe('NO_FACE');
    expect(err.field).toBe('image');
  });

  it('reports MULTIPLE_FACES for a group photo', async () => {
    const err = await ingestError(await faceApiSample(1));
    expect(err.code).toBe('MULTIPLE_FACES');
    expect(err.message).toMatch(/3 faces/);
  });

  it('reports FACE_TOO_SMALL for a tiny face', async () => {
    const tiny = await cropJpeg(await faceApiSample(1), SAMPLE1_MIDDLE_PERSON, 120);
    const err = await ingestError(tiny);
    expect(err.code).toBe('FACE_TOO_SMALL');
  });

  it('reports UNSUPPORTED_IMAGE for garbage, empty and truncated bytes', async () => {
    const garbage = new Uint8Array(4096).map((_, i) => (i * 7919) % 251);
    expect((await ingestError(garbage)).code).toBe('UNSUPPORTED_IMAGE');
    expect((await ingestError(new Uint8Array())).code).toBe('UNSUPPORTED_IMAGE');
    const jpeg = await faceApiSample(6);
    expect((await ingestError(jpeg.slice(0, 2000))).code).toBe('UNSUPPORTED_IMAGE');
    const svgText = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>';
    expect((await ingestError(new TextEncoder().encode(svgText))).code).toBe('UNSUPPORTED_IMAGE');
  });

  it('tolerates a much smaller face in the background', async () => {
    const main = await sharp(await cropJpeg(await faceApiSample(6), SAMPLE6_LEFT_PERSON)).toBuffer();
    const small = await sharp(await cropJpeg(await faceApiSample(1), SAMPLE1_MIDDLE_PERSON, 180)).toBuffer();
    const scene = await sharp({ create: { width: 1100, height: 700, channels: 3, background: '#30343a' } })
      .composite([
        { input: main, left: 0, top: 10 },
        { input: small, left: 860, top: 40 },
      ])
      .jpeg()
      .toBuffer();
    const { rig } = await ingestFace(new Uint8Array(scene));
    // The main (left) face is the one that was kept: it is centred in the crop.
    expect(Math.abs(centroid(rig, MESH_REGIONS.faceOval)[0] - rig.width / 2)).toBeLessThan(rig.width * 0.1);
  });
});

describe('face ingest of a single real face', () => {
  let analysis: FaceAnalysis;
  let rig: Rig;
  beforeAll(async () => {
    analysis = await analyzeFace(await cropJpeg(await faceApiSample(6), SAMPLE6_LEFT_PERSON));
    rig = await buildRig(analysis, '4:3', 'sd');
  });

  it('produces a 478-point mesh inside the crop', () => {
    expect(rig.mesh.length).toBe(478 * 2);
    for (let i = 0; i < 478; i++) {
      const [x, y] = pt(rig, i);
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(rig.width);
      expect(y).toBeGreaterThan(0);
      expect(y).toBeLessThan(rig.height);
    }
  });

  it('places features where a face has them', () => {
    const leftEye = centroid(rig, rig.regions.leftEyeLower0!);
    const rightEye = centroid(rig, rig.regions.rightEyeLower0!);
    const mouth = centroid(rig, rig.regions.lipsUpperOuter!);
    const nose = pt(rig, 1);
    // Subject's left eye appears on the image's right.
    expect(leftEye[0]).toBeGreaterThan(rightEye[0]);
    expect(mouth[1]).toBeGreaterThan(nose[1]);
    expect(nose[1]).toBeGreaterThan(leftEye[1]);
    expect(centroid(rig, rig.regions.leftEyebrowUpper!)[1]).toBeLessThan(leftEye[1]);
    // Upper lip above lower lip, inner contours inside the outer ones at the centre line.
    expect(pt(rig, 0)[1]).toBeLessThan(pt(rig, 13)[1]);
    expect(pt(rig, 13)[1]).toBeLessThanOrEqual(pt(rig, 14)[1]);
    expect(pt(rig, 14)[1]).toBeLessThan(pt(rig, 17)[1]);
    // Each iris centre lies inside its own eye contour.
    expect(inside(eyePolygon(rig, 'left'), pt(rig, rig.regions.leftEyeIris![0]!))).toBe(true);
    expect(inside(eyePolygon(rig, 'right'), pt(rig, rig.regions.rightEyeIris![0]!))).toBe(true);
    expect(inside(eyePolygon(rig, 'left'), pt(rig, rig.regions.rightEyeIris![0]!))).toBe(false);
  });

  it('aligns the face like a webcam portrait: eyes level, at 40% height, centred', () => {
    const leftEye = centroid(rig, [...MESH_REGIONS.leftEyeUpper0, ...MESH_REGIONS.leftEyeLower0]);
    const rightEye = centroid(rig, [...MESH_REGIONS.rightEyeUpper0, ...MESH_REGIONS.rightEyeLower0]);
    expect(Math.abs(leftEye[1] - rightEye[1])).toBeLessThan(1);
    expect((leftEye[1] + rightEye[1]) / 2).toBeCloseTo(0.4 * rig.height, 0);
    expect((leftEye[0] + rightEye[0]) / 2).toBeCloseTo(rig.width / 2, 0);
    expect(rig.faceBox.height / rig.height).toBeGreaterThan(0.3);
    expect(rig.faceBox.height / rig.height).toBeLessThan(0.6);
  });

  it('corrects roll: a tilted photo still gives level eyes', async () => {
    const tilted = await sharp(await cropJpeg(await faceApiSample(6), SAMPLE6_LEFT_PERSON))
      .rotate(18, { background: '#404040' })
      .jpeg()
      .toBuffer();
    const tiltedRig = (await ingestFace(new Uint8Array(tilted))).rig;
    const leftEye = centroid(tiltedRig, [...MESH_REGIONS.leftEyeUpper0, ...MESH_REGIONS.leftEyeLower0]);
    const rightEye = centroid(tiltedRig, [...MESH_REGIONS.rightEyeUpper0, ...MESH_REGIONS.rightEyeLower0]);
    expect(Math.abs(leftEye[1] - rightEye[1])).toBeLessThan(1);
    // The upright and the tilted photo give the same geometry up to the zoom (≤ 1.25×) the crop may add to stay
    // inside each photo (the photo is not turned, so the two need different zooms).
    const ratio = tiltedRig.faceBox.height / rig.faceBox.height;
    expect(ratio).toBeGreaterThan(0.78);
    expect(ratio).toBeLessThan(1.28);
  });

  it('applies EXIF orientation', async () => {
    // Store the pixels rotated a quarter turn and tag them so viewers turn them back upright.
    const sideways = await sharp(await cropJpeg(await faceApiSample(6), SAMPLE6_LEFT_PERSON))
      .rotate(-90)
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const a = await analyzeFace(new Uint8Array(sideways));
    expect(a.image.width).toBe(analysis.image.width);
    expect(a.image.height).toBe(analysis.image.height);
    const chin = a.mesh[152]!;
    const top = a.mesh[10]!;
    expect(chin[1]).toBeGreaterThan(top[1]);
  });

  it('samples plausible colours from the photo', () => {
    const { skin, lip, cavity, teeth, eyelid } = rig.colors;
    const luma = (c: number[]) => 0.299 * c[0]! + 0.587 * c[1]! + 0.114 * c[2]!;
    expect(skin[0]).toBeGreaterThan(skin[2]); // skin is warm
    expect(lip[0]).toBeGreaterThan(lip[1]); // lips are red-ish
    expect(luma(cavity)).toBeLessThan(luma(lip) * 0.5);
    expect(luma(teeth)).toBeGreaterThan(luma(skin));
    expect(eyelid.every((v) => v >= 0 && v <= 255)).toBe(true);
  });

  it('outputs the preset size for each aspect ratio', async () => {
    const expected = {
      sd: { '4:3': [640, 480], '3:4': [480, 640], '1:1': [512, 512] },
      hd: { '4:3': [1200, 900], '3:4': [900, 1200], '1:1': [1200, 1200] },
    } as const;
    for (const preset of ['sd', 'hd'] as const) {
      for (const ar of ['4:3', '3:4', '1:1'] as const) {
        const r = await buildRig(analysis, ar, preset);
        const meta = await sharp(r.image).metadata();
        expect([r.width, r.height, meta.width, meta.height, r.aspectRatio]).toEqual([
          ...expected[preset][ar],
          ...expected[preset][ar],
          ar,
        ]);
      }
    }
  }, 60_000);

  it('is safe to call concurrently', async () => {
    const bytes = await cropJpeg(await faceApiSample(6), SAMPLE6_LEFT_PERSON);
    const blank = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const results = await Promise.allSettled([
      ingestFace(bytes),
      ingestFace(new Uint8Array(blank)),
      ingestFace(bytes, { aspectRatio: '1:1' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const [a, , c] = results;
    if (a?.status !== 'fulfilled' || c?.status !== 'fulfilled') throw new Error('unreachable');
    expect(Array.from(a.value.rig.mesh)).toEqual(Array.from(rig.mesh));
    expect(c.value.rig.width).toBe(512);
    expect((await sharp(a.value.preview).metadata()).format).toBe('jpeg');
  });
});
