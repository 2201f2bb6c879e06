import { describe, expect, it } from 'vitest';
import { restFace } from '../animation/params.js';
import { createCpuRenderer } from '../render/cpu-renderer.js';
import { luma } from '../render/testing/rig-curves.js';
import { findPublicAvatar } from './catalog.js';

// The drawn liner's flick at the outer corner reached past where the closing lid's lens ends: shut, its tip was
// left alone on the skin as a dark dot (ada, nora). The flick now ends inside what the closed lid covers.

describe('a drawn eye with a liner flick, shut', () => {
  it.each(['ada', 'nora'])('%s: leaves no dot of the flick beyond the outer corner', async (slug) => {
    const rig = await findPublicAvatar(slug)!.loadRig('4:3');
    const r = createCpuRenderer(rig, { idleCache: false });
    const open = r.render(restFace, 0, 'rgba').data.slice();
    const shut = r.render({ ...restFace, blinkLeft: 1, blinkRight: 1 }, 40, 'rgba').data;
    r.close();
    for (const side of ['left', 'right'] as const) {
      const up = rig.regions[`${side}EyeUpper0`]!;
      // The lists run from the outer corner to the inner one.
      const [ox, oy] = [rig.mesh[up[0]! * 2]!, rig.mesh[up[0]! * 2 + 1]!];
      const dir = Math.sign(ox - rig.mesh[up.at(-1)! * 2]!);
      // Skin: a little further out from the corner, level with it.
      const skin = luma(open, Math.round(oy) * rig.width + Math.round(ox + dir * 16));
      let flickOpen = 0;
      let flickShut = 0;
      // Beyond the outer corner and above it, where the flick rises (short of the hair at the temple).
      for (let k = 1; k <= 7; k++)
        for (let y = Math.round(oy) - 7; y <= Math.round(oy) - 2; y++) {
          const i = y * rig.width + Math.round(ox + dir * k);
          if (luma(open, i) < skin - 50) flickOpen++;
          if (luma(shut, i) < skin - 50) flickShut++;
        }
      // There is a flick, open.
      expect(flickOpen, `${side} eye open`).toBeGreaterThan(3);
      // Shut, its tip stayed: 3-4 dark pixels per eye.
      expect(flickShut, `${side} eye shut`).toBe(0);
    }
  });
});
