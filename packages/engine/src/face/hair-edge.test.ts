// Hair touching a side of a photo narrower than the frame ends along its own outline (hair-outline.ts); that end
// was soft over 16 px, so beside the tilted portrait's curls the frame showed a blurred halo round the hair, a
// soft outline no camera makes. The end is now soft over a few pixels, the curls' own texture setting where.
import { describe, expect, it } from 'vitest';
import { tiltedPortraitRig } from './testing/tilted-portrait.js';

describe('hair at the side of a narrow photo', () => {
  it('ends in a few pixels, not a blurred halo', { timeout: 60_000 }, async () => {
    const { rig, luma: l, photoX1: x1 } = await tiltedPortraitRig();
    const photoX1 = Math.round(x1);
    // Her hair touches the photo's right side from the top down to about the eyes. Per row: from where the hair
    // ends going outwards (the last column darker than 70 % of the backdrop beside it) to where the backdrop
    // begins (within 4 % of it).
    const eyeRow = Math.round(rig.mesh[263 * 2 + 1]!);
    const widths: number[] = [];
    for (let y = 10; y < eyeRow; y += 2) {
      const grey = l(photoX1 + 40, y);
      let end = -1;
      for (let x = photoX1 - 80; x < photoX1 + 20; x++) if (l(x, y) < 0.7 * grey) end = x;
      if (end < 0) continue;
      let x = end + 1;
      while (x < photoX1 + 40 && Math.abs(l(x, y) - grey) > 0.04 * grey) x++;
      widths.push(x - end);
    }
    expect(widths.length).toBeGreaterThan(40);
    widths.sort((a, b) => a - b);
    const median = widths[widths.length >> 1]!;
    // Soft over 16 px: median 5 px (up to 16); over 6 px: 3.
    expect(median).toBeLessThan(4);
  });
});
