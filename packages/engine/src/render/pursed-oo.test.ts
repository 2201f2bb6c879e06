// The pursed "oo" on the photo avatars and the tilted photo, judged on rendered pixels: where the corners are held
// shut the lips are pressed together (lip colour across, no dark seam ends beside the oval), and the top of the
// opening is the inner lip or dark, not a thin grey arc of teeth.
import { describe, expect, it } from 'vitest';
import { PUBLIC_AVATARS } from '../avatars/catalog.js';
import type { Rig } from '../face/rig.js';
import { tiltedPortraitRig } from '../face/testing/tilted-portrait.js';
import { poseParams } from './contact-sheet.js';
import { createCpuRenderer } from './cpu-renderer.js';
import { posedMesh } from './testing/posed-mesh.js';

const photos = PUBLIC_AVATARS.filter((a) => a.kind === 'photo');
const cases: [string, () => Promise<Rig>][] = [
  ...photos.map((a): [string, () => Promise<Rig>] => [a.slug, () => a.loadRig('4:3')]),
  ['tilted photo', async () => (await tiltedPortraitRig()).rig],
];

/** y of a lip contour (x, y pairs along the landmark indices) at x, linearly between landmarks. */
function curveY(pts: Float32Array, idx: readonly number[], x: number): number | null {
  for (let i = 0; i + 1 < idx.length; i++) {
    const [ax, ay, bx, by] = [
      pts[idx[i]! * 2]!,
      pts[idx[i]! * 2 + 1]!,
      pts[idx[i + 1]! * 2]!,
      pts[idx[i + 1]! * 2 + 1]!,
    ];
    if ((x - ax) * (x - bx) <= 0 && ax !== bx) return ay + ((by - ay) * (x - ax)) / (bx - ax);
  }
  return null;
}

describe('the pursed "oo"', () => {
  it.each(cases)('%s: corners pressed shut in lip colour, no grey arc along the opening', async (_, load) => {
    const rig = await load();
    const oo = poseParams('oo');
    const { dest } = posedMesh(rig, oo);
    const renderer = createCpuRenderer(rig, { idleCache: false });
    const px = renderer.render(oo, 40, 'rgba').data;
    const luma = (x: number, y: number) => {
      const o = (y * rig.width + x) * 4;
      return 0.299 * px[o]! + 0.587 * px[o + 1]! + 0.114 * px[o + 2]!;
    };
    const up = rig.regions.lipsUpperInner!;
    const low = rig.regions.lipsLowerInner!;
    const xl = Math.min(dest[up[0]! * 2]!, dest[up[up.length - 1]! * 2]!);
    const xr = Math.max(dest[up[0]! * 2]!, dest[up[up.length - 1]! * 2]!);
    const seamDeficits: number[] = [];
    const arcs: number[] = [];
    for (let x = Math.ceil(xl) + 1; x < xr - 1; x++) {
      const yt = curveY(dest, up, x + 0.5);
      const yb = curveY(dest, low, x + 0.5);
      if (yt === null || yb === null) continue;
      const gapAt = (dx: number) =>
        (curveY(dest, low, x + 0.5 + dx) ?? yb) - (curveY(dest, up, x + 0.5 + dx) ?? yt);
      if ([-3, -2, -1, 0, 1, 2, 3].every((dx) => gapAt(dx) < 0.2)) {
        // Held shut (3 px from where the drawn opening, smoothed, begins): the seam's darkest pixel against the
        // lips 4 px above and below it.
        const seam = Math.floor((yt + yb) / 2);
        const lip = (luma(x, seam - 4) + luma(x, seam + 4)) / 2;
        const darkest = Math.min(luma(x, seam - 1), luma(x, seam), luma(x, seam + 1));
        seamDeficits.push(lip - darkest);
      } else if (yb - yt > 6) {
        // Well open: down from the upper lip to the cavity, no pixel brighter than the lip above it (a sliver of
        // teeth between the lip and the dark reads as a grey arc).
        const y0 = Math.floor(yt);
        const lip = luma(x, y0 - 3);
        let brightest = 0;
        for (let y = y0 - 1; y < y0 + 4; y++) brightest = Math.max(brightest, luma(x, y) - lip);
        arcs.push(brightest);
      }
    }
    expect(arcs.length).toBeGreaterThan(3);
    const worst = (v: number[]) => Math.max(...v);
    // Before (the photo's seam left squeezed, a sliver of teeth under the upper lip): seam 46–62 levels under the
    // lips, arc 53–68 over the lip above; after 8–25 and 0–12.
    if (seamDeficits.length) expect(worst(seamDeficits)).toBeLessThan(30);
    expect(worst(arcs)).toBeLessThan(20);
  });
});
