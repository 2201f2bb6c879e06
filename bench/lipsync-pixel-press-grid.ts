// How a press's inner-lip gap falls with FaceParams.lipPress (0 → 1) on rendered pixels, read by the face-landmark
// model bench/lipsync-pixels.ts uses (Human's mesh without rotation, gap over the iris distance), on a grid of the
// poses speech presses at — not on the bench's sentences: the speech lattice's held tilts (-5, 0, +5 steps) with the
// head level and nodded (chin down 8 steps), the mouth relaxed for speech (width 0.38), at rest width (0.5) and
// rounded (0.38, rounding 0.4), the jaw shut or still at 0.1 (a press takes the jaw shut within its slew limit). A
// real bilabial closure touches early in the press and then compresses, so the lips should meet (gap < 2 %) from a
// moderate press on. Per avatar and press it prints the median and largest gap over the grid and the share that
// meets; `first_meeting_press` is the smallest press from which every grid cell meets.
// `npx tsx bench/lipsync-pixel-press-grid.ts [--presses=0,0.2,...] [--curve=K] [--crops=DIR]` prints one JSON object
// on its last line; --curve=K renders what the renderer would show were its press mapping 1 − (1 − press)^K instead
// of lip-seal.ts's PRESS_CURVE (1: linear); --crops writes ×4 mouth crops (PNG) of the level, speech-width cell at each press, and a press onset
// and offset as the animator drives it at 25 fps, for looking at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAnimator, createCpuRenderer, type FaceParams, type Rig, restFace } from '@agenthuman/engine';
import { innerLipGap } from '@agenthuman/engine/testing/face';
import sharp from 'sharp';
import { STEP } from '../packages/engine/src/animation/head-motion.js';
import { PRESS_CURVE } from '../packages/engine/src/render/lip-seal.js';
import { meshOf } from './lipsync-pixel-reference.js';
import { LIPS_MEET, pixelRigs } from './lipsync-pixels.js';

const DEFAULT_PRESSES = [0, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.8, 1];
const TILTS = [-5, 0, 5];
const NODS = [0, -8];
const MOUTHS = [
  { mouthWidth: 0.38, mouthRound: 0 },
  { mouthWidth: 0.5, mouthRound: 0 },
  { mouthWidth: 0.38, mouthRound: 0.4 },
];
const JAWS = [0, 0.1];

export interface PressGridRow {
  press: number;
  median: number;
  max: number;
  meets: number;
  /** Cells that do not meet, where most do: tilt t (steps), nod n, width w, rounding r, jaw j; `gap`. */
  misses?: string[];
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

function rgbOf(rgba: Uint8Array | Uint8ClampedArray): Uint8Array {
  const rgb = new Uint8Array((rgba.length / 4) * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) rgb.set(rgba.subarray(i, i + 3), j);
  return rgb;
}

async function gapOf(rig: Rig, rgba: Uint8Array | Uint8ClampedArray): Promise<number> {
  const mesh = await meshOf(rgbOf(rgba), rig.width, rig.height, { rotation: false });
  return mesh ? innerLipGap(mesh) : Number.NaN;
}

/** The mouth's box in the rig (its lip landmarks' extent, padded), for crops. */
function mouthBox(rig: Rig) {
  const pts = [...rig.regions.lipsUpperOuter!, ...rig.regions.lipsLowerOuter!];
  const xs = pts.map((p) => rig.mesh[p * 2]!);
  const ys = pts.map((p) => rig.mesh[p * 2 + 1]!);
  const pad = 0.35 * (Math.max(...xs) - Math.min(...xs));
  const left = Math.max(0, Math.floor(Math.min(...xs) - pad));
  const top = Math.max(0, Math.floor(Math.min(...ys) - pad));
  return {
    left,
    top,
    width: Math.min(rig.width - left, Math.ceil(Math.max(...xs) - Math.min(...xs) + 2 * pad)),
    height: Math.min(rig.height - top, Math.ceil(Math.max(...ys) - Math.min(...ys) + 2 * pad)),
  };
}

async function saveCrop(rig: Rig, rgba: Uint8Array | Uint8ClampedArray, file: string): Promise<void> {
  const box = mouthBox(rig);
  await sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), {
    raw: { width: rig.width, height: rig.height, channels: 4 },
  })
    .extract(box)
    .resize(box.width * 4, box.height * 4, { kernel: 'nearest' })
    .png()
    .toFile(file);
}

