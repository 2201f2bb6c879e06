import { describe, expect, it } from 'vitest';
import { restFace } from '../animation/params.js';
import { findPublicAvatar } from '../avatars/catalog.js';
import type { Rig } from '../face/rig.js';
import { createCpuRenderer } from './cpu-renderer.js';
import { curveAt, luma } from './testing/rig-curves.js';

// A glance shifts the iris sideways inside the opening. The rows over the lower lid were held in place (kept for
// its margin), so under the moved iris they kept the white that was there at rest: a white wedge under the iris of
// the drawn eyes (ada, nora) and a light band under eileen's.

/**
 * Per frame (rest, a glance left, a glance right) and eye: how far over the landmark lower lid the iris ends under
 * the pupil (px; the darkest column at the opening's mid-height and one either side): the last row, going down
 * from mid-height, that is still dark.
 */
function irisGaps(rig: Rig): number[][] {
  const r = createCpuRenderer(rig, { idleCache: false });
  const out: number[][] = [];
  for (const [t, gazeX] of [
    [0, 0],
    [40, -0.8],
    [80, 0.8],
  ] as const) {
    const f = r.render({ ...restFace, gazeX }, t, 'rgba').data;
    const gaps: number[] = [];
    for (const side of ['left', 'right'] as const) {
      const up = rig.regions[`${side}EyeUpper0`]!;
      const low = rig.regions[`${side}EyeLower0`]!;
      const xs = low.map((i) => rig.mesh[i * 2]!);
      const mid = (x: number) => Math.round((curveAt(rig, up, x + 0.5) + curveAt(rig, low, x + 0.5)) / 2);
      const cols: number[] = [];
      for (let x = Math.ceil(Math.min(...xs)) + 1; x < Math.max(...xs) - 1; x++) cols.push(x);
      const white = Math.max(...cols.map((x) => luma(f, mid(x) * rig.width + x)));
      // The pupil: the darkest column at mid-height, and a column either side.
      const pupil = cols.reduce((a, x) =>
        luma(f, mid(x) * rig.width + x) < luma(f, mid(a) * rig.width + a) ? x : a,
      );
      const each = [pupil - 1, pupil, pupil + 1].map((x) => {
        const lowY = curveAt(rig, low, x + 0.5);
        let y = mid(x);
        while (y + 1 < lowY + 1 && luma(f, (y + 1) * rig.width + x) < 0.5 * white) y++;
        return lowY - (y + 0.5);
      });
      gaps.push(each.reduce((a, b) => a + b, 0) / 3);
    }
    out.push(gaps);
  }
  r.close();
  return out;
}

describe('a glance', () => {
  it.each(['ada', 'nora', 'eileen'])('%s: the moved iris reaches the lower lid as at rest', async (slug) => {
    const rig = await findPublicAvatar(slug)!.loadRig('4:3');
    const [rest, ...glances] = irisGaps(rig);
    // Under ada's pupil glancing left the iris ended 2.4 px higher than at rest (a white wedge under it); now
    // every eye and glance ends within 0.7 px of rest.
    for (const gaps of glances)
      for (const [eye, gap] of gaps.entries()) expect(gap).toBeLessThan(rest![eye]! + 0.8);
  });
});
