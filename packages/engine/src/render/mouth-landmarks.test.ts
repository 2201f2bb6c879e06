// The closed mouth of a teeth-showing photo as the face-landmark model we ship reads it (its inner-lip gap over the
// iris distance, Human's mesh without rotation, as bench/lipsync-pixels.ts measures): at rest at three head turns,
// and on the m/b/p frames of a Flite sentence (each closure's middle frame, phoneme path). The model reads no
// closed mouth as a zero gap: on 14 real closed mouths framed like an avatar it reads 0–0.091, median 0.023,
// closed smiles 0.053, and half pass the 2 % rule (bench/lipsync-pixels.ts, `real_closed_mouths`). Before the
// lower lip rose whole in the closed pose it read this photo's rest at 0.057 and its m/b/p frames at a median
// 0.051; then 0.041 and 0.035; with m/b/p pressed (lips compressed and rolled in, lip-seal.ts) the closures 0.015.
import { beforeAll, describe, expect, it } from 'vitest';
import { createAnimator } from '../animation/animator.js';
import { STEP } from '../animation/head-motion.js';
import { restFace } from '../animation/params.js';
import { PUBLIC_AVATARS } from '../avatars/catalog.js';
import type { Rig } from '../face/rig.js';
import { median, renderedLipGap, teethPhotoRig } from '../face/testing/teeth-photo.js';
import { keyframesFromPhonemes } from '../lipsync/phoneme-lipsync.js';
import { loadFliteModule, synthesizeWithFlite } from '../tts/flite.js';
import { createCpuRenderer } from './cpu-renderer.js';

let rig: Rig;
beforeAll(async () => {
  rig = await teethPhotoRig();
});

const gapOf = (rgba: Uint8Array | Uint8ClampedArray) => renderedLipGap(rig, rgba);

describe('a teeth-showing photo as the face-landmark model reads it', () => {
  it('reads its rendered closed mouth within the range of real closed mouths, and open vowels far wider', async () => {
    const renderer = createCpuRenderer(rig, { idleCache: false });
    const rest: number[] = [];
    for (const headYaw of [-0.03, 0, 0.03]) {
      rest.push(await gapOf(renderer.render({ ...restFace, headYaw }, 0, 'rgba').data));
    }
    const { phonemes } = synthesizeWithFlite(
      await loadFliteModule(),
      'Maybe the brown puppy may bump the lamp.',
      'slt',
    );
    const keys = keyframesFromPhonemes(phonemes, { frameMs: 40 });
    const closures = new Set(
      phonemes.filter((p) => 'mbp'.includes(p.phoneme)).map((p) => Math.round((p.startMs + p.endMs) / 80)),
    );
    const animator = createAnimator({ seed: 7 });
    const closure: number[] = [];
    const open: number[] = [];
    for (let k = 0; k < keys.length; k++) {
      const params = animator.step(k * 40, keys[k]!);
      const scored = closures.has(k) ? closure : keys[k]!.jawOpen > 0.5 ? open : undefined;
      if (scored) scored.push(await gapOf(renderer.render(params, k * 40, 'rgba').data));
    }
    renderer.close();
    expect(closure.length).toBeGreaterThanOrEqual(6);
    // Open vowels are read as open, so the checks below can fail.
    expect(median(open)).toBeGreaterThan(0.15);
    expect(median(rest)).toBeLessThan(0.05);
    // Pressed (m, b, p) the lips read tighter than the relaxed rest closure, and most meet by the issue's
    // absolute rule, a gap under 2 % of the iris distance (9 of 11 here, median 0.015; rest 0.039).
    expect(median(closure)).toBeLessThan(0.02);
    expect(median(closure)).toBeLessThan(median(rest) - 0.01);
    expect(closure.filter((g) => g < 0.02).length / closure.length).toBeGreaterThanOrEqual(0.7);
  }, 120_000);
});

describe('a full press on the teeth-showing photo as the face-landmark model reads it', () => {
  it('meets the lips at every speech tilt and with a nod, not only with the head leaned one way', async () => {
    const renderer = createCpuRenderer(rig, { idleCache: false });
    const gaps: number[] = [];
    // The speech lattice's held tilts (-5, 0, 5 steps) and a nod's chin-down pitch; the mouth as the animator
    // presses it mid-sentence (jaw shut, the smile relaxed to a width of 0.38).
    for (const headPitch of [0, -8 * STEP])
      for (const headRoll of [-5 * STEP, 0, 5 * STEP]) {
        const params = { ...restFace, mouthWidth: 0.38, lipPress: 1, headPitch, headRoll };
        gaps.push(await gapOf(renderer.render(params, 0, 'rgba').data));
      }
    renderer.close();
    // Measured 0.003–0.009. With the smile's V kept pressed (before lip-seal.ts flattened it) 0.009–0.015 at
    // -5 steps and 0.023 at 0 and +5 (a nod did not help): the audio path's "pressed but read open" m/b/p sat on +5.
    expect(Math.max(...gaps)).toBeLessThan(0.02);
  }, 60_000);
});

describe('a partial press as the face-landmark model reads it', () => {
  // Real lips touch early in a bilabial closure and then compress, so a moderate press already meets. Before the
  // press mapping (lip-seal.ts pressedShare) a press of 0.4 showed 0.4 of the pressed pose: the photo read 0.013,
  // 0.014 and 0.021 at tilts -5, 0, +5 steps, the illustrated avatar 0.014–0.015 (bench/lipsync-pixel-press-grid.ts:
  // 39 % / 72 % of its grid meeting at 0.4); now 0.006–0.013 and 0.006–0.010 (a full press reads 0.003–0.010).
  it.each(['teeth-photo', 'illustrated'])(
    '%s: meets from a press of 0.4 at every speech tilt, and reads open without one',
    async (which) => {
      const avatar = PUBLIC_AVATARS.find((a) => a.kind === 'illustrated')!;
      const target = which === 'teeth-photo' ? rig : await avatar.loadRig('4:3');
      const renderer = createCpuRenderer(target, { idleCache: false });
      const gap = async (params: typeof restFace) =>
        renderedLipGap(target, renderer.render(params, 0, 'rgba').data);
      const pressed: number[] = [];
      const relaxed: number[] = [];
      for (const headRoll of [-5 * STEP, 0, 5 * STEP]) {
        const mouth = { ...restFace, mouthWidth: 0.38, headRoll };
        pressed.push(await gap({ ...mouth, lipPress: 0.4 }));
        relaxed.push(await gap(mouth));
      }
      renderer.close();
      // Unpressed, the closed mouth reads over the rule on the photo (0.03–0.04), so the check can fail.
      if (which === 'teeth-photo') expect(Math.min(...relaxed)).toBeGreaterThan(0.02);
      expect(Math.max(...pressed)).toBeLessThan(0.02);
      // The illustrated avatar met before too, but nearer the rule than a full press.
      if (which === 'illustrated') expect(median(pressed)).toBeLessThan(0.012);
    },
    60_000,
  );
});
