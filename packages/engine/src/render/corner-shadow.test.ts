// An open mouth's corners on every photo avatar, on rendered pixels: the closed photo's dark fold at each corner,
// stretched as the jaw drops, showed as a dark smudge beside each end of the opening (amara's "ah": 3×3 means of
// luma 20–30 against skin of ~120; the darkest 3×3 mean there 0.12–0.28 of the skin's). Lifted towards the skin around it, it stays a soft shade.
import { describe, expect, it } from 'vitest';
import { PUBLIC_AVATARS } from '../avatars/catalog.js';
import { basisNames } from './basis-names.js';
import { fillValues } from './basis-values.js';
import { poseParams } from './contact-sheet.js';
import { createCpuRenderer } from './cpu-renderer.js';
import { acquireRigData, releaseRigData } from './rig-data.js';

// victor's corners are in his beard: dark hair, not a fold, and left as it is (0.07–0.12 of the skin's luma).
const photos = PUBLIC_AVATARS.filter((a) => a.kind === 'photo' && a.slug !== 'victor');

describe('open mouth corners on the photo avatars', () => {
  it.each(photos.flatMap((a) => (['ah', 'oo'] as const).map((pose) => [a.slug, pose] as const)))(
    '%s: no dark smudge beside the ends of "%s"',
    async (slug, pose) => {
      const rig = await photos.find((a) => a.slug === slug)!.loadRig('4:3');
      const p = poseParams(pose);
      const renderer = createCpuRenderer(rig, { idleCache: false });
      const f = renderer.render(p, 0, 'rgba');
      renderer.close();
      const d = new Uint8Array(f.data.buffer, f.data.byteOffset, f.data.byteLength);
      const data = acquireRigData(rig);
      const values = new Float32Array(basisNames.length);
      fillValues(p, values);
      const mesh = data.mesh.rest.slice();
      basisNames.forEach((name, b) => {
        for (let i = 0; i < mesh.length; i++) mesh[i]! += data.mesh.bases[name][i]! * values[b]!;
      });
      releaseRigData(data);
      const upper = rig.regions.lipsUpperInner!;
      const lower = rig.regions.lipsLowerInner!;
      const luma = (x: number, y: number) => {
        let s = 0;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const o = ((y + dy) * rig.width + x + dx) * 4;
            s += 0.299 * d[o]! + 0.587 * d[o + 1]! + 0.114 * d[o + 2]!;
          }
        return s / 9;
      };
      const skin = 0.299 * rig.colors.skin[0] + 0.587 * rig.colors.skin[1] + 0.114 * rig.colors.skin[2];
      const half = (mesh[upper.at(-1)! * 2]! - mesh[upper[0]! * 2]!) / 2;
      // Rounded, the corners come in and leave the fold at the rest corner.
      const restHalf = (rig.mesh[upper.at(-1)! * 2]! - rig.mesh[upper[0]! * 2]!) / 2;
      const darkest: number[] = [];
      for (const [a, b, out] of [
        [upper[0]!, lower[0]!, -1],
        [upper.at(-1)!, lower.at(-1)!, 1],
      ] as const) {
        const cx = (mesh[a * 2]! + mesh[b * 2]!) / 2;
        const cy = (mesh[a * 2 + 1]! + mesh[b * 2 + 1]!) / 2;
        let min = Number.POSITIVE_INFINITY;
        // Past the corner (from 1 px out to a third of half the opening past the rest corner) and down the lower
        // lip's corner.
        for (let k = 1; k < half / 3 + Math.max(0, restHalf - half); k++)
          for (let y = Math.round(cy); y < cy + 11; y++)
            min = Math.min(min, luma(Math.round(cx + out * k), y));
        darkest.push(Math.round((min / skin) * 100) / 100);
      }
      // Before: 0.12–0.31 of the skin's luma; now 0.43–0.65.
      expect(Math.min(...darkest)).toBeGreaterThan(0.33);
    },
  );
});
