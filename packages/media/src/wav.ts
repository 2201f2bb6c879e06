// RIFF/WAVE reading and writing for PCM16 (the only format the engine takes; others get a clear error).

export type WavErrorCode = 'WAV_NOT_RIFF' | 'WAV_TRUNCATED' | 'WAV_UNSUPPORTED_FORMAT' | 'WAV_NO_DATA';

export class WavError extends Error {
  constructor(
    readonly code: WavErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WavError';
  }
}

export interface WavAudio {
  sampleRate: number;
  channels: number;
  /** Interleaved PCM16 samples (frames × channels). */
  samples: Int16Array;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

export function readWav(bytes: Uint8Array): WavAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.byteLength < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') {
    throw new WavError('WAV_NOT_RIFF', 'not a WAV file (missing RIFF/WAVE header)');
  }
  let fmt: { format: number; channels: number; sampleRate: number; bits: number } | undefined;
  let at = 12;
  while (at + 8 <= bytes.byteLength) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.byteLength)
        throw new WavError('WAV_TRUNCATED', 'WAV fmt chunk is truncated');
      let format = view.getUint16(body, true);
      // WAVE_FORMAT_EXTENSIBLE keeps the real format in the first two bytes of its sub-format GUID.
      if (format === WAVE_FORMAT_EXTENSIBLE && size >= 40) format = view.getUint16(body + 24, true);
      fmt = {
        format,
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!fmt) throw new WavError('WAV_UNSUPPORTED_FORMAT', 'WAV data chunk comes before its fmt chunk');
      checkFormat(fmt);
      // Streams written live often leave the size at 0 or 0xFFFFFFFF; take what is there, whole frames only.
      const available = bytes.byteLength - body;
      const declared = size === 0 || size === 0xffffffff ? available : size;
      const frameBytes = 2 * fmt.channels;
      const usable = Math.min(declared, available);
      const length = Math.floor(usable / frameBytes) * fmt.channels;
      if (length === 0) throw new WavError('WAV_NO_DATA', 'WAV file contains no audio samples');
      const samples = new Int16Array(length);
      for (let i = 0; i < length; i++) samples[i] = view.getInt16(body + i * 2, true);
      return { sampleRate: fmt.sampleRate, channels: fmt.channels, samples };
    }
    at = body + size + (size % 2);
  }
  throw new WavError(
    fmt ? 'WAV_NO_DATA' : 'WAV_TRUNCATED',
    fmt ? 'WAV file has no data chunk' : 'WAV file has no fmt chunk',
  );
}

function checkFormat(fmt: { format: number; channels: number; sampleRate: number; bits: number }): void {
  if (fmt.format !== WAVE_FORMAT_PCM) {
    const name =
      fmt.format === 3
        ? 'IEEE float'
        : fmt.format === 6
          ? 'A-law'
          : fmt.format === 7
            ? 'µ-law'
            : `code ${fmt.format}`;
    throw new WavError('WAV_UNSUPPORTED_FORMAT', `WAV encoding ${name} is not supported; use 16-bit PCM`);
  }
  if (fmt.bits !== 16) {
    throw new WavError(
      'WAV_UNSUPPORTED_FORMAT',
      `WAV has ${fmt.bits}-bit samples; only 16-bit PCM is supported`,
    );
  }
  if (fmt.channels < 1 || fmt.channels > 8) {
    throw new WavError('WAV_UNSUPPORTED_FORMAT', `WAV has ${fmt.channels} channels; expected 1 to 8`);
  }
  if (fmt.sampleRate < 1000 || fmt.sampleRate > 384000) {
    throw new WavError('WAV_UNSUPPORTED_FORMAT', `WAV sample rate ${fmt.sampleRate} Hz is out of range`);
  }
}

/** A canonical 44-byte-header PCM16 WAV. */
export function writeWav(samples: Int16Array, sampleRate: number, channels = 1): Uint8Array {
  const dataBytes = samples.length * 2;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const ascii = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, WAVE_FORMAT_PCM, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) view.setInt16(44 + i * 2, samples[i]!, true);
  return out;
}
