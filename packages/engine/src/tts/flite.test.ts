import { TtsError } from '@agenthuman/media';
import { describe, expect, it } from 'vitest';
import { FliteTTS, splitSentences } from './flite.js';
import { parsePsdur } from './psdur.js';

const rms = (pcm: Int16Array, from: number, to: number) => {
  let s = 0;
  for (let i = from; i < to; i++) s += (pcm[i]! / 32768) ** 2;
  return Math.sqrt(s / Math.max(1, to - from));
};

describe('FliteTTS', () => {
  const tts = new FliteTTS();

  it('speaks text as 16 kHz audio with phonemes covering its whole duration', async () => {
    const result = await tts.synthesize('Hello there, nice to meet you.');
    expect(result.sampleRate).toBe(16000);
    const durationMs = (result.pcm.length / 16000) * 1000;
    expect(durationMs).toBeGreaterThan(1000);
    expect(durationMs).toBeLessThan(4000);
    expect(result.phonemes[0]!.startMs).toBe(0);
    expect(result.phonemes.at(-1)!.endMs).toBeCloseTo(durationMs, 6);
    for (let i = 1; i < result.phonemes.length; i++) {
      expect(result.phonemes[i]!.startMs).toBe(result.phonemes[i - 1]!.endMs);
      expect(result.phonemes[i]!.endMs).toBeGreaterThan(result.phonemes[i]!.startMs);
    }
    expect(result.phonemes.map((p) => p.phoneme)).toEqual(
      expect.arrayContaining(['hh', 'n', 'm', 'iy', 'uw']),
    );
    // The audio is loud where the phonemes say speech and quiet in the leading pause.
    const vowel = result.phonemes.find((p) => p.phoneme === 'iy')!;
    const at = (ms: number) => Math.round((ms / 1000) * 16000);
    expect(rms(result.pcm, at(vowel.startMs), at(vowel.endMs))).toBeGreaterThan(0.02);
    const pause = result.phonemes[0]!;
    expect(pause.phoneme).toBe('pau');
    expect(rms(result.pcm, 0, at(pause.endMs) - 400)).toBeLessThan(0.005);
  });

  it('resamples the 8 kHz voice to 16 kHz and joins sentences with shifted timings', async () => {
    const one = await tts.synthesize('Good morning.', { voice: 'kal' });
    const two = await tts.synthesize('Good morning. Good morning.', { voice: 'kal' });
    expect(two.pcm.length).toBe(2 * one.pcm.length);
    const firstM = one.phonemes.find((p) => p.phoneme === 'm')!;
    const secondM = two.phonemes.filter((p) => p.phoneme === 'm')[1]!;
    expect(secondM.startMs).toBeCloseTo(firstM.startMs + (one.pcm.length / 16000) * 1000, 6);
  });

  it('rejects empty text, unknown voices and aborted requests', async () => {
    await expect(tts.synthesize('  ... ')).rejects.toMatchObject({ code: 'TTS_EMPTY_TEXT' });
    await expect(tts.synthesize('hi', { voice: 'nobody' })).rejects.toBeInstanceOf(TtsError);
    const controller = new AbortController();
    controller.abort();
    await expect(tts.synthesize('Hello.', { signal: controller.signal })).rejects.toThrow(/abort/i);
  });
});

describe('Flite text helpers', () => {
  it('parses -psdur end times into contiguous phonemes', () => {
    expect(parsePsdur('pau:0.100 hh:0.150 ay:0.300 pau:0.450\n', 460)).toEqual([
      { phoneme: 'pau', startMs: 0, endMs: 100 },
      { phoneme: 'hh', startMs: 100, endMs: 150 },
      { phoneme: 'ay', startMs: 150, endMs: 300 },
      { phoneme: 'pau', startMs: 300, endMs: 460 },
    ]);
  });

  it('splits sentences and drops ones with nothing to say', () => {
    expect(splitSentences('Hi there. How are you?  Fine! ...')).toEqual([
      'Hi there.',
      'How are you?',
      'Fine!',
    ]);
  });
});
