import { describe, expect, it } from 'vitest';
import { poseParams } from '../render/contact-sheet.js';
import { createCpuRenderer } from '../render/cpu-renderer.js';
import { luma } from '../render/testing/rig-curves.js';
import { findPublicAvatar } from './catalog.js';

// The drawn liner's flick was a stroked curve from the lid's second point to its tip, bending through the outer
// corner: it cut ~3 px inside the corner, where the lash line itself ends in a round cap, and turned up at its tip.
// The line's end read as two prongs with skin between them, ada's lash line doubled at the outer corner on the
// contact sheet (rest, the glances). Along each row beyond the corner, a pixel lighter than the dark line on both
// sides of it is that gap: before 32–62 levels over the darker side on ada, 45–101 on nora; now 1–5.
// (Half shut, the closing lid's lens moves the lid's part of the wing and not its tip, which leaves a 1 px notch
// whatever the wing's shape: 17–50 levels before, 5–47 now; not covered here.)

const POSES = ['rest', 'glance-left', 'glance-right'] as const;

describe('a drawn liner wing', () => {
  it.each(['ada', 'nora'])('%s: the lash line ends in one wing, not two prongs', async (slug) => {
    const rig = await findPublicAvatar(slug)!.loadRig('4:3');
    const r = createCpuRenderer(rig, { idleCache: false });
    const skin = 0.299 * rig.colors.skin[0] + 0.587 * rig.colors.skin[1] + 0.114 * rig.colors.skin[2];
    const gaps: string[] = [];
    let worst = 0;
    for (const [n, pose] of POSES.entries()) {
      const f = r.render(poseParams(pose), n * 40, 'rgba').data;
      for (const side of ['left', 'right'] as const) {
        const up = rig.regions[`${side}EyeUpper0`]!;
        // The lists run from the outer corner to the inner one.
        const [ox, oy] = [rig.mesh[up[0]! * 2]!, rig.mesh[up[0]! * 2 + 1]!];
        const out = Math.sign(ox - rig.mesh[up.at(-1)! * 2]!);
        const l = (x: number, y: number) => luma(f, y * rig.width + Math.round(ox) + out * x);
        const dark = 0.5 * skin;
        let gap = 0;
        for (let y = Math.round(oy) - 5; y <= Math.round(oy) + 2; y++)
          for (let k = -1; k <= 6; k++) {
            let inner = 255;
            let outer = 255;
            for (let j = 1; j <= 4; j++) {
              inner = Math.min(inner, l(k - j, y));
              outer = Math.min(outer, l(k + j, y));
            }
            if (inner < dark && outer < dark) gap = Math.max(gap, l(k, y) - Math.max(inner, outer));
          }
        gaps.push(`${pose} ${side} ${Math.round(gap)}`);
        worst = Math.max(worst, gap);
      }
    }
    r.close();
    expect(worst, gaps.join(', ')).toBeLessThan(10);
  });
});
