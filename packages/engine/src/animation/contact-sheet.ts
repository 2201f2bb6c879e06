import { createCanvas, ImageData } from '@napi-rs/canvas';
import sharp from 'sharp';
import type { Rig } from '../face/rig.js';
import { createCpuRenderer } from '../render/cpu-renderer.js';
import { createAnimator } from './animator.js';
import { type FaceParams, type MouthParams, restFace, restMouth } from './params.js';

// The frames a contact sheet shows, as the animator makes them (not hand-set poses, except the mouth shapes and
// the blink, which are pinned so every sheet shows the same moment): rest, a few mouth shapes, mid-blink, the
// deepest point of a speech nod, glances, and the listening and thinking postures.

export interface SheetFrame {
  label: string;
  params: FaceParams;
}

const shapes: Array<[string, Partial<MouthParams>]> = [
  ['"ah"', { jawOpen: 0.75, mouthWidth: 0.55 }],
  ['"m"', { jawOpen: 0 }],
  ['"oo"', { jawOpen: 0.3, mouthWidth: 0.2, mouthRound: 0.9 }],
  ['"f"', { jawOpen: 0.12, lowerLip: 1 }],
];

/** A speech-like jaw track: syllables at ~4 Hz, a stress every ~1.5 s, a pause every ~3 s. */
function syllables(i: number): MouthParams {
  if (i % 75 >= 66) return { ...restMouth };
  const stress = i % 38 < 4 ? 0.35 : 0;
  return { ...restMouth, jawOpen: Math.min(1, Math.abs(Math.sin(i * 0.5)) * 0.5 + stress) };
}

export function contactSheetFrames(seed = 1): SheetFrame[] {
  const out: SheetFrame[] = [{ label: 'rest', params: { ...restFace } }];
  for (const [label, m] of shapes) out.push({ label, params: { ...restFace, ...m } });
  out.push({ label: 'mid-blink', params: { ...restFace, blinkLeft: 0.6, blinkRight: 0.6 } });
  out.push({ label: 'blink closed', params: { ...restFace, blinkLeft: 1, blinkRight: 1 } });

  // The deepest nod in 10 s of animated speech (head pose as the animator makes it, mouth shown closed).
  const talk = createAnimator({ seed });
  let nod: FaceParams | null = null;
  let tilt: FaceParams | null = null;
  for (let i = 0; i < 250; i++) {
    const p = talk.step(i * 40, syllables(i));
    if (!nod || p.headPitch < nod.headPitch) nod = p;
    if (!tilt || Math.abs(p.headRoll) > Math.abs(tilt.headRoll)) tilt = p;
  }
  const headOnly = (p: FaceParams): FaceParams => ({
    ...restFace,
    headYaw: p.headYaw,
    headPitch: p.headPitch,
    headRoll: p.headRoll,
    breath: p.breath,
  });
  out.push({ label: 'nod', params: headOnly(nod!) });
  out.push({ label: 'tilt', params: headOnly(tilt!) });
  out.push({ label: 'glance left', params: { ...restFace, gazeX: -0.8, gazeY: -0.1 } });
  out.push({ label: 'glance right', params: { ...restFace, gazeX: 0.8, gazeY: 0.05 } });

  for (const state of ['listening', 'thinking'] as const) {
    const a = createAnimator({ seed });
    a.setIdleState(state);
    let p: FaceParams = restFace;
    // Settled in the state, between blinks.
    for (let i = 0; i < 60; i++) p = a.step(i * 40, null);
    out.push({ label: state, params: { ...p, blinkLeft: 0, blinkRight: 0 } });
  }
  return out;
}

export interface ContactSheetOptions {
  /** Scale of each cell relative to the rig (default 0.4). */
  scale?: number;
  columns?: number;
  seed?: number;
}

/** Renders the sheet's frames of one rig into a labelled PNG grid. */
export async function renderContactSheet(rig: Rig, options: ContactSheetOptions = {}): Promise<Uint8Array> {
  const frames = contactSheetFrames(options.seed ?? 1);
  const scale = options.scale ?? 0.4;
  const columns = options.columns ?? 5;
  const cw = Math.round(rig.width * scale);
  const ch = Math.round(rig.height * scale);
  const labelH = 22;
  const rows = Math.ceil(frames.length / columns);
  const sheet = createCanvas(columns * cw, rows * (ch + labelH));
  const ctx = sheet.getContext('2d');
  ctx.fillStyle = '#111';
  ctx.fillRect(0, 0, sheet.width, sheet.height);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  const renderer = createCpuRenderer(rig, { idleCache: false });
  const cell = createCanvas(rig.width, rig.height);
  try {
    frames.forEach((f, i) => {
      const frame = renderer.render(f.params, i * 40, 'rgba');
      const rgba = new Uint8ClampedArray(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
      cell.getContext('2d').putImageData(new ImageData(rgba, rig.width, rig.height), 0, 0);
      const x = (i % columns) * cw;
      const y = Math.floor(i / columns) * (ch + labelH);
      ctx.drawImage(cell, x, y + labelH, cw, ch);
      ctx.fillStyle = '#eee';
      ctx.font = '15px sans-serif';
      ctx.fillText(f.label, x + 6, y + 16);
    });
  } finally {
    renderer.close();
  }
  // A palette PNG: a third of the size, and the sheets are committed to the repository.
  return new Uint8Array(
    await sharp(await sheet.encode('png'))
      .png({ palette: true, quality: 95, effort: 8 })
      .toBuffer(),
  );
}
