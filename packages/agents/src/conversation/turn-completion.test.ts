import { describe, expect, it } from 'vitest';
import { turnCompletion } from './turn-completion.js';

describe('turnCompletion', () => {
  it('reads punctuation when the recogniser writes it', () => {
    expect(turnCompletion('How much does a standard service cost?')).toBe('complete');
    expect(turnCompletion('Thanks.')).toBe('complete');
    expect(turnCompletion('"Really!"')).toBe('complete');
    expect(turnCompletion('I would like to know,')).toBe('incomplete');
    expect(turnCompletion('So the thing is...')).toBe('incomplete');
    expect(turnCompletion('Well —')).toBe('incomplete');
  });

  it('without punctuation, a turn that stops on a word no sentence ends on is open', () => {
    expect(turnCompletion('how much does a standard service cost')).toBe('complete');
    expect(turnCompletion('when is the shop open')).toBe('complete');
    expect(turnCompletion('yes i do')).toBe('complete');
    expect(turnCompletion('thank you')).toBe('complete');
    expect(turnCompletion('tell me about that')).toBe('complete');
    expect(turnCompletion('can you tell me the price of')).toBe('incomplete');
    expect(turnCompletion('my question is about the')).toBe('incomplete');
    expect(turnCompletion('hello there and')).toBe('incomplete');
    expect(turnCompletion('um')).toBe('incomplete');
    expect(turnCompletion('  ')).toBe('incomplete');
  });

  it('uses the English word list only for English', () => {
    expect(turnCompletion('hello there and', 'en-US')).toBe('incomplete');
    expect(turnCompletion('wie spät ist es', 'de')).toBe('incomplete');
    expect(turnCompletion('Wie spät ist es?', 'de')).toBe('complete');
  });
});
