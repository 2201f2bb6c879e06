// Lip edges and teeth found on real photos (face-api demo photos, read from node_modules in tests only): a photo
// whose lips meet has no teeth to reuse and its inner lips stay where the landmarks put them; a smile's teeth are
// measured.
import { describe, expect, it } from 'vitest';
import { findPublicAvatar } from '../avatars/catalog.js';
import { ingestFace } from '../face/ingest-face.js';
import {
  cropJpeg,
  faceApiSample,
  SAMPLE3_RIGHT_PERSON,
  SAMPLE6_LEFT_PERSON,
} from '../face/testing/face-api-samples.js';
import { decodeImage } from './decode-image.js';
import { buildWarpMesh } from './warp-mesh.js';

async function meshOf(sample: 3 | 6, region: typeof SAMPLE3_RIGHT_PERSON) {
  const rig = (await ingestFace(await cropJpeg(await faceApiSample(sample), region), { aspectRatio: '4:3' }))
    .rig;
  const img = decodeImage(rig.image);
  const photo = new Int32Array(img.rgba.buffer, img.rgba.byteOffset, img.rgba.byteLength / 4);
  return { rig, mesh: buildWarpMesh(rig, photo) };
}

async function publicMesh(slug: string) {
  const rig = await findPublicAvatar(slug)!.loadRig('4:3');
  const img = decodeImage(rig.image);
  const photo = new Int32Array(img.rgba.buffer, img.rgba.byteOffset, img.rgba.byteLength / 4);
  return { rig, mesh: buildWarpMesh(rig, photo) };
}

describe('lip edges on real photos', () => {
  it('closed lips: no teeth (the lower lip’s lit edge is not teeth) and the inner lips stay put', async () => {
    for (const { rig, mesh } of [await meshOf(6, SAMPLE6_LEFT_PERSON), await publicMesh('eileen')]) {
      expect(mesh.upperTeethPx).toBe(0);
      const photoRest = mesh.photoRest ?? mesh.rest;
      let moved = 0;
      for (const p of [...mesh.upperInner, ...mesh.lowerInner]) {
        moved = Math.max(moved, Math.abs(photoRest[p * 2 + 1]! - rig.mesh[p * 2 + 1]!));
      }
      // (Searching the few pixels between meeting lips for an edge moved a lower-lip point 5.6 px into the lip.)
      expect(moved).toBeLessThanOrEqual(1.5);
    }
  });

  it('a smile showing its upper teeth: their height is measured', async () => {
    const { mesh } = await meshOf(3, SAMPLE3_RIGHT_PERSON);
    expect(mesh.upperTeethPx).toBeGreaterThan(6);
  });
});
