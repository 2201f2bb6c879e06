// What the face-landmark model reads as the inner-lip gap (mean distance between the inner lip contours over the
// iris distance) on rendered closures, open vowels and rest, against what it reads on a real photograph of closed
// lips: the raw distributions behind bench/lipsync-pixels.ts's "lips meet" share, with three readings per frame (Human's default crop, no rotation, and a second pass on a
// tight face crop upscaled to 512 px, like MediaPipe's refinement stage re-running on a tighter crop), plus the
// luma down the mouth's middle column (does a dark seam or an opening separate the lips?). Flite slt, phoneme
// path. `npx tsx bench/lipsync-pixel-gaps.ts [--crops=DIR]` prints one JSON object on its last line; --crops
// writes 8× mouth crops of the first m/b/p, open and rest frames of each avatar and of the real photo.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  createAnimator,
  createCpuRenderer,
  ingestFace,
  keyframesFromPhonemes,
  loadFliteModule,
  PUBLIC_AVATARS,
  type Rig,
  synthesizeWithFlite,
} from '@agenthuman/engine';
import { type DetectOptions, detectFaces } from '@agenthuman/engine/face';
import { cropJpeg, faceApiSample, innerLipGap, SAMPLE6_LEFT_PERSON } from '@agenthuman/engine/testing/face';
import sharp from 'sharp';
import { LIPS_MEET, PIXEL_SENTENCES, teethPhotoRig } from './lipsync-pixels.js';

type Mesh = Array<[number, number, number]>;
type Kind = 'mbp' | 'open' | 'rest';
type Reading = 'default' | 'no_rotation' | 'refined';
const READINGS: Record<Reading, DetectOptions> = {
  default: {},
  no_rotation: { rotation: false },
  refined: {},
};
/** A frame counts as open where the phoneme path opens the jaw this far. */
const OPEN_JAW = 0.35;

/** The mean gap between the inner lip contours over the iris distance. */
const gapOf = innerLipGap;

/** A real photograph of closed lips (face-api sample 6, left person), framed like an avatar. */
async function closedPhotoRig(): Promise<Rig> {
  const photo = await cropJpeg(await faceApiSample(6), SAMPLE6_LEFT_PERSON);
  return (await ingestFace(photo, { aspectRatio: '4:3' })).rig;
}

async function detect(rgb: Uint8Array, w: number, h: number, options: DetectOptions) {
  const face = (await detectFaces(rgb, w, h, options)).sort((a, b) => b.score - a.score)[0];
  return face && face.mesh.length >= 478 ? (face.mesh as Mesh) : undefined;
}

