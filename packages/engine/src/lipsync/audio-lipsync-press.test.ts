// The closure the audio path hands the animator (MouthKeyframe.closure): on a voice the model was never fitted on
// (Flite rms), an m/b/p presses the lips even where the jaw stays a little open, open vowels do not, and noise
// bursts, music and silence never do. Fixtures are synthesised and seeded, so every run sees the same audio.
import { beforeAll, describe, expect, it } from 'vitest';
import type { MouthKeyframe } from '../animation/params.js';
import { AudioLipSync } from './audio-lipsync.js';
import { synthesizeCorpus, type Utterance } from './calibrate/corpus.js';
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

describe('AudioLipSync closure (the lips pressed)', () => {
  let speech: Utterance[];
  beforeAll(async () => {
    const rms = heldOutSources.find((s) => s.synth === 'flite' && s.voice === 'rms');
    if (!rms) throw new Error('flite rms is no longer a held-out voice; pick another for this test');
    speech = await synthesizeCorpus(sentences, rms, 40);
  });

  it('presses the lips on most p/b/m (at the closure or the frame after) and not on open vowels', () => {
    const closures: number[] = [];
    const vowels: number[] = [];
    for (const u of speech) {
      const keys = keyframes(u.pcm);
      const closure = (f: number) => keys[f]?.closure ?? 0;
      for (const p of u.phonemes) {
        const f = Math.round((p.startMs + p.endMs) / 2 / 40);
        if (closurePhonemes.has(p.phoneme)) closures.push(Math.max(closure(f), closure(f + 1)));
        else if (OPEN_VOWELS.has(p.phoneme) && p.endMs - p.startMs >= 60) vowels.push(closure(f));
      }
    }
    expect(closures.length).toBeGreaterThanOrEqual(12);
    expect(closures.filter((c) => c >= 0.5).length / closures.length).toBeGreaterThanOrEqual(0.7);
    expect(vowels.filter((c) => c > 0.2).length / vowels.length).toBeLessThanOrEqual(0.1);
  });

  it('never presses on silence', () => {
    const silence = new Int16Array(16000);
    expect(keyframes(silence).every((k) => (k.closure ?? 0) === 0)).toBe(true);
  });
});
