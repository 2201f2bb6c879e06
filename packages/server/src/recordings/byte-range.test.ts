import { describe, expect, it } from 'vitest';
import { resolveByteRange } from './byte-range.js';

describe('resolveByteRange', () => {
  const size = 1000;
  it.each([
    ['bytes=0-99', { kind: 'partial', range: { start: 0, end: 99 } }],
    ['bytes=900-', { kind: 'partial', range: { start: 900, end: 999 } }],
    ['bytes=900-5000', { kind: 'partial', range: { start: 900, end: 999 } }],
    ['bytes=-100', { kind: 'partial', range: { start: 900, end: 999 } }],
    ['bytes=-5000', { kind: 'partial', range: { start: 0, end: 999 } }],
    ['bytes=999-999', { kind: 'partial', range: { start: 999, end: 999 } }],
    ['bytes=1000-', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    // Ignored (the whole file): no header, malformed, several ranges, other units, last before first.
    [undefined, { kind: 'whole' }],
    ['bytes=', { kind: 'whole' }],
    ['bytes=-', { kind: 'whole' }],
    ['bytes=0-1,5-9', { kind: 'whole' }],
    ['items=0-1', { kind: 'whole' }],
    ['bytes=50-10', { kind: 'whole' }],
    ['bytes=a-b', { kind: 'whole' }],
  ])('%s', (header, answer) => {
    expect(resolveByteRange(header, size)).toEqual(answer);
  });

  it('refuses every range of an empty file', () => {
    expect(resolveByteRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(resolveByteRange('bytes=-1', 0)).toEqual({ kind: 'unsatisfiable' });
  });
});
