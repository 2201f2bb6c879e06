// Collects streamed raw PCM16LE (chunks may split a sample in two) into 16 kHz samples, resampling on the fly.
import { pcm16FromBytes, StreamingResampler } from '@agenthuman/media';

export async function collectPcm16(
  chunks: AsyncIterable<Uint8Array>,
  inputRate: number,
  onFirstAudio?: () => void,
): Promise<Int16Array> {
  const resampler = inputRate === 16000 ? undefined : new StreamingResampler(inputRate, 16000);
  const parts: Int16Array[] = [];
  let carry: Uint8Array | undefined;
  let first = true;
  for await (const chunk of chunks) {
    if (chunk.byteLength === 0) continue;
    if (first) {
      first = false;
      onFirstAudio?.();
    }
    let bytes = chunk;
    if (carry) {
      bytes = new Uint8Array(carry.byteLength + chunk.byteLength);
      bytes.set(carry);
      bytes.set(chunk, carry.byteLength);
      carry = undefined;
    }
    const even = bytes.byteLength & ~1;
    if (even < bytes.byteLength) carry = bytes.slice(even);
    const samples = pcm16FromBytes(bytes.subarray(0, even));
    parts.push(resampler ? resampler.push(samples) : samples);
  }
  if (resampler) parts.push(resampler.flush());
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
