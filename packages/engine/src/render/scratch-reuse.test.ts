import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAnimator } from '../animation/animator.js';
import type { FaceParams } from '../animation/params.js';
import { findPublicAvatar } from '../avatars/catalog.js';
import { speechMouth } from '../face/testing/speech-mouth.js';
import { createCpuRenderer } from './cpu-renderer.js';
import { hypot1 } from './lens-fill.js';

// The renderer's per-frame scratch is reused between frames (to keep the render workers' garbage down). A buffer
// that leaks state from one frame into the next makes a frame depend on what was drawn before it: so every frame
// here is drawn twice, in forward and in reverse order by two renderers, and must come out byte for byte the same.

/** Speech, then idle (the pose cache), with the eyes looking about in some stretches and forced blinks. */
function track(frames: number): FaceParams[] {
  const animator = createAnimator({ seed: 3 });
  return Array.from({ length: frames }, (_, k) => {
    const params = { ...animator.step(k * 40, k % 200 < 140 ? speechMouth(k) : null) };
    if (k % 90 > 60) {
      params.gazeX = 0.6 * Math.sin(k * 0.3);
      params.gazeY = 0.4 * Math.cos(k * 0.2);
    }
    if (k % 50 < 4) params.blinkLeft = params.blinkRight = [0.3, 0.7, 1, 0.5][k % 50]!;
    return params;
  });
}

async function digests(slug: string, track: FaceParams[], order: number[]): Promise<string[]> {
  const rig = await findPublicAvatar(slug)!.loadRig('4:3');
  const renderer = createCpuRenderer(rig);
  const out: string[] = [];
  for (const k of order) {
    const hash = createHash('sha256').update(renderer.renderView(track[k]!, k * 40, 'i420').data);
    if (k % 37 === 0) hash.update(renderer.renderView(track[k]!, k * 40, 'rgba').data);
    out[k] = hash.digest('hex');
  }
  renderer.close();
  return out;
}

describe('CPU renderer output', () => {
  it.each(['eileen', 'victor', 'ada'])(
    '%s: a frame does not depend on the frames drawn before it',
    async (slug) => {
      const frames = track(240);
      const forward = frames.map((_, k) => k);
      const a = await digests(slug, frames, forward);
      const b = await digests(slug, frames, [...forward].reverse());
      const differing = a.flatMap((hash, k) => (hash === b[k] ? [] : [k]));
      expect(differing).toEqual([]);
      // Not a trivially equal sequence: the track moves the face.
      expect(new Set(a).size).toBeGreaterThan(200);
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
