// Test helper: the teeth-showing photo (face-api sample 3, the person on the right) as an avatar rig, and the
// inner-lip gap of a frame rendered from it as the face-landmark model we ship reads it (Human's mesh without
// rotation, over the iris distance, as bench/lipsync-pixels.ts measures).
import { detectFaces } from '../human-model.js';
import { ingestFace } from '../ingest-face.js';
import type { Rig } from '../rig.js';
import { cropJpeg, faceApiSample, SAMPLE3_RIGHT_PERSON } from './face-api-samples.js';
import { innerLipGap, type Mesh } from './inner-lip-gap.js';

export async function teethPhotoRig(): Promise<Rig> {
  return (
    await ingestFace(await cropJpeg(await faceApiSample(3), SAMPLE3_RIGHT_PERSON), { aspectRatio: '4:3' })
  ).rig;
}

/** The inner-lip gap of an RGBA frame of `rig`'s size; throws when the model finds no full face mesh. */
export async function renderedLipGap(rig: Rig, rgba: Uint8Array | Uint8ClampedArray): Promise<number> {
  const rgb = new Uint8Array(rig.width * rig.height * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) rgb.set(rgba.subarray(i, i + 3), j);
  const faces = await detectFaces(rgb, rig.width, rig.height, { rotation: false });
  const face = faces.sort((a, b) => b.score - a.score)[0];
  if (face?.mesh.length !== 478)
    throw new Error(`no full face mesh in the rendered frame (${face?.mesh.length})`);
  return innerLipGap(face.mesh as Mesh);
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
