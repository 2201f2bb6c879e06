import type { TimedPhoneme } from '@agenthuman/media';
import { createCanvas, ImageData } from '@napi-rs/canvas';
import sharp from 'sharp';
import { createAnimator } from '../animation/animator.js';
import {
  type FaceParams,
  type MouthKeyframe,
  type MouthParams,
  restFace,
  restMouth,
} from '../animation/params.js';
import type { Rig } from '../face/rig.js';
import { keyframesFromPhonemes } from '../lipsync/phoneme-lipsync.js';
import { createCpuRenderer } from './cpu-renderer.js';

// A contact sheet for looking at an avatar the way a viewer would. Every tile is a frame the animator makes, not
// a hand-set pose: the mouth shapes are frames of real speech (phonemes → lip-sync keyframes → animator), taken
// on the frame the phoneme shows, so "m" is the closure right after an open vowel; the nod and tilt are the
// deepest ones in ten seconds of animated speech; listening and thinking are the settled postures. Each tile is
// the whole frame with the mouth enlarged below it.

export const SHEET_POSES = [
  'rest',
  'ah',
  'm',
  'oo',
  'f',
  'mid-blink',
  'blink',
  'nod',
  'tilt',
  'glance-left',
  'glance-right',
  'listening',
  'thinking',
] as const;
export type SheetPose = (typeof SHEET_POSES)[number];

const FRAME_MS = 40;

/** Speech around each mouth pose, and the time (ms) of the frame to show. */
const SPEECH: Record<'ah' | 'm' | 'oo' | 'f', { phonemes: TimedPhoneme[]; atMs: number }> = {
  ah: { phonemes: [ph('pau', 0, 120), ph('aa', 120, 480), ph('pau', 480, 600)], atMs: 360 },
  m: { phonemes: [ph('pau', 0, 80), ph('aa', 80, 320), ph('m', 320, 400), ph('aa', 400, 640)], atMs: 360 },
  oo: { phonemes: [ph('pau', 0, 120), ph('uw', 120, 480), ph('pau', 480, 600)], atMs: 360 },
  f: { phonemes: [ph('pau', 0, 80), ph('aa', 80, 320), ph('f', 320, 420), ph('aa', 420, 640)], atMs: 360 },
};

function ph(phoneme: string, startMs: number, endMs: number): TimedPhoneme {
  return { phoneme, startMs, endMs };
}

/** A speech-like jaw track: syllables at ~4 Hz, a stress every ~1.5 s, a pause every ~3 s. */
function syllables(i: number): MouthParams {
  if (i % 75 >= 66) return { ...restMouth };
  const stress = i % 38 < 4 ? 0.35 : 0;
  return { ...restMouth, jawOpen: Math.min(1, Math.abs(Math.sin(i * 0.5)) * 0.5 + stress) };
}

/** The head of a frame on a face at rest (the sheet's nod and tilt show the head alone). */
const headOnly = (p: FaceParams): FaceParams => ({
  ...restFace,
  headYaw: p.headYaw,
  headPitch: p.headPitch,
  headRoll: p.headRoll,
  breath: p.breath,
});

/** The animated face parameters of a pose. Blinks that happen to fall on a frame are taken out. */
export function poseParams(pose: SheetPose, seed = 1): FaceParams {
  const open = (p: FaceParams): FaceParams => ({ ...p, blinkLeft: 0, blinkRight: 0 });
  switch (pose) {
    case 'rest':
      return open(createAnimator({ seed }).step(0, null));
    case 'ah':
    case 'm':
    case 'oo':
    case 'f': {
      const animator = createAnimator({ seed });
      const { phonemes, atMs } = SPEECH[pose];
      const keys: MouthKeyframe[] = keyframesFromPhonemes(phonemes, { frameMs: FRAME_MS });
      let params = animator.step(0, keys[0] ?? null);
      for (let k = 1; k * FRAME_MS <= atMs; k++) params = animator.step(k * FRAME_MS, keys[k] ?? null);
      // The mouth as speech makes it, on the head at rest: the sheet compares mouths, and speech nods.
      const { pose: _pose, idleFrame: _idle, ...face } = params;
      return open({
        ...face,
        brows: 0,
        headYaw: 0,
        headPitch: 0,
        headRoll: 0,
        breath: 0,
        gazeX: 0,
        gazeY: 0,
      });
    }
    case 'mid-blink':
      return { ...restFace, blinkLeft: 0.6, blinkRight: 0.6 };
    case 'blink':
      return { ...restFace, blinkLeft: 1, blinkRight: 1 };
    case 'nod':
    case 'tilt': {
      const talk = createAnimator({ seed });
      let best: FaceParams | null = null;
      for (let i = 0; i < 250; i++) {
        const p = talk.step(i * FRAME_MS, syllables(i));
        const better =
          pose === 'nod'
            ? !best || p.headPitch < best.headPitch
            : !best || Math.abs(p.headRoll) > Math.abs(best.headRoll);
        if (better) best = p;
      }
      return headOnly(best!);
    }
    case 'glance-left':
      return { ...restFace, gazeX: -0.8, gazeY: -0.1 };
    case 'glance-right':
      return { ...restFace, gazeX: 0.8, gazeY: 0.05 };
    case 'listening':
    case 'thinking': {
      const animator = createAnimator({ seed });
      animator.setIdleState(pose);
      let p: FaceParams = restFace;
      // Settled in the state.
      for (let i = 0; i < 60; i++) p = animator.step(i * FRAME_MS, null);
      return open(p);
    }
  }
}

