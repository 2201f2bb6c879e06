// The mouth judged on rendered pixels of a real photo that shows its teeth (a face-api demo photo, read from
// node_modules in tests only): its lips meet at rest and on m/b/p, and the open mouth's edge is a gradient.
import { beforeAll, describe, expect, it } from 'vitest';
import { createAnimator } from '../animation/animator.js';
import { type FaceParams, type MouthParams, restFace } from '../animation/params.js';
import { findPublicAvatar } from '../avatars/catalog.js';
import { ingestFace } from '../face/ingest-face.js';
import type { Rig } from '../face/rig.js';
import { cropJpeg, faceApiSample, SAMPLE3_RIGHT_PERSON } from '../face/testing/face-api-samples.js';
import { poseParams } from './contact-sheet.js';
import { createCpuRenderer } from './cpu-renderer.js';
import { decodeImage } from './decode-image.js';

let rig: Rig;
let irisDistance: number;
beforeAll(async () => {
  rig = (
    await ingestFace(await cropJpeg(await faceApiSample(3), SAMPLE3_RIGHT_PERSON), { aspectRatio: '4:3' })
  ).rig;
  const p = (i: number) => [rig.mesh[i * 2]!, rig.mesh[i * 2 + 1]!] as const;
  irisDistance = Math.hypot(p(468)[0] - p(473)[0], p(468)[1] - p(473)[1]);
});

const luma = (px: Uint8Array, o: number) => 0.299 * px[o]! + 0.587 * px[o + 1]! + 0.114 * px[o + 2]!;

/** Luma down the column through the mouth's middle, from above the upper lip to below the lower lip. */
function middleColumn(px: Uint8Array, jawRoom: number): { top: number; values: number[] } {
  const x = Math.round((rig.mesh[0 * 2]! + rig.mesh[17 * 2]!) / 2);
  const top = Math.floor(rig.mesh[0 * 2 + 1]!) - 2;
  const bottom = Math.ceil(rig.mesh[17 * 2 + 1]!) + 2 + jawRoom;
  const values: number[] = [];
  for (let y = top; y < bottom; y++) values.push(luma(px, (y * rig.width + x) * 4));
  return { top, values };
}

/**
 * The opening between the lips at the mouth's middle, in pixel rows: rows between the middles of the upper and
 * lower lip (plus `room` below, for a dropped jaw) that are neither lip nor the soft shadow where closed lips press
 * together, i.e. teeth (brighter than the lips) or mouth cavity (far darker). Lip luma is the photo's own.
 */
function openingRows(px: Uint8Array, room = 0): number {
  const x = Math.round(rig.mesh[13 * 2]!);
  const top = Math.round((rig.mesh[0 * 2 + 1]! + rig.mesh[13 * 2 + 1]!) / 2);
  const bottom = Math.round((rig.mesh[17 * 2 + 1]! + rig.mesh[14 * 2 + 1]!) / 2) + room;
  const lipLuma = (luma(photo, lipPoint(0, 13)) + luma(photo, lipPoint(17, 14))) / 2;
  let rows = 0;
  for (let y = top; y <= bottom; y++) {
    const v = luma(px, (y * rig.width + x) * 4);
    if (v > lipLuma * 1.2 || v < lipLuma * 0.4) rows++;
  }
  return rows;
}

let photo: Uint8Array;
function lipPoint(outer: number, inner: number): number {
  const x = Math.round((rig.mesh[outer * 2]! + rig.mesh[inner * 2]!) / 2);
  const y = Math.round((rig.mesh[outer * 2 + 1]! + rig.mesh[inner * 2 + 1]!) / 2);
  return (y * rig.width + x) * 4;
}

const ah: MouthParams = { jawOpen: 0.8, mouthWidth: 0.55, mouthRound: 0, upperLip: 0.25, lowerLip: 0 };
const m: MouthParams = { jawOpen: 0, mouthWidth: 0.5, mouthRound: 0, upperLip: 0, lowerLip: 0 };

