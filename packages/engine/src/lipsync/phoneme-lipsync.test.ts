import type { TimedPhoneme } from '@agenthuman/media';
import { describe, expect, it } from 'vitest';
import { FliteTTS } from '../tts/flite.js';
import { keyframesFromPhonemes } from './phoneme-lipsync.js';

function timeline(...parts: [string, number][]): TimedPhoneme[] {
  let t = 0;
  return parts.map(([phoneme, ms]) => {
    const p = { phoneme, startMs: t, endMs: t + ms };
    t += ms;
    return p;
  });
}

const frameAt = (frames: ReturnType<typeof keyframesFromPhonemes>, p: TimedPhoneme) =>
  frames[Math.round((p.startMs + p.endMs) / 2 / 40)]!;

describe('keyframesFromPhonemes', () => {
  it('closes the mouth fully on each p of "pa-pa-pa" and opens it on each a', () => {
    const phonemes = timeline(
      ['pau', 200],
      ['p', 70],
      ['aa', 160],
      ['p', 50],
      ['aa', 160],
      ['p', 30],
      ['aa', 200],
      ['pau', 200],
    );
    const frames = keyframesFromPhonemes(phonemes);
    expect(frames).toHaveLength(Math.ceil(1070 / 40) + 1);
    expect(frames.every((f, k) => f.ptsMs === k * 40)).toBe(true);
    for (const p of phonemes.filter((x) => x.phoneme === 'p')) expect(frameAt(frames, p).jawOpen).toBe(0);
    for (const a of phonemes.filter((x) => x.phoneme === 'aa'))
      expect(frameAt(frames, a).jawOpen).toBeGreaterThan(0.6);
  });

  it('rounds and narrows the lips for "oo" and widens them for "ee"', () => {
    const oo = timeline(['pau', 100], ['uw', 240], ['pau', 100]);
    const ee = timeline(['pau', 100], ['iy', 240], ['pau', 100]);
    const round = frameAt(keyframesFromPhonemes(oo), oo[1]!);
    const wide = frameAt(keyframesFromPhonemes(ee), ee[1]!);
    expect(round.mouthRound).toBeGreaterThan(0.8);
    expect(round.mouthWidth).toBeLessThan(0.3);
    expect(wide.mouthWidth).toBeGreaterThan(0.8);
    expect(wide.mouthRound).toBeLessThan(0.1);
  });

  it('tucks the lower lip for f and v', () => {
    const phonemes = timeline(['pau', 100], ['aa', 150], ['f', 40], ['aa', 150], ['pau', 100]);
    const tuck = frameAt(keyframesFromPhonemes(phonemes), phonemes[2]!);
    expect(tuck.lowerLip).toBeGreaterThanOrEqual(0.9);
    expect(tuck.jawOpen).toBeLessThanOrEqual(0.1);
  });

  it('rests in silence and eases in and out of speech', () => {
    const silent = keyframesFromPhonemes(timeline(['pau', 1000]));
    expect(silent.every((f) => f.jawOpen === 0 && f.mouthWidth === 0.5 && f.mouthRound === 0)).toBe(true);
    const frames = keyframesFromPhonemes(timeline(['pau', 400], ['aa', 400], ['pau', 400]));
    const jaw = frames.map((f) => f.jawOpen);
    expect(jaw[0]).toBeLessThan(0.01);
    expect(jaw.at(-1)).toBeLessThan(0.01);
    expect(Math.max(...jaw)).toBeGreaterThan(0.8);
    // No frame-to-frame jump from rest to wide open: the movement takes several frames.
    for (let i = 1; i < jaw.length; i++) expect(Math.abs(jaw[i]! - jaw[i - 1]!)).toBeLessThan(0.5);
    expect(jaw.some((v) => v > 0.2 && v < 0.7)).toBe(true);
  });

  it('closes the lips on every p, b and m of real Flite speech', async () => {
    const { phonemes } = await new FliteTTS().synthesize('Bob made a big map of the pampas.');
    const frames = keyframesFromPhonemes(phonemes);
    const closures = phonemes.filter((p) => ['p', 'b', 'm'].includes(p.phoneme));
    expect(closures.length).toBeGreaterThanOrEqual(7);
    for (const p of closures) expect(frameAt(frames, p).jawOpen).toBe(0);
    // Shut on every frame inside the closure, not only its middle one (the animator presses the lips on those).
    let inside = 0;
    for (const p of closures) {
      for (let k = Math.ceil(p.startMs / 40); k * 40 <= p.endMs; k++, inside++)
        expect(frames[k]!.jawOpen).toBe(0);
    }
    expect(inside).toBeGreaterThan(closures.length);
    const open = phonemes.filter((p) => ['aa', 'ae'].includes(p.phoneme));
    for (const p of open) expect(frameAt(frames, p).jawOpen).toBeGreaterThan(0.3);
  });
});
