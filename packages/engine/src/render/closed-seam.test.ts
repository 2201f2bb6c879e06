// The closed mouth's seam, on pixels. On the teeth-showing photo (face-api sample 3, right person; its closed pose
// is synthesised) the lips meet in a soft shaded band 3–4 px tall (the upper lip's underside in shadow, the lower
// lip's top turning into the light), not a pen line with a light line beside it. The illustrated avatar (drawn
// closed) has a shaded upper lip that darkens down to a fine line on a lit lower lip: a band there was read by the
// face-landmark model as a narrow opening. Checked down the columns at the mouth's middle on the rest frame.
import { beforeAll, describe, expect, it } from 'vitest';
import { restFace } from '../animation/params.js';
import { findPublicAvatar } from '../avatars/catalog.js';
import { ingestFace } from '../face/ingest-face.js';
import type { Rig } from '../face/rig.js';
import { cropJpeg, faceApiSample, SAMPLE3_RIGHT_PERSON } from '../face/testing/face-api-samples.js';
import { createCpuRenderer } from './cpu-renderer.js';

let photo: Rig;
let illustrated: Rig;
beforeAll(async () => {
  photo = (
    await ingestFace(await cropJpeg(await faceApiSample(3), SAMPLE3_RIGHT_PERSON), { aspectRatio: '4:3' })
  ).rig;
  illustrated = await findPublicAvatar('ada')!.loadRig('4:3');
});

/** Luma down column x of the rest frame, from the upper lip's outer edge to the lower lip's (photo landmarks). */
function profile(rig: Rig, dx: number): number[] {
  const renderer = createCpuRenderer(rig, { idleCache: false });
  const px = renderer.render(restFace, 0, 'rgba').data;
  renderer.close();
  const x = Math.round((rig.mesh[13 * 2]! + rig.mesh[14 * 2]!) / 2) + dx;
  const out: number[] = [];
  for (let y = Math.floor(rig.mesh[0 * 2 + 1]!); y <= Math.ceil(rig.mesh[17 * 2 + 1]!); y++) {
    const o = (y * rig.width + x) * 4;
    out.push(0.299 * px[o]! + 0.587 * px[o + 1]! + 0.114 * px[o + 2]!);
  }
  return out;
}

/**
 * The seam around the darkest row: its band (rows darker than halfway to the lips 4 px off), `below` (rows under
 * it still in shadow: more than a tenth of the depth under the lower lip 4 px down), steps, spikes.
 */
function seamOf(luma: number[]) {
  const inner = luma.slice(2, -2);
  const at = 2 + inner.indexOf(Math.min(...inner));
  const min = luma[at]!;
  const lips = (luma[Math.max(0, at - 4)]! + luma[Math.min(luma.length - 1, at + 4)]!) / 2;
  const half = (min + lips) / 2;
  let band = 1;
  for (let y = at - 1; y >= 0 && luma[y]! < half; y--) band++;
  for (let y = at + 1; y < luma.length && luma[y]! < half; y++) band++;
  const lower = luma[Math.min(luma.length - 1, at + 4)]!;
  let below = 0;
  for (let y = at + 1; y < at + 4 && luma[y]! < lower - 0.1 * (lower - min); y++) below++;
  let spike = 0;
  let step = 0;
  for (let y = Math.max(1, at - 4); y <= Math.min(luma.length - 2, at + 4); y++) {
    spike = Math.max(spike, luma[y]! - Math.max(luma[y - 1]!, luma[y + 1]!));
    step = Math.max(step, Math.abs(luma[y]! - luma[y - 1]!));
  }
  return { depth: lips - min, band, below, spike, step };
}

describe('closed seam', () => {
  it('teeth-showing photo: a dark band ≥ 3 px ramping gradually, no 1 px highlight line beside it', () => {
    for (const dx of [-3, 0, 3]) {
      const s = seamOf(profile(photo, dx));
      // The lips do meet in a visible shadow…
      expect(s.depth, `column ${dx}`).toBeGreaterThan(15);
      // …that is a band, not a pen line (was 1–2 rows, now 3–4)…
      expect(s.band, `column ${dx}`).toBeGreaterThanOrEqual(3);
      // …with no light line beside it (was 6–15 luma over both neighbours, now under 2)…
      expect(s.spike, `column ${dx}`).toBeLessThan(4);
      // …and ramping: no row-to-row jump of most of its depth (was 0.65–2 of it, now 0.4–0.6).
      expect(s.step, `column ${dx}`).toBeLessThan(0.62 * s.depth);
    }
  });

  it('illustrated avatar: the lips meet in a fine line, not a dark band, with no highlight line beside it', () => {
    for (const dx of [-3, 0, 3]) {
      const s = seamOf(profile(illustrated, dx));
      // The upper lip's underside and the line stand well below the lit lower lip…
      expect(s.depth, `column ${dx}`).toBeGreaterThan(15);
      // …and the lower lip is lit from its top: at most a row of shadow under the line (the shaded band left 2,
      // and the landmark model read it as an opening)…
      expect(s.below, `column ${dx}`).toBeLessThanOrEqual(1);
      // …with no light line beside it.
      expect(s.spike, `column ${dx}`).toBeLessThan(4);
    }
  });

  it('illustrated: the upper lip is shaded, not flat (its middle lighter than its underside)', () => {
    const luma = profile(illustrated, 0);
    const inner = luma.slice(2, -2);
    const seam = 2 + inner.indexOf(Math.min(...inner));
    const upper = luma.slice(1, seam - 2);
    // Was one flat luma (81) from its top to the seam; now lit at the top and darkening towards it.
    expect(Math.max(...upper) - Math.min(...upper)).toBeGreaterThan(8);
  });
});
