import { describe, expect, it } from 'vitest';
import { FliteSpeech } from './flite/flite-speech.js';
import { trimLeadingSilence } from './trim-leading-silence.js';

const firstLoud = (pcm: Int16Array) => pcm.findIndex((s) => Math.abs(s) >= 1000);

describe('trimLeadingSilence', () => {
  it("cuts Flite's opening pause to a 10 ms lead-in and moves the phonemes with the audio", async () => {
    const speech = await new FliteSpeech().synthesize('A standard service costs 49 dollars.');
    expect(firstLoud(speech.pcm) / 16).toBeGreaterThan(150); // Flite opens with ~220 ms of pau
    const trimmed = trimLeadingSilence(speech);
    const cut = speech.pcm.length - trimmed.pcm.length;
    expect(cut / 16).toBeGreaterThan(100);
    // The same samples from the cut on, the first sound 10 ms (plus its quiet onset) in.
    expect(trimmed.pcm).toEqual(speech.pcm.subarray(cut));
    const firstSound = trimmed.pcm.findIndex((s) => Math.abs(s) >= 100);
    expect(firstSound).toBe(160);
    expect(firstLoud(trimmed.pcm) / 16).toBeGreaterThanOrEqual(10);
    expect(firstLoud(trimmed.pcm) / 16).toBeLessThan(70);
    // Phonemes: contiguous from 0 to the end, the spoken ones shifted by exactly the cut.
    expect(trimmed.phonemes[0]!.startMs).toBe(0);
    for (let i = 1; i < trimmed.phonemes.length; i++)
      expect(trimmed.phonemes[i]!.startMs).toBeCloseTo(trimmed.phonemes[i - 1]!.endMs, 6);
    expect(trimmed.phonemes.at(-1)!.endMs).toBeCloseTo(speech.phonemes.at(-1)!.endMs - cut / 16, 6);
    const spoken = (p: { phoneme: string }) => p.phoneme !== 'pau';
    expect(trimmed.phonemes.find(spoken)!.startMs).toBeCloseTo(
      speech.phonemes.find(spoken)!.startMs - cut / 16,
      6,
    );
    expect(trimmed.hasPhonemes).toBe(true);
  });

  it('leaves silence and audio that opens at once alone', () => {
    const silent = { sampleRate: 16000 as const, pcm: new Int16Array(1600), phonemes: [] };
    expect(trimLeadingSilence(silent)).toBe(silent);
    const loud = { sampleRate: 16000 as const, pcm: new Int16Array(1600).fill(3000), phonemes: [] };
    expect(trimLeadingSilence(loud)).toBe(loud);
  });
});
