// A laughing photo (face-api sample 1, right person; read from node_modules in tests only) shows upper teeth, a
// dark band and lower teeth, with its lower inner-lip landmarks on the lower teeth. Closed, none of that may show:
// the pixels where its mouth was open must read as lip or skin, not teeth or a dark mouth.
import { beforeAll, describe, expect, it } from 'vitest';
import { restFace } from '../animation/params.js';
import { ingestFace } from '../face/ingest-face.js';
import type { Rig } from '../face/rig.js';
import { cropJpeg, faceApiSample, SAMPLE1_RIGHT_PERSON } from '../face/testing/face-api-samples.js';
import { interpolateY } from './contour-y.js';
import { createCpuRenderer } from './cpu-renderer.js';
import { decodeImage } from './decode-image.js';

let rig: Rig;
beforeAll(async () => {
  rig = (
    await ingestFace(await cropJpeg(await faceApiSample(1), SAMPLE1_RIGHT_PERSON), { aspectRatio: '4:3' })
  ).rig;
});

const luma = (px: Uint8Array, o: number) => 0.299 * px[o]! + 0.587 * px[o + 1]! + 0.114 * px[o + 2]!;

/**
 * Pixels of the photo's opening (between its upper and lower outer lip, 10–90 % of the way corner to corner)
 * that look like teeth (brighter than the lips and nearly grey) or like the inside of a mouth (far darker), as a
 * share of the opening's pixels.
 */
function openShare(px: Uint8Array): { teeth: number; dark: number } {
  const upper = rig.regions.lipsUpperInner!;
  const lowerOuter = rig.regions.lipsLowerOuter!;
  const l = rig.mesh[upper[0]! * 2]!;
  const r = rig.mesh[upper.at(-1)! * 2]!;
  const photo = decodeImage(rig.image).rgba;
  // The lip's own tone: the middle of the upper lip, on the photo.
  const lipAt = (x: number) => {
    const y = Math.round(
      (interpolateY(rig.mesh, rig.regions.lipsUpperOuter!, x) + interpolateY(rig.mesh, upper, x)) / 2,
    );
    return luma(photo, (y * rig.width + Math.round(x)) * 4);
  };
  const lipLuma = lipAt((l + r) / 2);
  let teeth = 0;
  let dark = 0;
  let all = 0;
  for (let x = Math.round(l + 0.1 * (r - l)); x <= l + 0.9 * (r - l); x++) {
    const top = Math.round(interpolateY(rig.mesh, upper, x));
    const bottom = Math.round(interpolateY(rig.mesh, lowerOuter, x));
    for (let y = top; y < bottom; y++) {
      const o = (y * rig.width + x) * 4;
      const v = luma(px, o);
      const chroma = Math.max(px[o]!, px[o + 1]!, px[o + 2]!) - Math.min(px[o]!, px[o + 1]!, px[o + 2]!);
      if (v > lipLuma * 1.25 && chroma < 45) teeth++;
      else if (v < lipLuma * 0.5) dark++;
      all++;
    }
  }
  return { teeth: teeth / all, dark: dark / all };
}

describe('closed mouth of a laughing photo', () => {
  it('the photo shows teeth and a dark mouth (so the check below can fail)', () => {
    const s = openShare(decodeImage(rig.image).rgba);
    expect(s.teeth).toBeGreaterThan(0.15);
    expect(s.dark).toBeGreaterThan(0.08);
  });

  it('at rest the lips cover its teeth and its dark band', () => {
    const renderer = createCpuRenderer(rig, { idleCache: false });
    const s = openShare(renderer.render(restFace, 0, 'rgba').data);
    renderer.close();
    expect(s.teeth).toBeLessThan(0.02);
    // Was 0.11 with the lower inner lip left on the lower teeth.
    expect(s.dark).toBeLessThan(0.03);
  });
});
