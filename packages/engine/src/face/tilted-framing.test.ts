import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../render/decode-image.js';
import { alignFace, applyAffine, invertAffine, levelPoint } from './face-alignment.js';
import { analyzeFace, buildRig, type FaceAnalysis } from './ingest-face.js';
import { MESH_REGIONS } from './mesh-regions.js';
import type { Rig } from './rig.js';
import { faceApiSample, SAMPLE6_LEFT_PERSON } from './testing/face-api-samples.js';
import { tiltedPortraitRig } from './testing/tilted-portrait.js';

// A tilted photo as a camera takes it: framed tightly (head and shoulders filling a 3:4 photo, as the avatar
// frame itself is framed), the head at an angle. Turning such a photo back to level needs more zoom than the
// crop may use, so its corners would come from beyond the photo.
async function tiltedPhoto(degrees: number): Promise<Uint8Array> {
  // Turn the whole group photo, then cut around where the leftmost person went.
  const src = await faceApiSample(6);
  const turned = await sharp(src).rotate(degrees).jpeg({ quality: 95 }).toBuffer({ resolveWithObject: true });
  const { width: W0, height: H0 } = await sharp(src).metadata();
  const a = (degrees * Math.PI) / 180;
  const p = SAMPLE6_LEFT_PERSON;
  const [px, py] = [p.left + p.width / 2 - W0! / 2, p.top + p.height / 2 - H0! / 2];
  const cx = turned.info.width / 2 + px * Math.cos(a) - py * Math.sin(a);
  const cy = turned.info.height / 2 + px * Math.sin(a) + py * Math.cos(a);
  const region = {
    left: Math.round(cx - p.width / 2),
    top: Math.round(cy - p.height / 2),
    width: p.width,
    height: p.height,
  };
  const rotated = { data: await sharp(turned.data).extract(region).jpeg({ quality: 95 }).toBuffer() };
  const face = await analyzeFace(new Uint8Array(rotated.data));
  const eye = (list: number[]): [number, number] => {
    let x = 0;
    let y = 0;
    for (const i of list) {
      x += face.mesh[i]![0] / list.length;
      y += face.mesh[i]![1] / list.length;
    }
    return [x, y];
  };
  const l = eye([...MESH_REGIONS.leftEyeUpper0, ...MESH_REGIONS.leftEyeLower0]);
  const r = eye([...MESH_REGIONS.rightEyeUpper0, ...MESH_REGIONS.rightEyeLower0]);
  const chin = face.mesh[152]!;
  const top = face.mesh[10]!;
  const faceHeight = Math.hypot(chin[0] - top[0], chin[1] - top[1]);
  // Nearly the 3:4 frame's own framing (face 0.4 × 560 of 640 px, eyes at 40 % height), a little tighter, as
  // the crop may zoom up to 1.25× to stay inside a photo.
  const h = Math.round(faceHeight * 2.5);
  const w = Math.round((h * 3) / 4);
  const left = Math.round((l[0] + r[0]) / 2 - w / 2);
  const y = Math.round((l[1] + r[1]) / 2 - 0.4 * h);
  return new Uint8Array(
    await sharp(turned.data)
      .extract({ left: left + region.left, top: y + region.top, width: w, height: h })
      .jpeg({ quality: 92 })
      .toBuffer(),
  );
}

/** The frame's luma in 4 × 4 blocks (grain averages out; a streak does not). */
function blockLuma(rig: Rig): { w: number; h: number; l: Float64Array } {
  const { rgba, width, height } = decodeImage(rig.image);
  const w = Math.floor(width / 4);
  const h = Math.floor(height / 4);
  const l = new Float64Array(w * h);
  for (let y = 0; y < h * 4; y++)
    for (let x = 0; x < w * 4; x++) {
      const o = (y * width + x) * 4;
      l[(y >> 2) * w + (x >> 2)]! += (0.299 * rgba[o]! + 0.587 * rgba[o + 1]! + 0.114 * rgba[o + 2]!) / 16;
    }
  return { w, h, l };
}

