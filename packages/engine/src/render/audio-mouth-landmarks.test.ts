// The audio-only lip-sync's m/b/p on rendered pixels, read by the face-landmark model we ship (inner-lip gap over the
// iris distance, Human's mesh without rotation, as bench/lipsync-pixels.ts measures), on the teeth-showing photo and a
// voice the lip-sync model was never fitted on (Flite rms). Where the audio path presses, the lips must meet by the
// issue's rule (gap under 2 % of the iris distance), and its closures overall read tighter than the rest closure. The
// closures the closure output misses altogether are the model's (bench/lipsync-pixel-closures.ts sorts them).
import { beforeAll, describe, expect, it } from 'vitest';
import { createAnimator } from '../animation/animator.js';
import { restFace } from '../animation/params.js';
import type { Rig } from '../face/rig.js';
import { median, renderedLipGap, teethPhotoRig } from '../face/testing/teeth-photo.js';
import { AudioLipSync } from '../lipsync/audio-lipsync.js';
import { loadFliteModule, synthesizeWithFlite } from '../tts/flite.js';
import { createCpuRenderer } from './cpu-renderer.js';

let rig: Rig;
beforeAll(async () => {
  rig = await teethPhotoRig();
});

const gapOf = (rgba: Uint8Array | Uint8ClampedArray) => renderedLipGap(rig, rgba);

describe('the audio path on a teeth-showing photo as the face-landmark model reads it', () => {
  it('meets the lips where it presses on m/b/p, and reads its closures tighter than the rest', async () => {
    const renderer = createCpuRenderer(rig, { idleCache: false });
    const rest = await gapOf(renderer.render(restFace, 0, 'rgba').data);
    const module = await loadFliteModule();
    const pressed: number[] = [];
    const closures: number[] = [];
    const open: number[] = [];
    const openPress: number[] = [];
    for (const text of ['My brother bought a map of Boston.', 'Maybe the brown puppy may bump the lamp.']) {
      const { pcm, phonemes } = synthesizeWithFlite(module, text, 'rms');
      const sync = new AudioLipSync({ frameMs: 40 });
      const keys = [...sync.push(pcm), ...sync.flush()];
      const middle = (p: { startMs: number; endMs: number }) => Math.round((p.startMs + p.endMs) / 80);
      const mbp = new Set(phonemes.filter((p) => 'mbp'.includes(p.phoneme)).map(middle));
      const vowels = new Set(phonemes.filter((p) => ['aa', 'ao', 'aw'].includes(p.phoneme)).map(middle));
      const animator = createAnimator({ seed: 7 });
      for (let k = 0; k < keys.length; k++) {
        const params = animator.step(k * 40, keys[k]!);
        if (!mbp.has(k) && !vowels.has(k)) continue;
        const gap = await gapOf(renderer.render(params, k * 40, 'rgba').data);
        if (vowels.has(k)) {
          open.push(gap);
          openPress.push(params.lipPress ?? 0);
        } else {
          closures.push(gap);
          if ((params.lipPress ?? 0) >= 1) pressed.push(gap);
        }
      }
    }
    renderer.close();
    // Open vowels read open, so the checks below can fail.
    expect(open.length).toBeGreaterThanOrEqual(3);
    expect(median(open)).toBeGreaterThan(0.1);
    expect(openPress.every((p) => p < 0.5)).toBe(true);
    // Measured: all 17 closures pressed, 17 meet (median 0.005; rest 0.038). Before the press gate was chosen on
    // validation and a press shut the jaw too, this voice's closures were pressed on fewer frames and often apart.
    expect(closures.length).toBeGreaterThanOrEqual(12);
    expect(pressed.length / closures.length).toBeGreaterThanOrEqual(0.8);
    expect(pressed.filter((g) => g < 0.02).length / pressed.length).toBeGreaterThanOrEqual(0.8);
    expect(closures.filter((g) => g < 0.02).length / closures.length).toBeGreaterThanOrEqual(0.75);
    expect(median(closures)).toBeLessThan(rest - 0.01);
    // A full press reads as one whatever tilt the speech lattice holds (lip-seal.ts flattens the smile's upturned
    // seam): measured at most 0.011, median 0.005; with the smile's V kept pressed up to 0.020, median 0.013.
    expect(Math.max(...pressed)).toBeLessThan(0.015);
    expect(median(pressed)).toBeLessThan(0.008);
  }, 120_000);
});
