// Streaming band-limited resampler (Kaiser-windowed sinc, polyphase) for PCM16 mono.
//
// Output sample k sits at input position k·inRate/outRate, and a segment of n input samples yields exactly
// ceil(n·outRate/inRate) output samples (`resampledLength`). Every output depends only on absolute sample
// positions, never on how the input was split, so any chunking produces identical samples.

import { PCM_RATE } from './rate.js';

const ZERO_CROSSINGS = 32;
const KAISER_BETA = 8.6;
// Pass band edge as a fraction of the lower Nyquist frequency; the transition band ends just below Nyquist.
const CUTOFF = 0.92;
const MAX_PHASES = 512;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

/** Output sample count for `inputSamples` samples at `inRate` resampled to `outRate`. */
export function resampledLength(inputSamples: number, inRate: number, outRate = PCM_RATE): number {
  const g = gcd(inRate, outRate);
  const up = outRate / g;
  const down = inRate / g;
  return Math.floor((inputSamples * up + down - 1) / down);
}

export class StreamingResampler {
  readonly inRate: number;
  readonly outRate: number;
  private readonly up: number;
  private readonly down: number;
  /** Half the kernel length, in input samples. */
  private readonly half: number;
  private readonly phases: number;
  /** (phases + 1) rows of 2·half taps; row r is the kernel for fractional position r/phases. */
  private readonly table: Float32Array;
  private hist: Float32Array;
  /** Absolute input index of hist[0]; negative indices are the zeros before the segment starts. */
  private histStart = 0;
  private histLen = 0;
  private nextOut = 0;

  constructor(inRate: number, outRate = PCM_RATE) {
    for (const [name, rate] of [
      ['input', inRate],
      ['output', outRate],
    ] as const) {
      if (!Number.isInteger(rate) || rate < 4000 || rate > 192000) {
        throw new RangeError(`${name} sample rate must be an integer from 4000 to 192000 Hz, got ${rate}`);
      }
    }
    this.inRate = inRate;
    this.outRate = outRate;
    const g = gcd(inRate, outRate);
    this.up = outRate / g;
    this.down = inRate / g;
    const cutoff = (CUTOFF * Math.min(inRate, outRate)) / 2 / inRate; // cycles per input sample
    this.half = this.up === this.down ? 0 : Math.ceil(ZERO_CROSSINGS / (2 * cutoff));
    this.phases = Math.min(this.up, MAX_PHASES);
    this.table = this.buildTable(cutoff);
    this.hist = new Float32Array(4096 + 2 * this.half);
    this.reset();
  }

  private buildTable(cutoff: number): Float32Array {
    const taps = 2 * this.half;
    const table = new Float32Array((this.phases + 1) * taps);
    if (taps === 0) return table;
    const i0Beta = besselI0(KAISER_BETA);
    for (let r = 0; r <= this.phases; r++) {
      const frac = r / this.phases;
      let sum = 0;
      for (let m = 0; m < taps; m++) {
        // Distance from the output position to input sample (i - half + 1 + m).
        const d = frac + this.half - 1 - m;
        const x = 2 * cutoff * d;
        const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
        const w = d / this.half;
        const win = Math.abs(w) >= 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - w * w)) / i0Beta;
        const h = 2 * cutoff * sinc * win;
        table[r * taps + m] = h;
        sum += h;
      }
      // Unit DC gain for every phase, so a constant input stays constant whatever the position.
      for (let m = 0; m < taps; m++) table[r * taps + m]! /= sum;
    }
    return table;
  }

  /** Forgets all input: the next sample starts a new segment at position 0. */
  reset(): void {
    this.histStart = -this.half;
    this.histLen = this.half;
    this.hist.fill(0, 0, this.half);
    this.nextOut = 0;
  }

  /** Input samples pushed since the segment started. */
  get inputSamples(): number {
    return this.histStart + this.histLen;
  }

  /** Resamples a chunk; returns the output samples that are complete (the rest come with later input or flush). */
  push(input: Int16Array): Int16Array {
    if (this.up === this.down) {
      this.histStart += input.length;
      this.nextOut += input.length;
      return input.slice();
    }
    this.append(input);
    const n = this.inputSamples;
    const ready = n - this.half;
    const last = ready > 0 ? Math.floor((ready * this.up + this.down - 1) / this.down) : 0;
    return this.produce(last);
  }

  /** Ends the segment: emits the remaining samples (input past the end is silence) and resets. */
  flush(): Int16Array {
    if (this.up === this.down) {
      this.reset();
      return new Int16Array(0);
    }
    const total = resampledLength(this.inputSamples, this.inRate, this.outRate);
    this.append(new Int16Array(this.half + 1));
    const out = this.produce(total);
    this.reset();
    return out;
  }

  private append(input: Int16Array): void {
    // Drop samples no future output can reach, then grow if still short.
    const firstNeeded = Math.floor((this.nextOut * this.down) / this.up) - this.half + 1;
    const drop = Math.max(0, Math.min(firstNeeded - this.histStart, this.histLen));
    if (drop > 0) {
      this.hist.copyWithin(0, drop, this.histLen);
      this.histStart += drop;
      this.histLen -= drop;
    }
    if (this.histLen + input.length > this.hist.length) {
      const grown = new Float32Array(Math.max(this.hist.length * 2, this.histLen + input.length));
      grown.set(this.hist.subarray(0, this.histLen));
      this.hist = grown;
    }
    const hist = this.hist;
    let at = this.histLen;
    for (let i = 0; i < input.length; i++) hist[at++] = input[i]! / 32768;
    this.histLen = at;
  }

  private produce(end: number): Int16Array {
    const count = Math.max(0, end - this.nextOut);
    const out = new Int16Array(count);
    const taps = 2 * this.half;
    const { table, hist, up, down, phases } = this;
    const exact = phases === up;
    for (let o = 0; o < count; o++) {
      const pos = (this.nextOut + o) * down;
      const i = Math.floor(pos / up);
      const rem = pos - i * up;
      const base = i - this.half + 1 - this.histStart;
      let acc = 0;
      if (exact) {
        const row = rem * taps;
        for (let m = 0; m < taps; m++) acc += hist[base + m]! * table[row + m]!;
      } else {
        // Rates with a huge common period: interpolate linearly between the two nearest tabulated phases.
        const f = (rem * phases) / up;
        const r = Math.floor(f);
        const t = f - r;
        const row0 = r * taps;
        const row1 = row0 + taps;
        for (let m = 0; m < taps; m++) {
          const h = table[row0 + m]! + t * (table[row1 + m]! - table[row0 + m]!);
          acc += hist[base + m]! * h;
        }
      }
      const v = Math.round(acc * 32768);
      out[o] = Math.min(32767, Math.max(-32768, v));
    }
    this.nextOut += count;
    return out;
  }
}

/** One-shot convenience: resamples a whole buffer. */
export function resample(input: Int16Array, inRate: number, outRate = PCM_RATE): Int16Array {
  if (inRate === outRate) return input.slice();
  const r = new StreamingResampler(inRate, outRate);
  const a = r.push(input);
  const b = r.flush();
  const out = new Int16Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
