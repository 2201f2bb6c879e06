// Conversions between PCM16LE bytes, Int16 samples and Float32 samples in [-1, 1).

/** Reads little-endian PCM16 bytes into samples. Throws on an odd byte count (a torn sample). */
export function pcm16FromBytes(bytes: Uint8Array): Int16Array {
  if (bytes.byteLength % 2 !== 0) {
    throw new RangeError(`PCM16 data must have an even number of bytes, got ${bytes.byteLength}`);
  }
  const out = new Int16Array(bytes.byteLength / 2);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}

/** Little-endian bytes of the samples (a copy, independent of host byte order). */
export function pcm16ToBytes(samples: Int16Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!, true);
  return out;
}

/** Int16 → Float32 in [-1, 1). Writes into `out` when given (no allocation on the hot path). */
export function pcm16ToFloat32(samples: Int16Array, out = new Float32Array(samples.length)): Float32Array {
  if (out.length < samples.length) throw new RangeError('output buffer too small');
  for (let i = 0; i < samples.length; i++) out[i] = samples[i]! / 32768;
  return out;
}

/** Float32 → Int16 with rounding and clipping. Writes into `out` when given. */
export function float32ToPcm16(samples: Float32Array, out = new Int16Array(samples.length)): Int16Array {
  if (out.length < samples.length) throw new RangeError('output buffer too small');
  for (let i = 0; i < samples.length; i++) {
    const v = Math.round(samples[i]! * 32768);
    out[i] = Math.min(32767, Math.max(-32768, v));
  }
  return out;
}

/** Averages interleaved channels into one. */
export function downmixToMono(interleaved: Int16Array, channels: number): Int16Array {
  if (channels === 1) return interleaved;
  const frames = Math.floor(interleaved.length / channels);
  const out = new Int16Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += interleaved[f * channels + c]!;
    out[f] = Math.round(sum / channels);
  }
  return out;
}