/**
 * Over the frame's columns beyond the photo (block columns [bx0, bx1)): change down the frame over change across
 * it. Copies of the photo's edge columns change only down (streaks: ≫ 1); a field with no direction: about 1;
 * a field that barely changes (under 0.4 levels a block down, on average): 0.
 */
function streakiness(
  b: { w: number; h: number; l: Float64Array },
  bx0: number,
  bx1: number,
  rows = b.h,
): number {
  let down = 0;
  let across = 0;
  for (let y = 0; y < Math.min(rows, b.h) - 1; y++)
    for (let x = bx0; x < bx1 - 1; x++) {
      down += Math.abs(b.l[(y + 1) * b.w + x]! - b.l[y * b.w + x]!);
      across += Math.abs(b.l[y * b.w + x + 1]! - b.l[y * b.w + x]!);
    }
  const pairs = Math.max(1, (Math.min(rows, b.h) - 1) * (bx1 - 1 - bx0));
  // A field with next to no change either way (an even backdrop) is no streak, whatever the ratio of its traces.
  if (down / pairs < 0.4) return 0;
  return down / Math.max(across, 1e-9);
}

/**
 * How far (mean luma difference) the frame's border band (12 px) is from the photo itself placed without
 * rotation: 0-ish when the border is photo; large where it is a rotated copy, a blurred wedge or a streak.
 */
function borderVsPhoto(rig: Rig, analysis: FaceAnalysis): number {
  const { rgba, width, height } = decodeImage(rig.image);
  const { transform } = alignFace(analysis.mesh, analysis.image.width, analysis.image.height, width, height);
  // Placed, not turned: a whole-photo rotation would already fail here.
  expect(Math.abs(transform.b) + Math.abs(transform.c)).toBeLessThan(1e-9);
  const inv = invertAffine(transform);
  const img = analysis.image;
  let sum = 0;
  let n = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x >= 12 && y >= 12 && x < width - 12 && y < height - 12) continue;
      const [sx, sy] = applyAffine(inv, x + 0.5, y + 0.5);
      const ix = Math.min(img.width - 1, Math.max(0, Math.floor(sx)));
      const iy = Math.min(img.height - 1, Math.max(0, Math.floor(sy)));
      const o = (iy * img.width + ix) * 3;
      const photo = 0.299 * img.data[o]! + 0.587 * img.data[o + 1]! + 0.114 * img.data[o + 2]!;
      const q = (y * width + x) * 4;
      const frame = 0.299 * rgba[q]! + 0.587 * rgba[q + 1]! + 0.114 * rgba[q + 2]!;
      sum += Math.abs(frame - photo);
      n++;
    }
  }
  return sum / n;
}

function eyeSlope(rig: Rig): number {
  const c = (list: number[]) => {
    let x = 0;
    let y = 0;
    for (const i of list) {
      x += rig.mesh[i * 2]! / list.length;
      y += rig.mesh[i * 2 + 1]! / list.length;
    }
    return [x, y] as const;
  };
  const l = c([...MESH_REGIONS.leftEyeUpper0, ...MESH_REGIONS.leftEyeLower0]);
  const r = c([...MESH_REGIONS.rightEyeUpper0, ...MESH_REGIONS.rightEyeLower0]);
  return Math.abs(Math.atan2(l[1] - r[1], l[0] - r[0]));
}

