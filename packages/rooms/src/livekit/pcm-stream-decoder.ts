/**
 * Byte-stream audio arrives as little-endian int16 PCM, interleaved, cut wherever the sender's chunks fell: a
 * chunk may end inside a sample or inside a multi-channel frame. The decoder carries the remainder over and
 * averages the channels into mono.
 */
export class PcmStreamDecoder {
  readonly channels: number;
  #carry = new Uint8Array(0);

  constructor(channels: number) {
    if (!Number.isInteger(channels) || channels < 1) throw new RangeError(`bad channel count ${channels}`);
    this.channels = channels;
  }

  /** Mono samples of every whole frame received so far; may be empty. */
  push(chunk: Uint8Array): Int16Array {
    const bytesPerFrame = 2 * this.channels;
    const bytes = this.#carry.length === 0 ? chunk : concat(this.#carry, chunk);
    const frames = Math.floor(bytes.length / bytesPerFrame);
    const whole = frames * bytesPerFrame;
    this.#carry = bytes.slice(whole);
    const view = new DataView(bytes.buffer, bytes.byteOffset, whole);
    const mono = new Int16Array(frames);
    if (this.channels === 1) {
      for (let i = 0; i < frames; i++) mono[i] = view.getInt16(2 * i, true);
      return mono;
    }
    for (let i = 0; i < frames; i++) {
      let sum = 0;
      for (let c = 0; c < this.channels; c++) sum += view.getInt16(i * bytesPerFrame + 2 * c, true);
      mono[i] = Math.round(sum / this.channels);
    }
    return mono;
  }

  /** Bytes of a partial frame still held (dropped at the end of a stream: half a sample is not audio). */
  get pendingBytes(): number {
    return this.#carry.length;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
