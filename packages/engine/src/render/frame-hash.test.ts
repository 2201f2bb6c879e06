import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAnimator } from '../animation/animator.js';
import type { MouthParams } from '../animation/params.js';
import { findPublicAvatar } from '../avatars/catalog.js';
import { createCpuRenderer } from './cpu-renderer.js';
import { hypot1 } from './lens-fill.js';

// The renderer's per-frame scratch is reused between frames (to keep the render workers' garbage down): these
// hashes of a fixed frame sequence were computed before that change, so a reused buffer that leaks state from one
// frame into the next, or any other change to the pixels, fails here.

/** A speech-like mouth track (bench/speech-mouth.ts): syllables, rounding, a lower-lip tuck every 23 frames. */
function mouth(i: number): MouthParams {
  const syl = Math.abs(Math.sin(i * 0.55)) * (0.6 + 0.4 * Math.sin(i * 0.13));
  return {
    jawOpen: syl,
    mouthWidth: 0.5 + 0.35 * Math.sin(i * 0.21),
    mouthRound: Math.max(0, Math.sin(i * 0.17)) * 0.8,
    upperLip: 0.2 * Math.max(0, Math.sin(i * 0.4)),
    lowerLip: i % 23 < 2 ? 1 : 0,
  };
}

async function hashFrames(slug: string, frames: number): Promise<string> {
  const rig = await findPublicAvatar(slug)!.loadRig('4:3');
  const renderer = createCpuRenderer(rig);
  const animator = createAnimator({ seed: 3 });
  const hash = createHash('sha256');
  for (let k = 0; k < frames; k++) {
    // Speech, then idle (the pose cache), with the eyes looking about in some stretches and a forced blink.
    const params = animator.step(k * 40, k % 200 < 140 ? mouth(k) : null);
    if (k % 90 > 60) {
      params.gazeX = 0.6 * Math.sin(k * 0.3);
      params.gazeY = 0.4 * Math.cos(k * 0.2);
    }
    if (k % 50 < 4) params.blinkLeft = params.blinkRight = [0.3, 0.7, 1, 0.5][k % 50]!;
    hash.update(renderer.renderView(params, k * 40, 'i420').data);
    if (k % 37 === 0) hash.update(renderer.renderView(params, k * 40, 'rgba').data);
  }
  renderer.close();
  return hash.digest('hex');
}

describe('CPU renderer output', () => {
  it.each([
    ['eileen', '79d75f59c5a6a86e90e11a6d72d2b76724f751197b269523288948b82913a225'],
    ['victor', '2d0f3680e4f1bfefcc6136f12a0b7292ed4fd6f1b63a1de583694b495ffa40a7'],
    ['ada', '1a96796bf9cbd592690a19852c2380c3d65b8b868486908c684073b168c1499f'],
  ])(
    '%s: 400 frames hash as before the scratch reuse',
    async (slug, expected) => {
      expect(await hashFrames(slug, 400)).toBe(expected);
    },
    60_000,
  );
});

describe('hypot1', () => {
  it('is Math.hypot(1, s) to the bit', () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 100_000; i++) {
      const s = (next() - 0.5) * 10 ** (next() * 8 - 4);
      expect(hypot1(s)).toBe(Math.hypot(1, s));
    }
    for (const s of [
      0,
      -0,
      1,
      -1,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
      1e300,
      1e-300,
    ])
      expect(hypot1(s)).toBe(Math.hypot(1, s));
  });
});
