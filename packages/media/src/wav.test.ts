import { describe, expect, it } from 'vitest';
import { downmixToMono, float32ToPcm16, pcm16FromBytes, pcm16ToBytes, pcm16ToFloat32 } from './pcm.js';
import { readWav, WavError, writeWav } from './wav.js';

describe('PCM helpers', () => {
  it('round-trips bytes, int16 and float32 with clipping', () => {
    const samples = Int16Array.from([0, 1, -1, 32767, -32768, 12345]);
    expect(Array.from(pcm16FromBytes(pcm16ToBytes(samples)))).toEqual(Array.from(samples));
    expect(Array.from(float32ToPcm16(pcm16ToFloat32(samples)))).toEqual(Array.from(samples));
    expect(Array.from(float32ToPcm16(Float32Array.from([2, -2, 0.5])))).toEqual([32767, -32768, 16384]);
    expect(Array.from(pcm16FromBytes(Uint8Array.from([0x34, 0x12, 0xff, 0xff])))).toEqual([0x1234, -1]);
    expect(() => pcm16FromBytes(new Uint8Array(3))).toThrow(/even number of bytes/);
  });

  it('downmixes interleaved stereo', () => {
    expect(Array.from(downmixToMono(Int16Array.from([100, 300, -50, -150]), 2))).toEqual([200, -100]);
  });
});

describe('WAV', () => {
  it('writes and reads back mono and stereo PCM16 at any rate', () => {
    for (const [rate, channels] of [
      [16000, 1],
      [44100, 2],
      [8000, 1],
    ] as const) {
      const samples = Int16Array.from({ length: 300 * channels }, (_, i) => ((i * 211) % 65536) - 32768);
      const wav = readWav(writeWav(samples, rate, channels));
      expect(wav.sampleRate).toBe(rate);
      expect(wav.channels).toBe(channels);
      expect(Array.from(wav.samples)).toEqual(Array.from(samples));
    }
  });

  it('skips unknown chunks before the data', () => {
    const base = writeWav(Int16Array.from([1, 2, 3]), 16000);
    const extra = Uint8Array.from([...'LIST'].map((c) => c.charCodeAt(0)).concat([3, 0, 0, 0, 9, 9, 9, 0]));
    const bytes = new Uint8Array(base.length + extra.length);
    bytes.set(base.subarray(0, 36));
    bytes.set(extra, 36);
    bytes.set(base.subarray(36), 36 + extra.length);
    expect(Array.from(readWav(bytes).samples)).toEqual([1, 2, 3]);
  });

  it('gives clear errors for files it cannot read', () => {
    const code = (bytes: Uint8Array) => {
      try {
        readWav(bytes);
        return 'ok';
      } catch (e) {
        expect(e).toBeInstanceOf(WavError);
        return (e as WavError).code;
      }
    };
    expect(code(new TextEncoder().encode('ID3 this is an mp3'))).toBe('WAV_NOT_RIFF');
    const float = writeWav(Int16Array.from([1, 2]), 16000);
    new DataView(float.buffer).setUint16(20, 3, true);
    expect(() => readWav(float)).toThrow(/IEEE float is not supported/);
    const eight = writeWav(Int16Array.from([1, 2]), 16000);
    new DataView(eight.buffer).setUint16(34, 8, true);
    expect(() => readWav(eight)).toThrow(/8-bit/);
    expect(code(writeWav(new Int16Array(0), 16000))).toBe('WAV_NO_DATA');
    expect(code(writeWav(Int16Array.from([1]), 16000).subarray(0, 30))).toBe('WAV_TRUNCATED');
  });
});
