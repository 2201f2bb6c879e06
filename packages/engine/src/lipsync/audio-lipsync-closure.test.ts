// The fitted model on a voice it was never fitted on (Flite rms, held out in calibrate/voices.ts): the lips shut
// on p/b/m (and the closure handed to the animator presses them), and noise bursts, music and silence leave the
// mouth at rest. Fixtures are synthesised and seeded, so
// every run sees the same audio.
import { beforeAll, describe, expect, it } from 'vitest';
import { FULL_PRESS_CLOSURE, type MouthKeyframe } from '../animation/params.js';
import { AudioLipSync } from './audio-lipsync.js';
import { synthesizeCorpus, type Utterance } from './calibrate/corpus.js';
import { predictJaw, scoreStillness, stillnessFixtures } from './calibrate/evaluate.js';
import { heldOutSources } from './calibrate/voices.js';
import { closurePhonemes } from './visemes.js';

const OPEN_VOWELS = new Set(['aa', 'ae', 'ah', 'ao', 'aw', 'ay', 'eh', 'ow']);
const sentences = [
  'Mend the coat before you go out.',
  'Bubbles of foam popped on the warm water.',
  'The meal was cooked before the bell rang.',
  'Please remember to bring your passport.',
];

function keyframes(pcm: Int16Array): MouthKeyframe[] {
  const sync = new AudioLipSync({ frameMs: 40 });
  const out: MouthKeyframe[] = [];
  for (let at = 0; at < pcm.length; at += 320) out.push(...sync.push(pcm.subarray(at, at + 320)));
  return [...out, ...sync.flush()];
}

describe('AudioLipSync on a held-out voice', () => {
  let speech: Utterance[];
  beforeAll(async () => {
    const rms = heldOutSources.find((s) => s.synth === 'flite' && s.voice === 'rms');
    if (!rms) throw new Error('flite rms is no longer a held-out voice; pick another for this test');
    speech = await synthesizeCorpus(sentences, rms, 40);
  });

  it('shuts the lips on most p/b/m frames while vowels stay open', () => {
    const closures: number[] = [];
    const vowels: number[] = [];
    for (const u of speech) {
      const jaw = predictJaw(u.pcm, 40);
      for (const p of u.phonemes) {
        const at = jaw[Math.round((p.startMs + p.endMs) / 2 / 40)]!;
        if (closurePhonemes.has(p.phoneme)) closures.push(at);
        else if (OPEN_VOWELS.has(p.phoneme) && p.endMs - p.startMs >= 60) vowels.push(at);
      }
    }
    expect(closures.length).toBeGreaterThanOrEqual(12);
    const shut = closures.filter((j) => j < 0.1).length / closures.length;
    expect(shut).toBeGreaterThanOrEqual(0.75);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(vowels)).toBeGreaterThan(0.3);
    expect(mean(closures)).toBeLessThan(mean(vowels) / 3);
  });

  it('presses the lips fully (MouthKeyframe.closure ≥ FULL_PRESS_CLOSURE) on most p/b/m, not on open vowels', () => {
    const onFrame: number[] = [];
    const closures: number[] = [];
    const vowels: number[] = [];
    for (const u of speech) {
      const keys = keyframes(u.pcm);
      const closure = (f: number) => keys[f]?.closure ?? 0;
      for (const p of u.phonemes) {
        const f = Math.round((p.startMs + p.endMs) / 2 / 40);
        if (closurePhonemes.has(p.phoneme)) {
          onFrame.push(closure(f));
          closures.push(Math.max(closure(f), closure(f + 1)));
        } else if (OPEN_VOWELS.has(p.phoneme) && p.endMs - p.startMs >= 60) vowels.push(closure(f));
      }
    }
    // Measured with the model refitted with the Kokoro voices (`fit.ts --neural-no-closure`) and its press gate:
    // 12 of 18 on the closure's own frame, 13 with the frame after, 1 of 18 open vowels over 0.2 (the smoothed
    // model before: 16, 16 and 2; the price of its held-out jaw gain, ARCHITECTURE.md lip-sync eighth pass).
    const full = (xs: number[]) => xs.filter((c) => c >= FULL_PRESS_CLOSURE).length / xs.length;
    expect(full(onFrame)).toBeGreaterThanOrEqual(0.65);
    expect(full(closures)).toBeGreaterThanOrEqual(0.7);
    expect(vowels.filter((c) => c > 0.2).length / vowels.length).toBeLessThanOrEqual(0.12);
    expect(keyframes(new Int16Array(16000)).every((k) => (k.closure ?? 0) === 0)).toBe(true);
  });

  it('keeps the mouth at rest on noise bursts, music and silence', () => {
    for (const [i, u] of speech.slice(0, 2).entries()) {
      const still = scoreStillness(u.pcm, 31 + i);
      expect(still.burstMaxJaw).toBeLessThanOrEqual(0.15);
      expect(still.silenceMaxJaw).toBeLessThan(0.02);
      expect(still.musicMeanJaw).toBeLessThan(0.1);
      // Nor do they press the lips: the animator's press (closure / FULL_PRESS_CLOSURE) stays under 0.15, the bound
      // validation keeps (calibrate/press-gate.ts). Measured on this held-out voice: one burst after speech 0.14
      // (0.07 with the press gate before), music 0.09 (0), silence 0.
      for (const f of stillnessFixtures(u.pcm, 31 + i)) {
        const press = keyframes(f.pcm)
          .slice(f.fromFrame)
          .map((k) => (k.closure ?? 0) / FULL_PRESS_CLOSURE);
        expect(Math.max(0, ...press), f.kind).toBeLessThan(0.15);
        if (f.kind === 'silence') expect(Math.max(0, ...press)).toBe(0);
      }
    }
  });
});
