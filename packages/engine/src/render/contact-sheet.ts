import sharp, { type OverlayOptions } from 'sharp';
import { createAnimator } from '../animation/animator.js';
import type { FaceParams, MouthKeyframe } from '../animation/params.js';
import type { Rig } from '../face/rig.js';
import { keyframesFromPhonemes } from '../lipsync/phoneme-lipsync.js';
import type { TimedPhoneme } from '@agenthuman/media';
import { createCpuRenderer } from './cpu-renderer.js';

// A contact sheet of mouth poses for looking at an avatar the way a viewer would: each pose is a frame of real
// speech (phonemes → lip-sync keyframes → animator → renderer), taken on the frame the phoneme is shown, so "m"
// is the closure right after an open vowel, not a still of the rest pose. Top row: the frame; bottom row: the
// mouth enlarged.

export const SHEET_POSES = ['rest', 'ah', 'm', 'oo', 'f'] as const;
export type SheetPose = (typeof SHEET_POSES)[number];

const FRAME_MS = 40;

/** Speech around each pose, and the time (ms) of the frame to show. */
const SPEECH: Record<Exclude<SheetPose, 'rest'>, { phonemes: TimedPhoneme[]; atMs: number }> = {
  ah: { phonemes: [ph('pau', 0, 120), ph('aa', 120, 480), ph('pau', 480, 600)], atMs: 360 },
  m: { phonemes: [ph('pau', 0, 80), ph('aa', 80, 320), ph('m', 320, 400), ph('aa', 400, 640)], atMs: 360 },
  oo: { phonemes: [ph('pau', 0, 120), ph('uw', 120, 480), ph('pau', 480, 600)], atMs: 360 },
  f: { phonemes: [ph('pau', 0, 80), ph('aa', 80, 320), ph('f', 320, 420), ph('aa', 420, 640)], atMs: 360 },
};

function ph(phoneme: string, startMs: number, endMs: number): TimedPhoneme {
  return { phoneme, startMs, endMs };
}

/** The animated face parameters on the pose's frame. */
export function poseParams(pose: SheetPose): FaceParams {
  const animator = createAnimator({ seed: 1 });
  if (pose === 'rest') return { ...animator.step(0, null), blinkLeft: 0, blinkRight: 0 };
  const { phonemes, atMs } = SPEECH[pose];
  const keys: MouthKeyframe[] = keyframesFromPhonemes(phonemes, { frameMs: FRAME_MS });
  let params = animator.step(0, keys[0] ?? null);
  for (let k = 1; k * FRAME_MS <= atMs; k++) params = animator.step(k * FRAME_MS, keys[k] ?? null);
  // The sheet is about the mouth: a blink that happens to fall on the frame would only hide the eyes.
  return { ...params, blinkLeft: 0, blinkRight: 0 };
}

export interface ContactSheetOptions {
  poses?: readonly SheetPose[];
  /** Width of each tile in pixels (default 256). */
  tileWidth?: number;
}

/** PNG bytes: one column per pose, the whole frame above and the mouth enlarged below. */
export async function renderContactSheet(rig: Rig, options: ContactSheetOptions = {}): Promise<Uint8Array> {
  const poses = options.poses ?? SHEET_POSES;
  const tw = options.tileWidth ?? 256;
  const th = Math.round((tw * rig.height) / rig.width);
  const mh = Math.round(tw / 2);
  const lips = [...(rig.regions.lipsUpperOuter ?? []), ...(rig.regions.lipsLowerOuter ?? [])];
  const xs = lips.map((i) => rig.mesh[i * 2]!);
  const ys = lips.map((i) => rig.mesh[i * 2 + 1]!);
  const mouthW = Math.max(...xs) - Math.min(...xs);
  const cw = Math.min(rig.width, Math.round(mouthW * 1.6));
  const ch = Math.round(cw / 2);
  const cx = (Math.max(...xs) + Math.min(...xs)) / 2;
  const cy = (Math.max(...ys) + Math.min(...ys)) / 2 + mouthW * 0.06;
  const crop = {
    left: Math.max(0, Math.min(rig.width - cw, Math.round(cx - cw / 2))),
    top: Math.max(0, Math.min(rig.height - ch, Math.round(cy - ch / 2))),
    width: cw,
    height: ch,
  };
  const renderer = createCpuRenderer(rig, { idleCache: false });
  const tiles: OverlayOptions[] = [];
  try {
    for (const [col, pose] of poses.entries()) {
      const frame = renderer.render(poseParams(pose), 0, 'rgba');
      const raw = { raw: { width: frame.width, height: frame.height, channels: 4 as const } };
      const full = await sharp(Buffer.from(frame.data), raw).resize(tw, th).png().toBuffer();
      const mouth = await sharp(Buffer.from(frame.data), raw)
        .extract(crop)
        .resize(tw, mh, { kernel: 'lanczos3' })
        .png()
        .toBuffer();
      tiles.push({ input: full, left: col * tw, top: 0 }, { input: mouth, left: col * tw, top: th });
    }
  } finally {
    renderer.close();
  }
  const png = await sharp({
    create: { width: tw * poses.length, height: th + mh, channels: 3, background: '#000000' },
  })
    .composite(tiles)
    .png({ compressionLevel: 9 })
    .toBuffer();
  return new Uint8Array(png);
}
