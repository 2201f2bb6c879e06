// What the face-landmark model reads as the inner-lip gap (`innerLipGap`, @agenthuman/engine/testing/face) on real
// closed mouths: the yardstick for bench/lipsync-pixels.ts. The real closed mouths are people in the face-api demo
// photos (a devDependency, read in place, never committed) and the bundled photo avatars (synthetic faces), each
// framed as the engine frames an avatar (ingest at 4:3, 640×480) so the face has the size our rendered ones have.
import { ingestFace, PUBLIC_AVATARS, type Rig } from '@agenthuman/engine';
import { type DetectOptions, detectFaces } from '@agenthuman/engine/face';
import {
  averageMirrored,
  cropJpeg,
  faceApiSample,
  innerLipGap,
  type Mesh,
  pairLipGap,
  SAMPLE6_LEFT_PERSON,
} from '@agenthuman/engine/testing/face';
import sharp from 'sharp';

/**
 * How the landmark model is run on a frame: the detector's crop (`DetectOptions`) and, with `mirror`, a second
 * pass on the mirror image whose lip contours and irises are averaged with the first's (`averageMirrored`).
 */
export interface LandmarkConfig extends DetectOptions {
  mirror?: boolean;
}

async function bestMesh(rgb: Uint8Array, width: number, height: number, config: DetectOptions) {
  const face = (await detectFaces(rgb, width, height, config)).sort((a, b) => b.score - a.score)[0];
  return face && face.mesh.length >= 478 ? (face.mesh as Mesh) : undefined;
}

function mirrorRgb(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(rgb.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 3;
      out.set(rgb.subarray(from, from + 3), (y * width + width - 1 - x) * 3);
    }
  }
  return out;
}

export async function meshOf(
  rgb: Uint8Array,
  width: number,
  height: number,
  config: LandmarkConfig = {},
): Promise<Mesh | undefined> {
  const { mirror, ...detect } = config;
  const mesh = await bestMesh(rgb, width, height, detect);
  if (!mesh || !mirror) return mesh;
  const mirrored = await bestMesh(mirrorRgb(rgb, width, height), width, height, detect);
  return mirrored ? averageMirrored(mesh, mirrored, width) : mesh;
}

interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * People with their lips closed in the face-api demo photos (checked by eye on 4× crops; those with teeth or a
 * parted mouth left out), each a head-and-shoulders region around one face. `smile`: lips closed in a smile.
 */
export const REAL_CLOSED_MOUTHS: ReadonlyArray<{
  name: string;
  sample: 1 | 2 | 3 | 4 | 5 | 6;
  region: Region;
  smile?: true;
}> = [
  { name: 'sample1-a', sample: 1, region: { left: 263, top: 210, width: 492, height: 669 }, smile: true },
  { name: 'sample1-b', sample: 1, region: { left: 710, top: 285, width: 457, height: 620 }, smile: true },
  { name: 'sample2-c', sample: 2, region: { left: 1310, top: 1, width: 485, height: 661 } },
  { name: 'sample3-a', sample: 3, region: { left: 443, top: 187, width: 505, height: 686 } },
  { name: 'sample4-a', sample: 4, region: { left: 116, top: 94, width: 422, height: 574 } },
  { name: 'sample4-b', sample: 4, region: { left: 557, top: 0, width: 390, height: 500 } },
  { name: 'sample5-c', sample: 5, region: { left: 670, top: 10, width: 380, height: 519 } },
  { name: 'sample6-a', sample: 6, region: SAMPLE6_LEFT_PERSON },
  { name: 'sample6-c', sample: 6, region: { left: 1007, top: 169, width: 516, height: 701 }, smile: true },
  { name: 'sample6-d', sample: 6, region: { left: 1327, top: 123, width: 527, height: 716 } },
];

export interface ClosedMouthReading {
  name: string;
  smile: boolean;
  /** Contour gap (`innerLipGap`) and three-pair gap (`pairLipGap`), NaN where no face was found. */
  gap: number;
  pair_gap: number;
}

async function imageRgb(rig: Rig): Promise<Uint8Array> {
  return new Uint8Array(await sharp(Buffer.from(rig.image)).removeAlpha().raw().toBuffer());
}

/** Real closed mouths framed like an avatar: ingested from the demo photos, and the bundled photo avatars. */
export async function closedMouthRigs(): Promise<Array<{ name: string; smile: boolean; rig: Rig }>> {
  const out: Array<{ name: string; smile: boolean; rig: Rig }> = [];
  for (const face of REAL_CLOSED_MOUTHS) {
    const bytes = await cropJpeg(await faceApiSample(face.sample), face.region);
    out.push({
      name: face.name,
      smile: face.smile ?? false,
      rig: (await ingestFace(bytes, { aspectRatio: '4:3' })).rig,
    });
  }
  for (const avatar of PUBLIC_AVATARS.filter((a) => a.kind === 'photo')) {
    out.push({ name: `avatar-${avatar.slug}`, smile: false, rig: await avatar.loadRig('4:3') });
  }
  return out;
}

export async function readClosedMouths(
  rigs: Array<{ name: string; smile: boolean; rig: Rig }>,
  config: LandmarkConfig = {},
): Promise<ClosedMouthReading[]> {
  const out: ClosedMouthReading[] = [];
  for (const { name, smile, rig } of rigs) {
    const mesh = await meshOf(await imageRgb(rig), rig.width, rig.height, config);
    out.push({
      name,
      smile,
      gap: mesh ? innerLipGap(mesh) : Number.NaN,
      pair_gap: mesh ? pairLipGap(mesh) : Number.NaN,
    });
  }
  return out;
}
