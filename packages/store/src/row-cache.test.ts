import { describe, expect, it } from 'vitest';
import { RowCache } from './row-cache.js';

describe('RowCache', () => {
  it('serves a stored row until the id is invalidated', () => {
    const cache = new RowCache<string>();
    cache.set('a', 'one', cache.generation('a'));
    expect(cache.get('a')).toBe('one');
    cache.invalidate('a');
    expect(cache.get('a')).toBeUndefined();
  });

  it('drops a read that raced with a write to the same id', () => {
    const cache = new RowCache<string>();
    const before = cache.generation('a');
    cache.invalidate('a'); // a write lands while the read is in flight
    cache.set('a', 'stale', before);
    expect(cache.get('a')).toBeUndefined();
  });

  it('evicts the oldest entry beyond its capacity', () => {
    const cache = new RowCache<number>(2);
    for (const [i, id] of ['a', 'b', 'c'].entries()) cache.set(id, i, 0);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 1, 2]);
  });
});
