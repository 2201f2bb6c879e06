import { describe, expect, it } from 'vitest';
import { SentenceChunker, splitIntoSentences } from './sentence-splitter.js';

describe('sentence splitting', () => {
  it('does not cut at abbreviations, initials, decimals, list numbers or before lower case', () => {
    expect(
      splitIntoSentences(
        'Dr. Smith costs $3.50 per visit, e.g. on Mon. mornings. J. R. Tolkien wrote it! Is it 2.5 km? Yes... Go now.',
      ),
    ).toEqual([
      'Dr. Smith costs $3.50 per visit, e.g. on Mon. mornings.',
      'J. R. Tolkien wrote it!',
      'Is it 2.5 km?',
      'Yes...',
      'Go now.',
    ]);
    expect(splitIntoSentences('Steps:\n1. Open the box.\n2. Take it out.')).toEqual([
      'Steps:',
      '1. Open the box.',
      '2. Take it out.',
    ]);
    expect(splitIntoSentences('He said "Stop." Then he left. Visit example.com today.')).toEqual([
      'He said "Stop."',
      'Then he left.',
      'Visit example.com today.',
    ]);
  });

  it('emits each sentence as soon as the next word shows it is complete, whatever the token split', () => {
    const text = 'Hello there. The price is $20.99 per month! Mr. Jones agrees. Bye';
    const expected = splitIntoSentences(text);
    expect(expected).toEqual(['Hello there.', 'The price is $20.99 per month!', 'Mr. Jones agrees.', 'Bye']);
    for (const size of [1, 2, 3, 5, 8]) {
      const chunker = new SentenceChunker();
      const got: string[] = [];
      const emittedAt: number[] = [];
      for (let i = 0; i < text.length; i += size) {
        const out = chunker.push(text.slice(i, i + size));
        got.push(...out);
        for (const _ of out) emittedAt.push(i + size);
      }
      got.push(...chunker.flush());
      expect(got).toEqual(expected);
      // "Hello there." is out once the "T" of the next sentence has arrived, not at the end of the stream.
      expect(emittedAt[0]).toBeLessThanOrEqual(text.indexOf('The') + size);
    }
  });

  it('cuts an over-long run-on sentence at a clause boundary', () => {
    const chunker = new SentenceChunker({ maxChars: 60, minClauseChars: 20 });
    const out = chunker.push(
      'This sentence goes on and on without stopping, because the model likes commas, and it keeps going',
    );
    expect(out[0]).toBe('This sentence goes on and on without stopping,');
    expect(out.every((s) => s.length <= 60)).toBe(true);
    expect(chunker.flush().join(' ')).toContain('keeps going');
  });
});
