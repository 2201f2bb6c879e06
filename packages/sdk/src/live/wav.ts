/**
 * @module RIFF/WAVE header parsing and sample conversion to PCM16 mono. Handles integer PCM of 8/16/24/32 bits,
 * 32/64-bit float, WAVE_FORMAT_EXTENSIBLE, any channel count (mixed down) and any chunk order before `data`.
 */

export type WavFormat = {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  float: boolean;
  /** Byte offset where the samples start. */
  dataOffset: number;
  /** Bytes of sample data the header announces (streams often write 0 or 0xFFFFFFFF: read to the end). */
  dataBytes: number;
};

export class WavError extends Error {
  override name = 'WavError';
}

/** True when the bytes start with `RIFF....WAVE`. */
export const isWav = (bytes: Uint8Array) =>
  bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE';

/** Parses the header; returns undefined when more bytes are needed to reach the `data` chunk. */
export function parseWavHeader(bytes: Uint8Array): WavFormat | undefined {
  if (bytes.length < 12) return undefined;
  if (!isWav(bytes)) throw new WavError('Not a WAV file (no RIFF/WAVE header)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 12;
  let fmt: Omit<WavFormat, 'dataOffset' | 'dataBytes'> | undefined;
  while (offset + 8 <= bytes.length) {
    const id = ascii(bytes, offset, 4);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'data') {
      if (!fmt) throw new WavError('WAV has no fmt chunk before its data');
      return { ...fmt, dataOffset: body, dataBytes: size };
    }
    if (body + size > bytes.length) return undefined;
    if (id === 'fmt ') fmt = readFmt(view, body, size);
    offset = body + size + (size % 2);
  }
  return undefined;
}

function readFmt(view: DataView, at: number, size: number): Omit<WavFormat, 'dataOffset' | 'dataBytes'> {
  if (size < 16) throw new WavError('WAV fmt chunk is too short');
  let tag = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const bitsPerSample = view.getUint16(at + 14, true);
  if (tag === 0xfffe && size >= 26) tag = view.getUint16(at + 24, true); // extensible: sub-format GUID
  const float = tag === 3;
  if (tag !== 1 && !float)
    throw new WavError(`Unsupported WAV encoding (format tag ${tag}); use PCM or float`);
  if (channels < 1) throw new WavError('WAV has no channels');
  const supported = float ? [32, 64] : [8, 16, 24, 32];
  if (!supported.includes(bitsPerSample)) {
    throw new WavError(`Unsupported WAV sample size: ${bitsPerSample} bits`);
  }
  return { sampleRate, channels, bitsPerSample, float };
}

/** Bytes per frame (one sample of every channel). */
export const frameBytes = (format: Pick<WavFormat, 'channels' | 'bitsPerSample'>) =>
  format.channels * (format.bitsPerSample / 8);

/** Converts whole frames of WAV sample data into PCM16 mono (channels averaged). */
export function toPcm16Mono(
  data: Uint8Array,
  format: Pick<WavFormat, 'channels' | 'bitsPerSample' | 'float'>,
): Int16Array {
  const bytes = format.bitsPerSample / 8;
  const frames = Math.floor(data.length / frameBytes(format));
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = new Int16Array(frames);
  for (let frame = 0; frame < frames; frame++) {
    let sum = 0;
    for (let channel = 0; channel < format.channels; channel++) {
      sum += readSample(view, (frame * format.channels + channel) * bytes, format);
    }
    out[frame] = Math.max(-32768, Math.min(32767, Math.round((sum / format.channels) * 32767)));
  }
  return out;
}

/** One sample as a float in [-1, 1]. */
function readSample(view: DataView, at: number, format: Pick<WavFormat, 'bitsPerSample' | 'float'>): number {
  if (format.float)
    return format.bitsPerSample === 32 ? view.getFloat32(at, true) : view.getFloat64(at, true);
  switch (format.bitsPerSample) {
    case 8:
      return (view.getUint8(at) - 128) / 128;
    case 16:
      return view.getInt16(at, true) / 32768;
    case 24: {
      const value = view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16);
      return value / 8388608;
    }
    default:
      return view.getInt32(at, true) / 2147483648;
  }
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  let text = '';
  for (let i = at; i < at + length; i++) text += String.fromCharCode(bytes[i] ?? 0);
  return text;
}