/** Pixels of the photo's part of the frame whose levelled head reads from beyond the photo (blurred extension). */
function levelledFromOutside(analysis: FaceAnalysis, width: number, height: number): number {
  const { transform, level } = alignFace(
    analysis.mesh,
    analysis.image.width,
    analysis.image.height,
    width,
    height,
  );
  const x0 = transform.e;
  const y0 = transform.f;
  const x1 = transform.a * analysis.image.width + transform.e;
  const y1 = transform.d * analysis.image.height + transform.f;
  let outside = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [px, py] = [x + 0.5, y + 0.5];
      if (px < x0 || px > x1 || py < y0 || py > y1) continue;
      const [sx, sy] = levelPoint(level, px, py, true);
      if (sx < x0 - 0.5 || sx > x1 + 0.5 || sy < y0 - 0.5 || sy > y1 + 0.5) outside++;
    }
  }
  return outside;
}

describe('framing a tilted photo', () => {
  it('levels the head of a narrow 3:4 photo in a 4:3 frame from the photo alone', {
    timeout: 60_000,
  }, async () => {
    const analysis = await analyzeFace(await tiltedPhoto(16));
    const rig = await buildRig(analysis, '4:3');
    expect(eyeSlope(rig)).toBeLessThan(0.03);
    // Turning the whole head disk reached past the photo's sides and top: a tilted wedge of blurred extension
    // (and the photo's own edge, turned) inside the frame.
    expect(levelledFromOutside(analysis, rig.width, rig.height)).toBe(0);
  });

  it('levels the head without smearing the frame border', { timeout: 60_000 }, async () => {
    const analysis = await analyzeFace(await tiltedPhoto(16));
    const tilted = await buildRig(analysis, '3:4');
    // The head is level in the crop the renderer and the avatar card both use.
    expect(eyeSlope(tilted)).toBeLessThan(0.02);
    // Its border is the photo as it is (only the head turned): turning the whole photo back would put a rotated
    // copy there, with blurred wedges of extension in the corners (mean difference of tens of levels).
    expect(borderVsPhoto(tilted, analysis)).toBeLessThan(6);
  });

  it('fills the frame beyond a narrow photo with its backdrop, not streaks of its edge or a band of its hair', {
    timeout: 60_000,
  }, async () => {
    const { analysis, rig, photoX0, photoX1 } = await tiltedPortraitRig();
    // This photo is far narrower than the frame: a wide side on each side is beyond it.
    expect(photoX0).toBeGreaterThan(100);
    expect(photoX1).toBeLessThan(rig.width - 100);
    const blocks = blockLuma(rig);
    const left = Math.floor(photoX0 / 4) - 1;
    const right = Math.ceil(photoX1 / 4) + 1;
    // The backdrop: the photo's top-left corner is its plain grey.
    const img = analysis.image;
    const edge: number[] = [];
    for (let y = 0; y < 40; y++)
      for (let x = 0; x < 40; x++) {
        const o = (y * img.width + x) * 3;
        edge.push(0.299 * img.data[o]! + 0.587 * img.data[o + 1]! + 0.114 * img.data[o + 2]!);
      }
    const grey = edge.sort((a, b) => a - b)[edge.length >> 1]!;
    // Beside the head, where hair touches the photo's edges, the sides stay that grey (no dark band of hair).
    const eyeRow = Math.floor(rig.mesh[33 * 2 + 1]! / 4);
    let darkest = 255;
    for (let y = 0; y < eyeRow; y++)
      for (const [a, b] of [
        [0, left],
        [right, blocks.w],
      ] as const)
        for (let x = a; x < b; x++) darkest = Math.min(darkest, blocks.l[y * blocks.w + x]!);
    // Copies of the edge columns (the stretch's leftover) measured 2.1 left and 25.8 right, with a band of hair
    // at luma 12 against the grey's 132; the background estimate: 0.83, 0.85, darkest 130. Above the chin and the
    // shoulder's top only: below them the body goes on beside the photo on purpose (the left shoulder, continuing
    // the photo's own top, rises a few rows above the chin; its edge is no streak).
    const chinRow = Math.floor(rig.mesh[152 * 2 + 1]! / 4);
    const backdropRows = (a: number, b: number) => {
      let rows = chinRow;
      for (let x = a; x < b; x++)
        for (let y = eyeRow; y < rows; y++) if (blocks.l[y * blocks.w + x]! > grey + 30) rows = y - 1;
      return rows;
    };
    expect(backdropRows(0, left)).toBeGreaterThan(chinRow - 6);
    expect(streakiness(blocks, 0, left, backdropRows(0, left))).toBeLessThan(1.5);
    expect(streakiness(blocks, right, blocks.w, backdropRows(right, blocks.w))).toBeLessThan(1.5);
    expect(grey - darkest).toBeLessThan(25);
  });

  it("ends hair touching the photo's side along its own shape, not a straight vertical fade", {
    timeout: 60_000,
  }, async () => {
    const { rig, luma: l, photoX1: x1 } = await tiltedPortraitRig();
    const photoX1 = Math.round(x1);
    // Her hair touches the photo's right side from the top down to about the eyes: per row there, where the
    // hair ends, going outwards (the last column darker than 70 % of the backdrop grey beside it).
    const eyeRow = Math.round(rig.mesh[263 * 2 + 1]!);
    const ends: number[] = [];
    for (let y = 10; y < eyeRow; y += 2) {
      const grey = l(photoX1 + 40, y);
      let end = -1;
      for (let x = photoX1 - 80; x < photoX1 + 20; x++) if (l(x, y) < 0.7 * grey) end = x;
      if (end > 0) ends.push(end);
    }
    expect(ends.length).toBeGreaterThan(40);
    const mean = ends.reduce((s, v) => s + v, 0) / ends.length;
    const sd = Math.sqrt(ends.reduce((s, v) => s + (v - mean) ** 2, 0) / ends.length);
    // The straight fade over the photo's last 24 columns ended every row's hair within a column or two of the
    // same x; ending it along its own texture and a wandering outline spreads the ends over several pixels.
    expect(sd).toBeGreaterThan(4);
    // Nor does the hair stop at the photo's edge itself.
    expect(mean).toBeLessThan(photoX1 - 6);
  });

  it("beside the neck the fill is the photo's own backdrop: no strip of it against a lighter fill", {
    timeout: 60_000,
  }, async () => {
    const { rig, luma: l, photoX0: x0, photoX1: x1 } = await tiltedPortraitRig();
    const photoX0 = Math.round(x0);
    const photoX1 = Math.round(x1);
    // From the mouth down to the chin the photo's sides are backdrop (the neck is far inside), down to where the
    // shoulder's top, going on beside the photo, rises above the chin (8 rows above it at the left side).
    const y0 = Math.round(rig.mesh[14 * 2 + 1]!);
    let y1 = Math.round(rig.mesh[152 * 2 + 1]!);
    const grey = l(8, y0);
    for (const x of [photoX0 - 24, photoX0 - 8, photoX1 + 8, photoX1 + 24])
      for (let y = y0; y < y1; y++) if (l(x, y) > grey + 30) y1 = y - 4;
    expect(y1 - y0).toBeGreaterThan(30);
    const mean = (x0: number, x1: number) => {
      let s = 0;
      let n = 0;
      for (let y = y0; y < y1; y++)
        for (let x = x0; x < x1; x++) {
          s += l(x, y);
          n++;
        }
      return s / n;
    };
    for (const [inside, near, far] of [
      [mean(photoX1 - 40, photoX1 - 24), mean(photoX1 + 8, photoX1 + 24), mean(rig.width - 40, rig.width)],
      [mean(photoX0 + 24, photoX0 + 40), mean(photoX0 - 24, photoX0 - 8), mean(0, 40)],
    ] as const) {
      // The fill read its growing neighbourhood's shirt below the chin too: beside the neck it came out 10–40
      // levels lighter than the photo's backdrop, which then showed as a strip along the neck.
      expect(Math.abs(near - inside)).toBeLessThan(5);
      expect(Math.abs(far - inside)).toBeLessThan(8);
    }
  });
});
