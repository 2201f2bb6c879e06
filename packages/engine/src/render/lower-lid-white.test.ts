import { describe, expect, it } from 'vitest';
import { restFace } from '../animation/params.js';
import { findPublicAvatar } from '../avatars/catalog.js';
import { tiltedPortraitRig } from '../face/testing/tilted-portrait.js';
import { createCpuRenderer } from './cpu-renderer.js';
import { whiteBelowLowerLid } from './lower-lid-white.js';

// The tilted photo's right eye: near its inner corner the landmark lower lid sits 6 rows inside the eye's white.
// A shut lid that stopped at the landmark left that white showing under the lashes (the eye looked half open).

const packed = (f: Uint8Array) => new Int32Array(f.buffer, f.byteOffset, f.byteLength >> 2);

describe('a shut eye whose landmark lower lid sits inside the white', () => {
  it('covers the white under it (the tilted photo)', async () => {
    const { rig } = await tiltedPortraitRig();
    const r = createCpuRenderer(rig, { idleCache: false });
    const open = r.render(restFace, 0, 'rgba').data.slice();
    const shut = r.render({ ...restFace, blinkLeft: 1, blinkRight: 1 }, 40, 'rgba').data.slice();
    r.close();
    const low = rig.regions.rightEyeLower0!;
    const white = (f: Uint8Array) =>
      Math.max(...whiteBelowLowerLid(packed(f), rig.width, rig.height, rig.mesh, low));
    expect(white(open)).toBeGreaterThanOrEqual(5);
    // Shut it still showed 6 rows of white there; now none that the lid's rim would not explain.
    expect(white(shut)).toBe(0);
  });

  it('leaves the photo avatars, whose landmarks follow the lid, as they were', async () => {
    for (const slug of ['eileen', 'victor', 'amara', 'jonah', 'ada', 'nora']) {
      const rig = await findPublicAvatar(slug)!.loadRig('4:3');
      const r = createCpuRenderer(rig, { idleCache: false });
      const open = r.render(restFace, 0, 'rgba').data.slice();
      r.close();
      for (const side of ['left', 'right'] as const) {
        const low = rig.regions[`${side}EyeLower0`]!;
        expect(
          Math.max(...whiteBelowLowerLid(packed(open), rig.width, rig.height, rig.mesh, low)),
          slug,
        ).toBe(0);
      }
    }
  });
});
