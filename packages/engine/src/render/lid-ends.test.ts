// A closed eye's inner end on every photo avatar, on rendered pixels. The closing lid is drawn as a lens wider than
// the eye (its lashes reach past the landmark corners) that reaches under the lower lid near the inner corner; at
// full height its end drew a vertical cut between the stretched lid and the skin beyond (jonah's closed eyes: a
// step of up to 27 levels from one column to the next). It now turns into the skin past its end.
import { describe, expect, it } from 'vitest';
import { PUBLIC_AVATARS } from '../avatars/catalog.js';
import type { Rig } from '../face/rig.js';
import { poseParams } from './contact-sheet.js';
import { createCpuRenderer } from './cpu-renderer.js';

const photos = PUBLIC_AVATARS.filter((a) => a.kind === 'photo');

/** Per eye, the steepest step from one column to the next across the lens's last rows at its inner end. */
function innerEndSteps(rig: Rig): number[] {
  const renderer = createCpuRenderer(rig, { idleCache: false });
  const closed = renderer.render(poseParams('blink'), 0, 'rgba').data.slice();
  const open = renderer.render(poseParams('rest'), 40, 'rgba').data.slice();
  renderer.close();
  const luma = (d: Uint8Array, x: number, y: number) => {
    const o = (y * rig.width + x) * 4;
    return 0.299 * d[o]! + 0.587 * d[o + 1]! + 0.114 * d[o + 2]!;
  };
  const noseX = rig.mesh[1 * 2]!;
  const nearNose = (a: number, b: number) => (Math.abs(a - noseX) < Math.abs(b - noseX) ? a : b);
  return (['left', 'right'] as const).map((eye) => {
    const upper = rig.regions[`${eye}EyeUpper0`]!;
    const lower = rig.regions[`${eye}EyeLower0`]!;
    const xs = upper.map((i) => rig.mesh[i * 2]!);
    const cx = xs.reduce((s, v) => s + v, 0) / xs.length;
    // The lens's inner end: the lid's end towards the nose, pushed out from the eye's middle as the lens is.
    const endX = Math.round(nearNose(cx + (Math.min(...xs) - cx) * 1.36, cx + (Math.max(...xs) - cx) * 1.36));
    const innerLow = lower.reduce((a, b) =>
      nearNose(rig.mesh[a * 2]!, rig.mesh[b * 2]!) === rig.mesh[a * 2]! ? a : b,
    );
    const lowY = Math.round(rig.mesh[innerLow * 2 + 1]!);
    // What the closing made: the open eye's own steps are left out.
    let worst = 0;
    for (let y = lowY - 3; y <= lowY + 1; y++)
      for (let x = endX - 1; x <= endX + 2; x++) {
        const step = Math.abs(luma(closed, x, y) - luma(closed, x - 1, y));
        const was = Math.abs(luma(open, x, y) - luma(open, x - 1, y));
        worst = Math.max(worst, step - was);
      }
    return Math.round(worst);
  });
}

describe('closed eyes on the photo avatars', () => {
  it('the closed lid ends without a vertical cut at the inner corners', async () => {
    const steps: number[] = [];
    for (const avatar of photos) steps.push(...innerEndSteps(await avatar.loadRig('4:3')));
    // The median of the eight ends (a few step at a lash or a brow whatever the lens does: victor's right eye 22
    // either way): 18.5 levels before (8–33), 7.5 now (4–22).
    steps.sort((a, b) => a - b);
    expect(steps.length).toBe(8);
    expect((steps[3]! + steps[4]!) / 2).toBeLessThan(10);
  });
});
