import { describe, expect, it } from 'vitest';
import { PcmStreamDecoder } from './pcm-stream-decoder.js';

function bytesOf(samples: number[]): Uint8Array {
  return new Uint8Array(new Int16Array(samples).buffer);
}

describe('PcmStreamDecoder', () => {
  it('reads little-endian int16 mono as is', () => {
    expect([...new PcmStreamDecoder(1).push(bytesOf([1, -2, 32767, -32768]))]).toEqual([
      1, -2, 32767, -32768,
    ]);
  });

  it('averages interleaved channels into mono', () => {
    const decoder = new PcmStreamDecoder(2);
    expect([...decoder.push(bytesOf([100, 300, -100, -300, 32767, 32767]))]).toEqual([200, -200, 32767]);
  });

  it('carries a sample or a frame split across chunks over to the next chunk', () => {
    const decoder = new PcmStreamDecoder(2);
    const all = bytesOf([10, 20, 30, 40, 50, 60]);
    const out = [
      ...decoder.push(all.subarray(0, 3)), // half of the second sample
      ...decoder.push(all.subarray(3, 7)), // ends inside the second frame
      ...decoder.push(all.subarray(7)),
    ];
    expect(out).toEqual([15, 35, 55]);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('holds an incomplete trailing frame back', () => {
    const decoder = new PcmStreamDecoder(3);
    expect(decoder.push(bytesOf([1, 2])).length).toBe(0);
    expect(decoder.pendingBytes).toBe(4);
  });

  it('refuses a channel count that is not a positive integer', () => {
    expect(() => new PcmStreamDecoder(0)).toThrow(RangeError);
    expect(() => new PcmStreamDecoder(1.5)).toThrow(RangeError);
  });
});
