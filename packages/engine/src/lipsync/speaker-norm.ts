// Speaker normalisation of spectral features: each value becomes its distance from this speaker's running mean
// in units of this speaker's running spread (over speech hops only), so a deep voice, a bright synthesiser or a
// telephone band reads like any other and the model cannot learn a voice's colour (Lobanov-style, causal).
// A new speaker starts from priors measured over the training voices, counted as `PRIOR_HOPS` hops of speech,
// so the first words are normalised sensibly; the average then runs plainly until it reaches a time constant
// of 1 / `ADAPT` hops (2 s of speech). Preallocated: `observe` and `normalise` allocate nothing.

/** Per speech hop, how far the running statistics move toward it once warmed up (2 s of speech). */
const ADAPT = 0.005;
/** The priors weigh as much as this many speech hops (300 ms). */
const PRIOR_HOPS = 30;
/** The spread is never taken below this share of the prior's (a band a telephone voice leaves empty). */
const MIN_SPREAD = 0.35;
/** Normalised values are clamped to ± this. */
const LIMIT = 4;

export class SpeakerNorm {
  private readonly mean: Float64Array;
  private readonly variance: Float64Array;
  private readonly minSd: Float64Array;
  private hops = 0;

  constructor(
    private readonly priorMean: readonly number[],
    private readonly priorSd: readonly number[],
  ) {
    if (priorMean.length !== priorSd.length) throw new RangeError('one prior spread per prior mean');
    this.mean = new Float64Array(priorMean.length);
    this.variance = new Float64Array(priorMean.length);
    this.minSd = Float64Array.from(priorSd, (sd) => sd * MIN_SPREAD);
    this.forget();
  }

  /** A new speaker: back to the priors. */
  forget(): void {
    this.mean.set(this.priorMean);
    for (let i = 0; i < this.variance.length; i++) this.variance[i] = this.priorSd[i]! ** 2;
    this.hops = 0;
  }

  /** Counts `values[at..]` as one hop of this speaker's speech. */
  observe(values: ArrayLike<number>, at = 0): void {
    this.hops++;
    const rate = Math.max(ADAPT, 1 / (PRIOR_HOPS + this.hops));
    for (let i = 0; i < this.mean.length; i++) {
      const d = values[at + i]! - this.mean[i]!;
      this.mean[i]! += rate * d;
      this.variance[i]! += rate * (d * d * (1 - rate) - this.variance[i]!);
    }
  }

  /** Value `x` of dimension `i` in this speaker's units. */
  normalise(x: number, i: number): number {
    const sd = Math.max(Math.sqrt(this.variance[i]!), this.minSd[i]!);
    return Math.max(-LIMIT, Math.min(LIMIT, (x - this.mean[i]!) / sd));
  }
}
