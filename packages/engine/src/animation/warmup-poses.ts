import { createAnimator } from './animator.js';
import { blendHeads } from './blend.js';
import type { FaceParams, MouthParams } from './params.js';
import { restMouth } from './params.js';

// The head poses speech, listening and thinking use (the lattice of head-motion.ts), found by running the
// animator through each mode, and every pose of the blends between modes (blend.ts), so a render worker can draw
// and cache them at start as it does the idle loop and a session's first replies do not pay for them. Mouth and
// eyes at rest: only the head is cached.

/** A jaw track with stresses and pauses, enough to visit every nod depth and every held tilt. */
function talk(i: number): MouthParams {
  if (i % 75 >= 66) return { ...restMouth };
  const stress = i % 31 < 3 ? 0.5 : 0;
  return { ...restMouth, jawOpen: Math.min(1, Math.abs(Math.sin(i * 0.5)) * 0.45 + stress) };
}

/**
 * The candidates, one animator step at a time (duplicates included): a worker draws them between frames, and
 * running all the animators at once took 0.2–0.6 s of its thread.
 */
export function* warmupPoseSteps(seeds = 4, seconds = 40): Generator<FaceParams> {
  for (let seed = 0; seed < seeds; seed++) {
    const a = createAnimator({ seed });
    const frames = seconds * 25;
    for (let i = 0; i < frames * 3; i++) {
      const block = Math.floor(i / frames);
      a.setIdleState(block === 1 ? 'listening' : block === 2 ? 'thinking' : 'idle');
      const p = a.step(i * 40, block === 0 ? talk(i) : null);
      if (!p.pose || p.idleFrame !== undefined) continue;
      yield {
        ...restMouth,
        blinkLeft: 0,
        blinkRight: 0,
        brows: p.pose.brows,
        headYaw: p.headYaw,
        headPitch: p.headPitch,
        headRoll: p.headRoll,
        breath: p.breath,
        pose: p.pose,
      };
    }
  }
  // Blends run between the idle loop's gates and the modes' entry poses, all listed (the default idle loop).
  const loop = createAnimator({ seed: 0 }).idleLoop;
  for (const { head, pose } of blendHeads(loop))
    yield { ...restMouth, blinkLeft: 0, blinkRight: 0, ...head, pose };
}

/** A pose's cache identity (the renderer's key: pose id, head angles, breathing, the pose's brows). */
export const warmupKey = (p: FaceParams): string =>
  `${p.pose?.frame ?? p.idleFrame}:${p.headYaw}:${p.headPitch}:${p.headRoll}:${p.breath}:${p.pose?.brows ?? p.brows}`;

export function warmupPoses(seeds = 4, seconds = 40): FaceParams[] {
  const seen = new Map<string, FaceParams>();
  for (const p of warmupPoseSteps(seeds, seconds)) if (!seen.has(warmupKey(p))) seen.set(warmupKey(p), p);
  return [...seen.values()];
}