export async function measurePressGrid(
  rig: Rig,
  presses: readonly number[] = DEFAULT_PRESSES,
  crops?: string,
  curve = PRESS_CURVE,
): Promise<{ rows: PressGridRow[]; first_meeting_press: number | null; cells: number }> {
  const renderer = createCpuRenderer(rig, { idleCache: false });
  const rows: PressGridRow[] = [];
  for (const press of presses) {
    // The lipPress whose share of the pressed pose under PRESS_CURVE is 1 − (1 − press)^curve.
    const lipPress = 1 - (1 - press) ** (curve / PRESS_CURVE);
    const gaps: number[] = [];
    const labels: string[] = [];
    for (const tilt of TILTS)
      for (const nod of NODS)
        for (const mouth of MOUTHS)
          for (const jawOpen of JAWS) {
            const params: FaceParams = {
              ...restFace,
              ...mouth,
              jawOpen,
              lipPress,
              headRoll: tilt * STEP,
              headPitch: nod * STEP,
            };
            const rgba = renderer.render(params, 0, 'rgba').data;
            gaps.push(await gapOf(rig, rgba));
            labels.push(`t${tilt} n${nod} w${mouth.mouthWidth} r${mouth.mouthRound} j${jawOpen}`);
            if (crops && tilt === 0 && nod === 0 && mouth === MOUTHS[0] && jawOpen === 0)
              await saveCrop(rig, rgba, join(crops, `press-${press.toFixed(2)}.png`));
          }
    const read = gaps.filter((g) => !Number.isNaN(g));
    rows.push({
      press,
      median: r3(median(read)),
      max: r3(Math.max(...read)),
      meets: r3(read.filter((g) => g < LIPS_MEET).length / gaps.length),
    });
    const misses = labels.map((l, i) => `${l}: ${r3(gaps[i]!)}`).filter((_, i) => !(gaps[i]! < LIPS_MEET));
    if (misses.length <= gaps.length / 3) rows.at(-1)!.misses = misses;
  }
  if (crops) {
    // A press onset and offset as the animator drives it at 25 fps: an open vowel, a closure of two frames, and
    // the vowel again (the audio path's full-confidence closure).
    const animator = createAnimator({ seed: 7 });
    const vowel = { jawOpen: 0.45, mouthWidth: 0.45, mouthRound: 0, upperLip: 0, lowerLip: 0 };
    const track = [vowel, vowel, vowel, vowel, vowel, vowel];
    const closing = { ...vowel, jawOpen: 0.12, closure: 1 };
    const keys = [...track, closing, closing, ...track];
    for (let k = 0; k < keys.length; k++) {
      const params = animator.step(k * 40, keys[k]!);
      if (k < 4) continue;
      const rgba = renderer.render(params, k * 40, 'rgba').data;
      await saveCrop(
        rig,
        rgba,
        join(crops, `onset-${String(k).padStart(2, '0')}-p${(params.lipPress ?? 0).toFixed(2)}.png`),
      );
    }
  }
  renderer.close();
  const first = presses.find((p, i) => p > 0 && rows.slice(i).every((r) => r.meets === 1));
  return {
    rows,
    first_meeting_press: first ?? null,
    cells: TILTS.length * NODS.length * MOUTHS.length * JAWS.length,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const presses = arg('presses')?.split(',').map(Number) ?? DEFAULT_PRESSES;
  const crops = arg('crops');
  const curve = arg('curve') === undefined ? PRESS_CURVE : Number(arg('curve'));
  const rigs = await pixelRigs();
  const out: Record<string, unknown> = {};
  for (const [name, rig] of Object.entries(rigs)) {
    const dir = crops ? join(crops, name) : undefined;
    if (dir) mkdirSync(dir, { recursive: true });
    const grid = await measurePressGrid(rig, presses, dir, curve);
    for (const row of grid.rows) console.log(name, JSON.stringify(row));
    out[name] = grid;
  }
  console.log(JSON.stringify({ curve, ...out }));
}
