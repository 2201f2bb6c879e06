import { beforeAll, describe, expect, it } from 'vitest';
import { createAnimator } from '../animation/animator.js';
import type { FaceParams } from '../animation/params.js';
import { findPublicAvatar } from '../avatars/catalog.js';
import type { Rig } from '../face/rig.js';
import { createCpuRenderer } from '../render/cpu-renderer.js';
import type { Renderer } from '../render/renderer.js';
import { PoseWarmer, posesToWarm } from './pose-warmer.js';

let rig: Rig;
beforeAll(async () => {
  rig = await findPublicAvatar('eileen')!.loadRig('4:3');
});

const turn = () => new Promise((resolve) => setImmediate(resolve));
const poseKey = (p: FaceParams) =>
  `${p.pose?.frame ?? p.idleFrame}:${p.headYaw}:${p.headPitch}:${p.headRoll}:${p.breath}:${p.pose?.brows ?? p.brows}`;

/** A talking session's frames: the blend off the idle loop, nods and tilts, and the blend back. */
function sessionFrames(seed: number, count: number): FaceParams[] {
  const anim = createAnimator({ seed });
  return Array.from({ length: count }, (_, i) =>
    anim.step(
      i * 40,
      i >= 10 && i < count - 30
        ? {
            jawOpen: i % 7 === 0 ? 0.9 : 0.3 + 0.3 * Math.sin(i * 0.9),
            mouthWidth: 0.5,
            mouthRound: 0,
            upperLip: 0,
            lowerLip: 0,
          }
        : null,
    ),
  );
}

describe('pose warm-up in the render worker', () => {
  it('a warmed pose is a cache hit whose frame matches drawing the whole frame, after any warm', () => {
    const frames = sessionFrames(5, 140);
    const cached = createCpuRenderer(rig, { maxIdleFrames: 1000 });
    const warming = createCpuRenderer(structuredClone(rig), { maxIdleFrames: 1000 });
    const live = createCpuRenderer(rig, { idleCache: false });
    for (const [i, p] of frames.entries()) {
      // Another renderer of the avatar warms this frame's pose; this one warms the next frame's just before
      // drawing this one, so every draw follows a warm that left a head of another pose in its frame.
      warming.warmPose(p);
      expect(warming.warmPose(p)).toBe(false);
      const next = frames[i + 1];
      if (next) cached.warmPose(next);
      const c = cached.render(p, i * 40, 'i420');
      const l = live.render(p, i * 40, 'i420');
      let sum = 0;
      let max = 0;
      for (let k = 0; k < c.data.length; k++) {
        const d = Math.abs(c.data[k]! - l.data[k]!);
        sum += d;
        if (d > max) max = d;
      }
      // As the cached-against-whole-frame tests allow: sub-quarter-pixel snaps along edges.
      expect(max).toBeLessThanOrEqual(64);
      expect(sum / c.data.length).toBeLessThan(0.05);
    }
    const { poseCache } = cached.stats();
    expect(poseCache.drawn).toBe(0);
    expect(poseCache.full).toBe(0);
    expect(poseCache.hits).toBe(frames.length);
  });

  it('the warm-up list holds every head pose a talking session reaches', () => {
    const listed = new Set(posesToWarm().map(poseKey));
    for (const seed of [11, 12, 13]) {
      const missing = sessionFrames(seed, 400).filter((p) => !listed.has(poseKey(p)));
      expect(missing.map(poseKey)).toEqual([]);
    }
  });

  it('draws one pose a turn, only while the thread has nothing else waiting, and stops for a closed lane', async () => {
    // A fake renderer: counts the poses it was asked to warm (drawing none).
    const seen = new Set<string>();
    let asked = 0;
    const fake: Renderer = {
      width: 2,
      height: 2,
      render: () => {
        throw new Error('not drawn');
      },
      warmPose: (p) => {
        asked++;
        const key = poseKey(p);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      },
      close: () => undefined,
    };
    let busy = true;
    const warmer = new PoseWarmer(() => busy);
    warmer.add(1, fake);
    for (let k = 0; k < 5; k++) await turn();
    expect(warmer.drawn).toBe(0);
    busy = false;
    warmer.resume();
    for (let k = 0; k < 10; k++) await turn();
    // One drawn pose per turn at most.
    expect(warmer.drawn).toBeGreaterThan(0);
    expect(warmer.drawn).toBeLessThanOrEqual(10);
    const total = new Set(posesToWarm().map(poseKey)).size;
    // A second lane of the same avatar finds them drawn: lookups only.
    warmer.add(2, fake);
    for (let k = 0; k < 2000 && warmer.drawn < total; k++) await turn();
    expect(warmer.drawn).toBe(total);
    // The second lane finishes its lookups (64 a turn), then nothing more is asked.
    for (let k = 0; k < 30; k++) await turn();
    const after = asked;
    for (let k = 0; k < 20; k++) await turn();
    expect(asked).toBe(after);
    // A lane closed half-way is not warmed further.
    const other = new PoseWarmer(() => false);
    let drawnFor3 = 0;
    other.add(3, { ...fake, warmPose: () => ++drawnFor3 > 0 });
    for (let k = 0; k < 5; k++) await turn();
    other.remove(3);
    const stopped = drawnFor3;
    for (let k = 0; k < 5; k++) await turn();
    expect(drawnFor3).toBe(stopped);
  });
});
