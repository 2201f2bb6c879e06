// A half-closed lid on every photo avatar and the tilted photo, on rendered pixels. The warp drops the lid's margin
// faster than the ring above it, so the band between them (lashes, liner, the lid's fold) was drawn 1.6× taller at
// mid-blink: a soft, smeared lash line on stretched lid skin. The lens now slides that band down at its photographed
// scale; the lash line's edge stays about as sharp as on the open eye: the median of its steepest step over the open
// eye's, the softer eye of each face, was 0.67–0.78, now 0.85–0.96.
import { describe, expect, it } from 'vitest';
import { restFace } from '../animation/params.js';
import { PUBLIC_AVATARS } from '../avatars/catalog.js';
import type { Rig } from '../face/rig.js';
import { tiltedPortraitRig } from '../face/testing/tilted-portrait.js';
import { createCpuRenderer } from './cpu-renderer.js';
import { posedMesh } from './testing/posed-mesh.js';

const photos = PUBLIC_AVATARS.filter((a) => a.kind === 'photo');

/** y of the polyline through the listed points at x. */
function lineY(mesh: Float32Array, list: readonly number[], x: number): number {
  for (let i = 0; i + 1 < list.length; i++) {
    const ax = mesh[list[i]! * 2]!;
    const bx = mesh[list[i + 1]! * 2]!;
    if ((x - ax) * (x - bx) <= 0 && ax !== bx) {
      const t = (x - ax) / (bx - ax);
      return mesh[list[i]! * 2 + 1]! * (1 - t) + mesh[list[i + 1]! * 2 + 1]! * t;
    }
  }
  return Number.NaN;
}

/** Per eye, the median over its middle columns of the lash line's edge at mid-blink over the open eye's. */
function lashEdge(rig: Rig): number[] {
  const r = createCpuRenderer(rig, { idleCache: false });
  const half = { ...restFace, blinkLeft: 0.6, blinkRight: 0.6 };
  const open = r.render(restFace, 0, 'rgba').data.slice();
  const mid = r.render(half, 40, 'rgba').data.slice();
  r.close();
  const mesh = posedMesh(rig, half).dest;
  const luma = (f: Uint8Array, x: number, y: number) => {
    const o = (y * rig.width + x) * 4;
    return 0.299 * f[o]! + 0.587 * f[o + 1]! + 0.114 * f[o + 2]!;
  };
  // The steepest darkening going down over the rows around the margin (the lid's skin onto the lash line).
  const edge = (f: Uint8Array, x: number, margin: number) => {
    let best = 0;
    for (let y = Math.round(margin - 6); y <= Math.round(margin + 2); y++)
      best = Math.max(best, luma(f, x, y - 1) - luma(f, x, y));
    return best;
  };
  return (['left', 'right'] as const).map((side) => {
    const up = rig.regions[`${side}EyeUpper0`]!;
    const xs = up.map((i) => rig.mesh[i * 2]!);
    const [a, b] = [Math.min(...xs), Math.max(...xs)];
    const ratios: number[] = [];
    for (let x = Math.ceil(a + (b - a) * 0.25); x < a + (b - a) * 0.75; x++) {
      const e0 = edge(open, x, lineY(rig.mesh, up, x + 0.5));
      if (e0 < 8) continue;
      ratios.push(edge(mid, x, lineY(mesh, up, x + 0.5)) / e0);
    }
    ratios.sort((p, q) => p - q);
    return ratios[Math.floor(ratios.length / 2)] ?? 0;
  });
}

describe('a half-closed lid slides down whole', () => {
  it.each(photos.map((a) => a.slug))('%s: the lash line at mid-blink is as sharp as open', async (slug) => {
    const rig = await photos.find((a) => a.slug === slug)!.loadRig('4:3');
    const ratios = lashEdge(rig);
    expect(Math.min(...ratios)).toBeGreaterThan(0.82);
  });

  it('the tilted photo: the lash line at mid-blink is as sharp as open', { timeout: 60_000 }, async () => {
    const { rig } = await tiltedPortraitRig();
    const ratios = lashEdge(rig);
    expect(Math.min(...ratios)).toBeGreaterThan(0.82);
  });
});
