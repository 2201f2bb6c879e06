import { describe, expect, it } from 'vitest';
import { FliteSpeech } from '../tts/flite/flite-speech.js';
import { firstSentencePieces, openingClause } from './opening-clause.js';

describe('openingClause', () => {
  it('cuts at the first clause boundary followed by a space, with where each piece ends', () => {
    const sentence = "I'm sorry, I don't have information about that.";
    expect(openingClause(sentence)).toEqual([
      { text: "I'm sorry,", end: 10 },
      { text: "I don't have information about that.", end: sentence.length },
    ]);
    expect(openingClause('Sure; express repairs are done the same day.')[0]!.text).toBe('Sure;');
    expect(openingClause('Well — the shop opens at nine on Saturdays.')[0]!.text).toBe('Well —');
  });

  it('keeps a sentence whole without a boundary, with numbers, or when the rest is short', () => {
    for (const sentence of [
      'A standard service costs 49 dollars and takes two days.',
      'It costs 1,000 dollars and opens at 9:30 every morning.',
      'Yes, it is.',
      ', and then we close for the rest of the day.',
    ]) {
      expect(openingClause(sentence)).toEqual([{ text: sentence, end: sentence.length }]);
    }
  });

  it('splits only for Flite: a cloud voice starts a clause about as late as a sentence', () => {
    const sentence = "I'm sorry, I don't have information about that.";
    expect(firstSentencePieces(new FliteSpeech(), sentence)).toHaveLength(2);
    const cloud = { provider: 'elevenlabs', voices: [], synthesize: new FliteSpeech().synthesize };
    expect(firstSentencePieces(cloud, sentence)).toEqual([{ text: sentence, end: sentence.length }]);
  });
});
