import { describe, expect, it } from 'vitest';
import { findPublicAvatar } from '../avatars/catalog.js';
import { bundledPhotoAnalysis } from '../avatars/photo-landmarks.js';
import { decodeImage } from '../render/decode-image.js';
import { axisStretch, isIdentity, stretchSource, stretchTarget } from './edge-stretch.js';
import { alignFace, applyAffine, invertAffine } from './face-alignment.js';

describe('stretching a narrow photo to the frame', () => {
  it('keeps the core, reaches the frame edges from inside the photo, and never folds', () => {
    const s = axisStretch(640, 60, 560, 180, 460);
    for (const x of [180, 250, 320, 460]) expect(stretchSource(s, x)).toBeCloseTo(x, 9);
    expect(stretchSource(s, 0)).toBeGreaterThanOrEqual(60.5 - 1e-9);
    expect(stretchSource(s, 640)).toBeLessThanOrEqual(559.5 + 1e-9);
    let slopeMin = Number.POSITIVE_INFINITY;
    for (let x = 1; x <= 640; x++) slopeMin = Math.min(slopeMin, s.table[x]! - s.table[x - 1]!);
    expect(slopeMin).toBeGreaterThan(0.4);
    for (const x of [3.25, 100, 500.5, 637]) expect(stretchTarget(s, stretchSource(s, x))).toBeCloseTo(x, 6);
    // A photo that covers the frame is left as placed.
    expect(isIdentity(axisStretch(640, -5, 650, 180, 460))).toBe(true);
  });

  it("fills a 4:3 frame's sides with the narrower photo's own edge, not a blurred smear", async () => {
    // amara.jpg is the narrowest of the bundled photos at 4:3 (it covered 77–556 of 640 px before stretching).
    const analysis = await bundledPhotoAnalysis('amara');
    const rig = await findPublicAvatar('amara')!.loadRig('4:3');
    const { rgba, width, height } = decodeImage(rig.image);
    const { transform } = alignFace(
      analysis.mesh,
      analysis.image.width,
      analysis.image.height,
      width,
      height,
    );
    const inv = invertAffine(transform);
    const img = analysis.image;
    const luma = (d: ArrayLike<number>, o: number) => 0.299 * d[o]! + 0.587 * d[o + 1]! + 0.114 * d[o + 2]!;
    let diff = 0;
    let n = 0;
    // The frame's outer columns against the photo's outer columns, row by row (the vertical placement is as placed),
    // over the lower part where the shirt meets the frame's sides (the backdrop above is flat either way).
    for (let y = Math.round(0.7 * height); y < height; y++) {
      const sy = Math.min(img.height - 1, Math.max(0, Math.floor(applyAffine(inv, 0, y + 0.5)[1])));
      for (const [fx, px] of [
        [0, 0],
        [width - 1, img.width - 1],
      ] as const) {
        diff += Math.abs(luma(rgba, (y * width + fx) * 4) - luma(img.data, (sy * img.width + px) * 3));
        n++;
      }
    }
    // Stretched: ~0.9; the former blurred extension: ~8.9.
    expect(diff / n).toBeLessThan(3);
  }, 60_000);
});
