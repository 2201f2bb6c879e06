/**
 * Streaming linear-interpolation resampler for mono PCM16. Good enough for speech going into Opus (which
 * band-limits anyway); it keeps one sample of state so chunk boundaries do not click.
 */
export class PcmResampler {
  private readonly step: number;
  private last = 0;
  /** Position of the next output sample, in input samples relative to the start of the next chunk. */
  private pos = 0;
  private primed = false;

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
  ) {
    this.step = fromRate / toRate;
  }

  push(input: Int16Array): Int16Array {
    if (this.fromRate === this.toRate) return input;
    if (input.length === 0) return new Int16Array(0);
    // Sample -1 is the last sample of the previous chunk; before the first chunk it repeats sample 0.
    const prev = this.primed ? this.last : (input[0] ?? 0);
    const sampleAt = (i: number): number => (i < 0 ? prev : (input[i] ?? 0));
    const out: number[] = [];
    let pos = this.primed ? this.pos : 0;
    while (pos <= input.length - 1) {
      const i = Math.floor(pos);
      const frac = pos - i;
      const a = sampleAt(i);
      const b = sampleAt(Math.min(i + 1, input.length - 1));
      out.push(Math.round(a + (b - a) * frac));
      pos += this.step;
    }
    this.pos = pos - input.length;
    this.last = input[input.length - 1] ?? 0;
    this.primed = true;
    return Int16Array.from(out);
  }
}
