import { describe, expect, it } from 'vitest';
import { openAudio } from './audio-source.js';
import { parseWavHeader, WavError } from './wav.js';

/** Writes a WAV file by hand (the test's own encoder, independent of the parser). */
function wav(options: {
  sampleRate: number;
  channels: number;
  bits: number;
  float?: boolean;
  frames: number[][];
  extensible?: boolean;
  extraChunk?: boolean;
}): Uint8Array {
  const bytes = options.bits / 8;
  const data = new Uint8Array(options.frames.length * options.channels * bytes);
  const view = new DataView(data.buffer);
  options.frames.forEach((frame, f) => {
    frame.forEach((value, c) => {
      const at = (f * options.channels + c) * bytes;
      if (options.float) view.setFloat32(at, value, true);
      else if (options.bits === 16) view.setInt16(at, Math.round(value * 32767), true);
      else if (options.bits === 24) {
        const v = Math.round(value * 8388607);
        view.setUint8(at, v & 255);
        view.setUint8(at + 1, (v >> 8) & 255);
        view.setInt8(at + 2, v >> 16);
      } else if (options.bits === 8) view.setUint8(at, Math.round(value * 127) + 128);
    });
  });
  const fmtSize = options.extensible ? 40 : 16;
  const extra = options.extraChunk ? 8 + 4 : 0;
  const out = new Uint8Array(12 + 8 + fmtSize + extra + 8 + data.length);
  const w = new DataView(out.buffer);
  const str = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) w.setUint8(at + i, s.charCodeAt(i));
  };
  str(0, 'RIFF');
  w.setUint32(4, out.length - 8, true);
  str(8, 'WAVE');
  str(12, 'fmt ');
  w.setUint32(16, fmtSize, true);
  const tag = options.float ? 3 : 1;
  w.setUint16(20, options.extensible ? 0xfffe : tag, true);
  w.setUint16(22, options.channels, true);
  w.setUint32(24, options.sampleRate, true);
  w.setUint32(28, options.sampleRate * options.channels * bytes, true);
  w.setUint16(32, options.channels * bytes, true);
  w.setUint16(34, options.bits, true);
  if (options.extensible) w.setUint16(20 + 24, tag, true);
  let at = 20 + fmtSize;
  if (options.extraChunk) {
    str(at, 'LIST');
    w.setUint32(at + 4, 4, true);
    str(at + 8, 'INFO');
    at += 12;
  }
  str(at, 'data');
  w.setUint32(at + 4, data.length, true);
  out.set(data, at + 8);
  return out;
}

async function collect(chunks: AsyncGenerator<Int16Array>): Promise<Int16Array[]> {
  const out: Int16Array[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

async function* inPieces(bytes: Uint8Array, size: number) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size);
}

describe('parseWavHeader', () => {
  it('reads rate, channels and data offset past extra chunks', () => {
    const file = wav({ sampleRate: 22050, channels: 2, bits: 16, frames: [[0, 0]], extraChunk: true });
    const format = parseWavHeader(file);
    expect(format).toMatchObject({ sampleRate: 22050, channels: 2, bitsPerSample: 16, float: false });
    expect(format?.dataOffset).toBe(file.length - 4);
  });

  it('asks for more bytes before the data chunk and refuses what is not WAV', () => {
    const file = wav({ sampleRate: 16000, channels: 1, bits: 16, frames: [[0]] });
    expect(parseWavHeader(file.subarray(0, 30))).toBeUndefined();
    expect(() => parseWavHeader(new TextEncoder().encode('ID3 this is an mp3 file'))).toThrow(WavError);
  });
});

describe('openAudio', () => {
  it('mixes a 44.1 kHz stereo WAV down to mono at its own rate', async () => {
    const frames = Array.from({ length: 4410 }, () => [0.5, -0.25]);
    const audio = await openAudio(wav({ sampleRate: 44100, channels: 2, bits: 16, frames }));
    expect(audio.sampleRate).toBe(44100);
    expect(audio.totalSamples).toBe(4410);
    const chunks = await collect(audio.chunks(40));
    expect(chunks.map((c) => c.length)).toEqual([1764, 1764, 882]);
    expect(chunks[0]?.[0]).toBeCloseTo(0.125 * 32767, -1);
  });

  it('converts 24-bit, 8-bit, float and extensible WAVs', async () => {
    for (const spec of [
      { bits: 24 },
      { bits: 8 },
      { bits: 32, float: true },
      { bits: 16, extensible: true },
    ]) {
      const audio = await openAudio(
        wav({ sampleRate: 8000, channels: 1, frames: Array.from({ length: 160 }, () => [-0.5]), ...spec }),
      );
      const [first] = await collect(audio.chunks(20));
      expect(first).toHaveLength(160);
      // -0.5 full scale; 8-bit quantisation alone moves it by ~130.
      expect(first?.[10]).toBeGreaterThan(-16600);
      expect(first?.[10]).toBeLessThan(-16000);
    }
  });

  it('reads a WAV stream that arrives in odd-sized pieces, header split across them', async () => {
    const frames = Array.from({ length: 16000 }, (_, i) => [Math.sin(i / 10) * 0.8]);
    const file = wav({ sampleRate: 16000, channels: 1, bits: 16, frames });
    const whole = await collect((await openAudio(file)).chunks(20));
    const streamed = await openAudio(inPieces(file, 7));
    expect(streamed.sampleRate).toBe(16000);
    expect(streamed.totalSamples).toBeUndefined();
    const pieces = await collect(streamed.chunks(20));
    expect(pieces).toHaveLength(50);
    expect(pieces.every((c) => c.length === 320)).toBe(true);
    expect(pieces.flatMap((c) => [...c])).toEqual(whole.flatMap((c) => [...c]));
  });

  it('takes raw PCM16 with the given rate and rejects rates the server cannot take', async () => {
    const pcm = new Uint8Array(48000 * 2 * 0.1);
    const audio = await openAudio(pcm, { sampleRate: 48000 });
    expect((await collect(audio.chunks(100))).map((c) => c.length)).toEqual([4800]);
    await expect(openAudio(pcm, { sampleRate: 96000 })).rejects.toThrow(/8000–48000/);
    await expect(openAudio(new Uint8Array(3))).rejects.toThrow(/even number/);
  });
});
