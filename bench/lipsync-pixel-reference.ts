// How the face-landmark model reads the inner-lip gap, and what it reads on real closed mouths: the yardstick for
// bench/lipsync-pixels.ts. The gap is the mean distance between the inner upper and inner lower lip contours
// (MediaPipe's 11-point rings, corners shared), taken across the mouth perpendicular to the line between its
// corners and counted as zero where the contours touch or cross; one pair of points (13/14) or three middle pairs
// also count any sideways offset between the paired points, so they never reach zero on a closed mouth. Both are
// over the distance between the iris centres (468/473). The real closed mouths are people in the face-api demo
// photos (a devDependency, read in place, never committed) and the bundled photo avatars (synthetic faces), each
// framed as the engine frames an avatar (ingest at 4:3, 640×480) so the face has the size our rendered ones have.
import { ingestFace, PUBLIC_AVATARS, type Rig } from '@agenthuman/engine';
import { type DetectOptions, detectFaces } from '@agenthuman/engine/face';
import { cropJpeg, faceApiSample, SAMPLE6_LEFT_PERSON } from '@agenthuman/engine/testing/face';
import sharp from 'sharp';

export type Mesh = Array<[number, number, number]>;

/** MediaPipe's inner lip rings, corner to corner (78 left, 308 right). */
const UPPER_INNER = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308];
const LOWER_INNER = [78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308];
/** Columns the contours are sampled at, between the corners. */
const COLUMNS = 40;

const dist = (m: Mesh, a: number, b: number) => Math.hypot(m[a]![0] - m[b]![0], m[a]![1] - m[b]![1]);
const irisDistance = (m: Mesh) => dist(m, 468, 473);

/** Mean gap between the inner lip contours over the iris distance (0 where they touch or cross). */
export function innerLipGap(m: Mesh): number {
  const [x0, y0] = m[78]!;
  const ux = m[308]![0] - x0;
  const uy = m[308]![1] - y0;
  const width = Math.hypot(ux, uy);
  const [ex, ey] = [ux / width, uy / width];
  // Each contour in the mouth's own frame: along the corner line, and across it (down positive).
  const frame = (ring: number[]) =>
    ring.map((i) => {
      const dx = m[i]![0] - x0;
      const dy = m[i]![1] - y0;
      return [dx * ex + dy * ey, -dx * ey + dy * ex] as const;
    });
  const across = (ring: ReturnType<typeof frame>, x: number) => {
    for (let i = 1; i < ring.length; i++) {
      const [a, ya] = ring[i - 1]!;
      const [b, yb] = ring[i]!;
      if ((x - a) * (x - b) <= 0 && a !== b) return ya + ((yb - ya) * (x - a)) / (b - a);
    }
    return Number.NaN;
  };
  const upper = frame(UPPER_INNER);
  const lower = frame(LOWER_INNER);
  let sum = 0;
  let n = 0;
  for (let k = 1; k < COLUMNS; k++) {
    const x = (width * k) / COLUMNS;
    const gap = across(lower, x) - across(upper, x);
    if (Number.isNaN(gap)) continue;
    sum += Math.max(0, gap);
    n++;
  }
  return n ? sum / n / irisDistance(m) : Number.NaN;
}

/** The earlier reading: the mean length of three middle pairs (82/87, 13/14, 312/317) over the iris distance. */
export function pairLipGap(m: Mesh): number {
  return (dist(m, 82, 87) + dist(m, 13, 14) + dist(m, 312, 317)) / 3 / irisDistance(m);
}

export async function meshOf(
  rgb: Uint8Array,
  width: number,
  height: number,
  config: DetectOptions = {},
): Promise<Mesh | undefined> {
  const face = (await detectFaces(rgb, width, height, config)).sort((a, b) => b.score - a.score)[0];
  return face && face.mesh.length >= 478 ? (face.mesh as Mesh) : undefined;
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
  config: DetectOptions = {},
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
