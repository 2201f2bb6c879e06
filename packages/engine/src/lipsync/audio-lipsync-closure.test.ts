// The fitted model on a voice it was never fitted on (Flite rms, held out in calibrate/voices.ts): the lips shut
// on p/b/m, and noise bursts, music and silence leave the mouth at rest. Fixtures are synthesised and seeded, so
// every run sees the same audio.
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizeCorpus, type Utterance } from './calibrate/corpus.js';
import { predictJaw, scoreStillness } from './calibrate/evaluate.js';
import { heldOutSources } from './calibrate/voices.js';
import { closurePhonemes } from './visemes.js';

const OPEN_VOWELS = new Set(['aa', 'ae', 'ah', 'ao', 'aw', 'ay', 'eh', 'ow']);
const sentences = [
  'Mend the coat before you go out.',
  'Bubbles of foam popped on the warm water.',
  'The meal was cooked before the bell rang.',
  'Please remember to bring your passport.',
];

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

  it('keeps the mouth at rest on noise bursts, music and silence', () => {
    for (const [i, u] of speech.slice(0, 2).entries()) {
      const still = scoreStillness(u.pcm, 31 + i);
      expect(still.burstMaxJaw).toBeLessThanOrEqual(0.15);
      expect(still.silenceMaxJaw).toBeLessThan(0.02);
      expect(still.musicMeanJaw).toBeLessThan(0.1);
    }
  });
});