/** Second pass: a square crop 1.3× the first mesh's extent around its centre, upscaled to 512 px. */
async function refine(rgb: Uint8Array, w: number, h: number, m: Mesh) {
  const xs = m.map((p) => p[0]);
  const ys = m.map((p) => p[1]);
  const side = 1.3 * Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
  const left = Math.max(0, Math.round((Math.min(...xs) + Math.max(...xs) - side) / 2));
  const top = Math.max(0, Math.round((Math.min(...ys) + Math.max(...ys) - side) / 2));
  const width = Math.min(Math.round(side), w - left);
  const height = Math.min(Math.round(side), h - top);
  const s = 512 / Math.max(width, height);
  const out = await sharp(Buffer.from(rgb), { raw: { width: w, height: h, channels: 3 } })
    .extract({ left, top, width, height })
    .resize(Math.round(width * s), Math.round(height * s), { kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return detect(new Uint8Array(out.data), out.info.width, out.info.height, {});
}

async function readings(rgb: Uint8Array, w: number, h: number) {
  const out: Partial<Record<Reading, number>> & { mesh?: Mesh } = {};
  for (const name of ['default', 'no_rotation'] as const) {
    const m = await detect(rgb, w, h, READINGS[name]);
    if (!m) continue;
    out[name] = gapOf(m);
    if (name === 'default') {
      out.mesh = m;
      const r = await refine(rgb, w, h, m);
      if (r) out.refined = gapOf(r);
    }
  }
  return out;
}

/** Luma down the column through the mouth's centre, from the upper lip's outer edge (0) to the lower's (17). */
function profile(rgb: Uint8Array, w: number, m: Mesh) {
  const x = Math.round((m[13]![0] + m[14]![0]) / 2);
  const top = Math.floor(m[0]![1]);
  const luma: number[] = [];
  for (let y = top; y <= Math.ceil(m[17]![1]); y++) {
    const i = (y * w + x) * 3;
    luma.push(Math.round(0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]!));
  }
  return { top, lm13_y: +m[13]![1].toFixed(1), lm14_y: +m[14]![1].toFixed(1), luma };
}

async function saveCrop(rgb: Uint8Array, w: number, h: number, m: Mesh, file: string) {
  const xs = [61, 291].map((i) => m[i]![0]);
  const ys = [0, 17].map((i) => m[i]![1]);
  const left = Math.max(0, Math.floor(Math.min(...xs) - 8));
  const top = Math.max(0, Math.floor(Math.min(...ys) - 8));
  const width = Math.min(w - left, Math.ceil(Math.max(...xs) - Math.min(...xs) + 16));
  const height = Math.min(h - top, Math.ceil(Math.max(...ys) - Math.min(...ys) + 16));
  await sharp(Buffer.from(rgb), { raw: { width: w, height: h, channels: 3 } })
    .extract({ left, top, width, height })
    .resize(width * 8, height * 8, { kernel: 'nearest' })
    .png()
    .toFile(file);
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
function quantiles(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => r3(s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN);
  return {
    n: s.length,
    min: at(0),
    p10: at(0.1),
    p50: at(0.5),
    p90: at(0.9),
    max: at(1),
    lips_meet: r3(s.filter((g) => g < LIPS_MEET).length / Math.max(1, s.length)),
  };
}

async function measureAvatar(rig: Rig, name: string, crops: string | undefined) {
  const module = await loadFliteModule();
  const renderer = createCpuRenderer(rig, { idleCache: false });
  const animator = createAnimator({ seed: 7 });
  const rgb = new Uint8Array(rig.width * rig.height * 3);
  const gaps: Record<Kind, Record<Reading, number[]>> = {
    mbp: { default: [], no_rotation: [], refined: [] },
    open: { default: [], no_rotation: [], refined: [] },
    rest: { default: [], no_rotation: [], refined: [] },
  };
  const profiles: (ReturnType<typeof profile> & { kind: Kind })[] = [];
  const saved = new Set<Kind>();
  let t = 0;
  for (const text of PIXEL_SENTENCES.slice(0, 2)) {
    const { phonemes } = synthesizeWithFlite(module, text, 'slt');
    const truth = keyframesFromPhonemes(phonemes, { frameMs: 40 });
    const closures = new Set(
      phonemes
        .filter((p) => p.phoneme === 'm' || p.phoneme === 'b' || p.phoneme === 'p')
        .map((p) => Math.round((p.startMs + p.endMs) / 2 / 40)),
    );
    // 10 rest frames before the sentence (the last 4 are scored as rest), then the sentence.
    for (let k = -10; k < truth.length; k++) {
      const key = k >= 0 ? truth[k]! : null;
      const rgba = renderer.render(animator.step(t, key), t, 'rgba').data;
      t += 40;
      const kind: Kind | undefined =
        key === null
          ? k >= -4
            ? 'rest'
            : undefined
          : closures.has(k)
            ? 'mbp'
            : key.jawOpen > OPEN_JAW
              ? 'open'
              : undefined;
      if (!kind) continue;
      for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) rgb.set(rgba.subarray(i, i + 3), j);
      const r = await readings(rgb, rig.width, rig.height);
      for (const reading of Object.keys(READINGS) as Reading[]) {
        const g = r[reading];
        if (g !== undefined) gaps[kind][reading].push(g);
      }
      if (r.mesh && !saved.has(kind)) {
        saved.add(kind);
        if (kind !== 'open') profiles.push({ ...profile(rgb, rig.width, r.mesh), kind });
        if (crops) await saveCrop(rgb, rig.width, rig.height, r.mesh, join(crops, `${name}-${kind}.png`));
      }
    }
  }
  renderer.close();
  const dists = Object.fromEntries(
    Object.entries(gaps).map(([kind, byReading]) => [
      kind,
      Object.fromEntries(Object.entries(byReading).map(([reading, xs]) => [reading, quantiles(xs)])),
    ]),
  );
  return { gaps: dists, profiles };
}

export async function measurePixelGaps(options: { crops?: string } = {}) {
  if (options.crops) mkdirSync(options.crops, { recursive: true });
  const real = await closedPhotoRig();
  const realRgb = new Uint8Array(await sharp(Buffer.from(real.image)).removeAlpha().raw().toBuffer());
  const realReadings = await readings(realRgb, real.width, real.height);
  const { mesh, ...realGaps } = realReadings;
  if (mesh && options.crops)
    await saveCrop(realRgb, real.width, real.height, mesh, join(options.crops, 'real-closed.png'));
  const illustrated = PUBLIC_AVATARS.find((a) => a.kind === 'illustrated');
  if (!illustrated) throw new Error('no illustrated public avatar');
  return {
    lips_meet_below: LIPS_MEET,
    real_closed_photo: {
      gaps: Object.fromEntries(Object.entries(realGaps).map(([k, v]) => [k, r3(v)])),
      profile: mesh ? profile(realRgb, real.width, mesh) : null,
    },
    photo: await measureAvatar(await teethPhotoRig(), 'photo', options.crops),
    illustrated: await measureAvatar(await illustrated.loadRig('4:3'), 'illustrated', options.crops),
  };
}

if (process.argv[1]?.endsWith('lipsync-pixel-gaps.ts')) {
  const crops = process.argv.find((a) => a.startsWith('--crops='))?.slice('--crops='.length);
  console.log(JSON.stringify(await measurePixelGaps(crops ? { crops } : {})));
}
