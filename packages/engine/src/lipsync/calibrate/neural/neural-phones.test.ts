// The neural voices' phonemisation needs no Python: every phone Flite's lexicon gives the English corpus has IPA
// each model knows, and the models' frame counts become contiguous ARPAbet timings.
import { describe, expect, it } from 'vitest';
import { loadFliteModule } from '../../../tts/flite.js';
import { diphthongs, visemes } from '../../visemes.js';
import { generatedSentences, testSentences, trainSentences } from '../sentences.js';
import { ipaTables, type NeuralEngine, phonemesFromFrames, symbolsFor } from './neural-phones.js';
import { wordsOf } from './neural-tts.js';

/**
 * Copies of the models' symbol sets (Piper en_US-joe-medium.onnx.json `phoneme_id_map`, Kokoro vocab.json), so
 * this test runs without the venv; neural_tts.py checks the real ones and refuses unknown symbols.
 */
const known: Record<NeuralEngine, Set<string>> = {
  piper: new Set([
    ...' !"#$\'(),-.0123456789:;?^_abcdefhijklmnopqrstuvwxyzæçðøħŋœǀǁǂǃɐɑɒɓɔɕɖɗɘəɚɛɜɞɟɠɡɢɣɤɥɦɧɨɪɫɬɭɮɯɰɱɲɳɴɵɶɸɹɺɻɽɾʀʁʂʃʄʈʉʊʋʌʍʎʏʐʑʒʔʕʘʙʛʜʝʟʡʢʰʲˈˌːˑ˞ˤβεθχᵻ↓ⱱ',
  ]),
  kokoro: new Set([
    ...';:,.!?—…"()“” ̃ʣʥʦʨᵝꭧAIOQSTWYᵊabcdefhijklmnopqrstuvwxyzɑɐɒæβɔɕçɖðʤəɚɛɜɟɡɥɨɪʝɯɰŋɳɲɴøɸθœɹɾɻʁɽʂʃʈʧʊʋʌɣɤχʎʒʔˈˌːʰʲ↓→↗↘ᵻ',
  ]),
};

describe('neural voices phonemisation', () => {
  it("maps every phone of the English corpus (Flite's lexicon) to symbols both models know", async () => {
    const flite = await loadFliteModule();
    const sentences = [...trainSentences, ...testSentences, ...generatedSentences(40, 7)];
    const phones = new Set<string>();
    for (const text of sentences) {
      const words = wordsOf(text, flite);
      expect(words.length).toBeGreaterThan(2);
      for (const w of words) for (const p of w.phones) phones.add(p);
      for (const engine of ['piper', 'kokoro'] as const) {
        for (const s of symbolsFor(engine, words))
          expect(known[engine].has(s.ipa), `${engine} ${s.ipa}`).toBe(true);
      }
    }
    expect(phones.size).toBeGreaterThan(35);
    for (const p of phones) {
      expect(visemes[p] ?? diphthongs[p], p).toBeDefined();
      for (const engine of ['piper', 'kokoro'] as const)
        expect(ipaTables[engine][p], `${engine} ${p}`).toBeDefined();
    }
  }, 60_000);

  it('stresses the first vowel of content words and reduces function words', () => {
    const words = [
      { text: 'the', phones: ['dh', 'ah'], punct: '' },
      { text: 'cup', phones: ['k', 'ah', 'p'], punct: '.' },
    ];
    expect(
      symbolsFor('piper', words)
        .map((s) => s.ipa)
        .join(''),
    ).toBe('ðə kˈʌp.');
    expect(
      symbolsFor('kokoro', words)
        .map((s) => s.ipa)
        .join(''),
    ).toBe('ðə kˈʌp.');
    expect(() => symbolsFor('piper', [{ text: 'x', phones: ['qq'], punct: '' }])).toThrow(/no IPA/);
  });

  it('turns frame counts into contiguous phonemes, a word gap shared by its neighbours', () => {
    const symbols = symbolsFor('piper', [
      { text: 'mile', phones: ['m', 'ay'], punct: '' },
      { text: 'bee', phones: ['b', 'iy'], punct: '.' },
    ]);
    // m ˈ a ɪ ␣ b ˈ i ː .
    expect(symbols.map((s) => s.ipa)).toEqual(['m', 'ˈ', 'a', 'ɪ', ' ', 'b', 'ˈ', 'i', 'ː', '.']);
    const phonemes = phonemesFromFrames(
      symbols,
      { lead: 2, frames: [3, 1, 4, 2, 2, 3, 1, 5, 1, 6], tail: 1 },
      10,
    );
    expect(phonemes.map((p) => [p.phoneme, p.startMs, p.endMs])).toEqual([
      ['pau', 0, 20],
      ['m', 20, 50],
      ['ay', 50, 130],
      ['b', 130, 170],
      ['iy', 170, 240],
      ['pau', 240, 310],
    ]);
    expect(() => phonemesFromFrames(symbols, { lead: 0, frames: [1], tail: 0 }, 10)).toThrow(/durations/);
  });
});
