/**
 * @module Turns what callers have (raw PCM16 bytes, a whole WAV file, or a byte stream of either, such as a Node
 * `fs.createReadStream`) into PCM16 mono chunks of a fixed duration. WAV is recognised by its header.
 */
import { frameBytes, isWav, parseWavHeader, toPcm16Mono, WavError, type WavFormat } from './wav.js';

export type AudioInput = Uint8Array | ArrayBuffer | Int16Array | AsyncIterable<Uint8Array>;

export type AudioInputOptions = {
  /** `auto` (default): WAV when the bytes start with a RIFF header, raw PCM16LE mono otherwise. */
  format?: 'auto' | 'wav' | 'pcm16';
  /** Rate of raw PCM input (default 16000); a WAV file's header wins. */
  sampleRate?: number;
};

export type OpenedAudio = {
  sampleRate: number;
  /** Known for in-memory input; undefined for streams. */
  totalSamples: number | undefined;
  /** PCM16 mono chunks of `chunkMs` each (the last may be shorter). */
  chunks(chunkMs: number): AsyncGenerator<Int16Array>;
};

export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 48000;

export async function openAudio(input: AudioInput, options: AudioInputOptions = {}): Promise<OpenedAudio> {
  if (input instanceof Int16Array) return fromSamples(input, checkedRate(options.sampleRate ?? 16000));
  if (input instanceof ArrayBuffer) return openAudio(new Uint8Array(input), options);
  if (input instanceof Uint8Array) return fromBytes(input, options);
  return fromStream(input, options);
}

function fromBytes(bytes: Uint8Array, options: AudioInputOptions): OpenedAudio {
  if (wantsWav(bytes, options)) {
    const format = parseWavHeader(bytes);
    if (!format) throw new WavError('WAV file ends before its data chunk');
    const end = Math.min(bytes.length, format.dataOffset + dataLength(format, bytes.length));
    const samples = toPcm16Mono(bytes.subarray(format.dataOffset, end), format);
    return fromSamples(samples, checkedRate(format.sampleRate));
  }
  if (bytes.length % 2 !== 0) throw new WavError('Raw PCM16 audio must have an even number of bytes');
  const copy = bytes.slice();
  return fromSamples(
    new Int16Array(copy.buffer, 0, copy.length / 2),
    checkedRate(options.sampleRate ?? 16000),
  );
}

function fromSamples(samples: Int16Array, sampleRate: number): OpenedAudio {
  return {
    sampleRate,
    totalSamples: samples.length,
    async *chunks(chunkMs) {
      const size = chunkSamples(sampleRate, chunkMs);
      for (let at = 0; at < samples.length; at += size) yield samples.subarray(at, at + size);
    },
  };
}

async function fromStream(
  stream: AsyncIterable<Uint8Array>,
  options: AudioInputOptions,
): Promise<OpenedAudio> {
  const iterator = stream[Symbol.asyncIterator]();
  let head: Uint8Array = new Uint8Array(0);
  let format: WavFormat | undefined;
  let done = false;
  // Read just enough to know the format; what is left of `head` becomes the first sample bytes.
  while (!done) {
    const next = await iterator.next();
    if (next.done) done = true;
    else head = concat(head, next.value);
    if (head.length < 12 && !done) continue;
    if (!wantsWav(head, options)) break;
    format = parseWavHeader(head);
    if (format) break;
    if (done) throw new WavError('WAV stream ends before its data chunk');
  }
  const sampleFormat = format ?? { channels: 1, bitsPerSample: 16, float: false };
  const sampleRate = checkedRate(format?.sampleRate ?? options.sampleRate ?? 16000);
  if (format) head = head.subarray(format.dataOffset);
  const stride = frameBytes(sampleFormat);
  return {
    sampleRate,
    totalSamples: undefined,
    async *chunks(chunkMs) {
      const size = chunkSamples(sampleRate, chunkMs);
      let pending: Int16Array = new Int16Array(0);
      let carry = head;
      for (;;) {
        const whole = carry.length - (carry.length % stride);
        if (whole > 0) {
          pending = concat16(pending, toPcm16Mono(carry.subarray(0, whole), sampleFormat));
          carry = carry.slice(whole);
        }
        while (pending.length >= size) {
          yield pending.slice(0, size);
          pending = pending.slice(size);
        }
        if (done) break;
        const next = await iterator.next();
        if (next.done) done = true;
        else carry = concat(carry, next.value);
      }
      if (pending.length > 0) yield pending;
    },
  };
}

const wantsWav = (bytes: Uint8Array, options: AudioInputOptions) =>
  options.format === 'wav' || (options.format !== 'pcm16' && isWav(bytes));

// Streaming writers leave the size as 0 or 0xFFFFFFFF; then the data runs to the end of the file.
const dataLength = (format: WavFormat, fileLength: number) =>
  format.dataBytes === 0 || format.dataBytes === 0xffffffff ? fileLength : format.dataBytes;

function checkedRate(sampleRate: number): number {
  if (!Number.isInteger(sampleRate) || sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
    throw new WavError(
      `Sample rate ${sampleRate} Hz is not supported; the server takes ${MIN_SAMPLE_RATE}–${MAX_SAMPLE_RATE} Hz`,
    );
  }
  return sampleRate;
}

export const chunkSamples = (sampleRate: number, chunkMs: number) =>
  Math.max(1, Math.round((sampleRate * chunkMs) / 1000));

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function concat16(a: Int16Array, b: Int16Array): Int16Array {
  if (a.length === 0) return b;
  const out = new Int16Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
