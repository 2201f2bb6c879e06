// The card is the video's rest frame: for a photo showing its teeth, the preview shows the closed mouth the
// video rests on, not the photo's grin (face-api sample 3, read from node_modules in tests only).
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { restFace } from '../animation/params.js';
import { ingestFace, previewOf } from '../face/ingest-face.js';
import type { Rig } from '../face/rig.js';
import { cropJpeg, faceApiSample, SAMPLE3_RIGHT_PERSON } from '../face/testing/face-api-samples.js';
import { createCpuRenderer } from './cpu-renderer.js';
import { decodeImage } from './decode-image.js';
import { renderRestFrame } from './rest-frame.js';

let rig: Rig;
beforeAll(async () => {
  rig = (
    await ingestFace(await cropJpeg(await faceApiSample(3), SAMPLE3_RIGHT_PERSON), { aspectRatio: '1:1' })
  ).rig;
});

/** Mean absolute difference per channel over the mouth's box (corners and lips from the mesh). */
function mouthDifference(a: Uint8Array, b: Uint8Array): number {
  const xs = [61, 291].map((i) => rig.mesh[i * 2]!);
  const ys = [0, 17].map((i) => rig.mesh[i * 2 + 1]!);
  let sum = 0;
  let n = 0;
  for (let y = Math.floor(ys[0]!); y <= ys[1]!; y++) {
    for (let x = Math.floor(xs[0]!); x <= xs[1]!; x++) {
      for (let c = 0; c < 3; c++)
        sum += Math.abs(a[(y * rig.width + x) * 4 + c]! - b[(y * rig.width + x) * 4 + c]!);
      n += 3;
    }
  }
  return sum / n;
}

describe('rest frame (cards and stills)', () => {
  it('is exactly the frame the video shows at rest, and not the photo as given', async () => {
    const png = await renderRestFrame(rig);
    const still = decodeImage(png).rgba;
    const renderer = createCpuRenderer(rig, { idleCache: false });
    const video = renderer.render(restFace, 0, 'rgba').data;
    renderer.close();
    expect(Buffer.compare(Buffer.from(still), Buffer.from(video))).toBe(0);
    // The photo grins; the rest frame has its lips closed, so the mouth differs visibly.
    expect(mouthDifference(still, decodeImage(rig.image).rgba)).toBeGreaterThan(8);
  });

  it("ingest's preview is the rest frame, scaled", async () => {
    const preview = await sharp(await previewOf(rig, rig.width))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([preview.info.width, preview.info.height]).toEqual([rig.width, rig.height]);
    const rest = decodeImage(await renderRestFrame(rig)).rgba;
    const photo = decodeImage(rig.image).rgba;
    const rgba = new Uint8Array(rig.width * rig.height * 4);
    for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
      rgba.set(preview.data.subarray(j, j + 3), i);
      rgba[i + 3] = 255;
    }
    // JPEG noise aside, the preview's mouth is the rest frame's, not the photo's.
    expect(mouthDifference(rgba, rest)).toBeLessThan(mouthDifference(rgba, photo) / 2);
  });
});
