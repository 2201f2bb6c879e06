import { describe, expect, it } from 'vitest';
import { withTimeout } from './index.js';

const never = new Promise<number>(() => {});

describe('withTimeout', () => {
  it('passes the value or the rejection of a promise that settles in time', async () => {
    await expect(withTimeout(Promise.resolve(7), 1000)).resolves.toBe(7);
    await expect(withTimeout(Promise.reject(new Error('no')), 1000)).rejects.toThrow('no');
  });

  it('gives undefined, or the error asked for, when the promise does not settle in time', async () => {
    await expect(withTimeout(never, 20)).resolves.toBeUndefined();
    await expect(withTimeout(never, 20, () => new Error('late'))).rejects.toThrow('late');
  });
});