export interface ContactSheetOptions {
  poses?: readonly SheetPose[];
  /** Width of each tile in pixels (default 256). */
  tileWidth?: number;
  /** Tiles per row (default 5). */
  columns?: number;
  seed?: number;
}

/** PNG bytes: a labelled grid of poses, each the whole frame with the mouth enlarged below it. */
export async function renderContactSheet(rig: Rig, options: ContactSheetOptions = {}): Promise<Uint8Array> {
  const poses = options.poses ?? SHEET_POSES;
  const tw = options.tileWidth ?? 256;
  const th = Math.round((tw * rig.height) / rig.width);
  const mh = Math.round(tw / 2);
  const labelH = 20;
  const columns = Math.min(options.columns ?? 5, poses.length);
  const rows = Math.ceil(poses.length / columns);
  const crop = mouthCrop(rig);
  const sheet = createCanvas(columns * tw, rows * (labelH + th + mh));
  const ctx = sheet.getContext('2d');
  ctx.fillStyle = '#111';
  ctx.fillRect(0, 0, sheet.width, sheet.height);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.font = '14px sans-serif';
  const cell = createCanvas(rig.width, rig.height);
  const renderer = createCpuRenderer(rig, { idleCache: false });
  try {
    for (const [i, pose] of poses.entries()) {
      const frame = renderer.render(poseParams(pose, options.seed), i * FRAME_MS, 'rgba');
      const rgba = new Uint8ClampedArray(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
      cell.getContext('2d').putImageData(new ImageData(rgba, rig.width, rig.height), 0, 0);
      const x = (i % columns) * tw;
      const y = Math.floor(i / columns) * (labelH + th + mh);
      ctx.fillStyle = '#eee';
      ctx.fillText(pose, x + 6, y + 15);
      ctx.drawImage(cell, x, y + labelH, tw, th);
      ctx.drawImage(cell, crop.left, crop.top, crop.width, crop.height, x, y + labelH + th, tw, mh);
    }
  } finally {
    renderer.close();
  }
  // Full colour: a 256-colour palette leaves visible patches on skin.
  return new Uint8Array(
    await sharp(await sheet.encode('png'))
      .png({ compressionLevel: 9 })
      .toBuffer(),
  );
}

/** The mouth and a margin around it, 2:1, inside the frame. */
function mouthCrop(rig: Rig) {
  const lips = [...(rig.regions.lipsUpperOuter ?? []), ...(rig.regions.lipsLowerOuter ?? [])];
  const xs = lips.map((i) => rig.mesh[i * 2]!);
  const ys = lips.map((i) => rig.mesh[i * 2 + 1]!);
  const mouthW = Math.max(...xs) - Math.min(...xs);
  const width = Math.min(rig.width, Math.round(mouthW * 1.6));
  const height = Math.round(width / 2);
  const cx = (Math.max(...xs) + Math.min(...xs)) / 2;
  const cy = (Math.max(...ys) + Math.min(...ys)) / 2 + mouthW * 0.06;
  return {
    left: Math.max(0, Math.min(rig.width - width, Math.round(cx - width / 2))),
    top: Math.max(0, Math.min(rig.height - height, Math.round(cy - height / 2))),
    width,
    height,
  };
}