describe('mouth on a photo that shows its teeth', () => {
  beforeAll(() => {
    photo = decodeImage(rig.image).rgba;
  });

  it('the photo itself is open: teeth show between its lips (so the checks below can fail)', () => {
    expect(openingRows(photo) / irisDistance).toBeGreaterThan(0.08);
  });

  it('lips meet at rest and on m/b/p, spoken right after a wide-open vowel', () => {
    const renderer = createCpuRenderer(rig, { idleCache: false });
    const animator = createAnimator({ seed: 1 });
    const rest = renderer.render(restFace, 0, 'rgba').data;
    expect(openingRows(rest) / irisDistance).toBeLessThan(0.02);
    // "ah ah ah ah m": the animator eases the jaw, so the closure frame follows a wide-open one.
    const frames: FaceParams[] = [];
    for (let i = 0; i < 6; i++) frames.push(animator.step(i * 40, i < 5 ? ah : m));
    const open = renderer.render(frames[4]!, 160, 'rgba').data;
    expect(openingRows(open, 20) / irisDistance).toBeGreaterThan(0.08);
    expect(frames[5]!.jawOpen).toBeGreaterThan(0.2);
    const closed = renderer.render(frames[5]!, 200, 'rgba').data;
    expect(openingRows(closed) / irisDistance).toBeLessThan(0.02);
    renderer.close();
  });

  it('the open mouth has a soft edge: the lower lip fades into the interior over more than a pixel', () => {
    const renderer = createCpuRenderer(rig, { idleCache: false });
    const px = renderer.render({ ...restFace, jawOpen: 0.5 }, 0, 'rgba').data;
    renderer.close();
    const { values } = middleColumn(px, 14);
    // From the darkest row inside the mouth down to where the lower lip reaches its own tone.
    const darkest = values.indexOf(Math.min(...values.slice(0, Math.floor(values.length * 0.75))));
    let end = darkest;
    while (end + 1 < values.length && values[end + 1]! > values[end]! - 1) end++;
    const lo = values[darkest]!;
    const hi = values[end]!;
    expect(hi - lo).toBeGreaterThan(40);
    const transition = values
      .slice(darkest, end + 1)
      .filter((v) => v > lo + 0.15 * (hi - lo) && v < lo + 0.85 * (hi - lo)).length;
    // A cut-out steps from cavity to lip in one pixel; the inner-lip band makes it a gradient.
    expect(transition).toBeGreaterThanOrEqual(2);
  });
});

describe('a pressed closure right after an open vowel', () => {
  it('shows no sliver of teeth between the lips (the interior goes with the opening, not the jaw)', async () => {
    const bearded = await findPublicAvatar('victor')!.loadRig('4:3');
    // The contact sheet's "m": real speech, the frame of the closure after "aa" (jaw still part open, lips pressed).
    const params = poseParams('m');
    expect(params.jawOpen).toBeGreaterThan(0.05);
    expect(params.lipPress ?? 0).toBeGreaterThan(0.5);
    const renderer = createCpuRenderer(bearded, { idleCache: false });
    const closed = renderer.render(params, 0, 'rgba').data;
    renderer.close();
    // Teeth or interior showing through: grey pixels (nearly no colour, not dark) between the corners, around the
    // lips' seam. Lips are red and this beard is near black. (Drawing the interior by the jaw left 7 here.)
    const upper = bearded.regions.lipsUpperInner!;
    const [l, r] = [bearded.mesh[upper[0]! * 2]!, bearded.mesh[upper.at(-1)! * 2]!];
    const top = Math.min(...upper.map((i) => bearded.mesh[i * 2 + 1]!)) - 3;
    const bottom = Math.max(...bearded.regions.lipsLowerInner!.map((i) => bearded.mesh[i * 2 + 1]!)) + 3;
    let grey = 0;
    for (let y = Math.floor(top); y <= bottom; y++) {
      for (let x = Math.round(l + 0.1 * (r - l)); x <= l + 0.9 * (r - l); x++) {
        const o = (y * bearded.width + x) * 4;
        const rgb = [closed[o]!, closed[o + 1]!, closed[o + 2]!];
        if (Math.max(...rgb) - Math.min(...rgb) < 30 && luma(closed, o) >= 80) grey++;
      }
    }
    expect(grey).toBe(0);
  });
});
