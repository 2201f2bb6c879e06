// Log-mel band energies of a power spectrum, as a level-free spectral shape: each band's dB minus the mean over
// bands. The shape says which resonances carry the energy (vowel quality, nasal murmur, frication) whatever the
// loudness. It comes out twice, with the speaker's or channel's lasting colour (a deep voice, a telephone band, a
// bright microphone) taken away: in the speaker's own units (running mean and spread, speaker-norm.ts), and
// minus a slowly adapting per-band mean (speech hops only). Preallocated.
import { SpeakerNorm } from './speaker-norm.js';

export const MEL_BANDS = 12;
const LO_HZ = 150;
const HI_HZ = 6500;
/** Per hop, the adapting mean moves this far toward the shape (about a second of speech). */
const ADAPT = 0.01;
/** Hops averaged plainly before the mean starts adapting exponentially (a new voice settles fast). */
const WARM_HOPS = 1 / ADAPT;
/** Shape (dB from the band mean / 20) means and spreads over the training voices' speech hops: the priors. */
const SHAPE_PRIOR = {
  mean: [1.006, 0.801, 0.452, 0.065, -0.033, -0.052, -0.088, -0.097, -0.227, -0.337, -0.614, -0.821],
  sd: [0.509, 0.429, 0.441, 0.475, 0.429, 0.382, 0.359, 0.349, 0.37, 0.423, 0.561, 0.61],
};

const mel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
const hzOf = (m: number) => 700 * (10 ** (m / 2595) - 1);

export class MelBands {
  private readonly from = new Int32Array(MEL_BANDS);
  private readonly weights: Float64Array[] = [];
  private readonly db = new Float64Array(MEL_BANDS);
  private readonly previousDb = new Float64Array(MEL_BANDS);
  private readonly adapted = new Float64Array(MEL_BANDS);
  private readonly shape = new Float64Array(MEL_BANDS);
  private readonly norm = new SpeakerNorm(SHAPE_PRIOR.mean, SHAPE_PRIOR.sd);
  private speechHops = 0;
  private hasPrevious = false;

  constructor(sampleRate: number, fftSize: number) {
    const edges = Array.from({ length: MEL_BANDS + 2 }, (_, i) =>
      hzOf(mel(LO_HZ) + ((mel(HI_HZ) - mel(LO_HZ)) * i) / (MEL_BANDS + 1)),
    );
    const binHz = sampleRate / fftSize;
    for (let b = 0; b < MEL_BANDS; b++) {
      const [lo, mid, hi] = [edges[b]!, edges[b + 1]!, edges[b + 2]!];
      const first = Math.max(1, Math.ceil(lo / binHz));
      const last = Math.min(fftSize / 2, Math.floor(hi / binHz));
      const w = new Float64Array(Math.max(1, last - first + 1));
      for (let k = first; k <= last; k++) {
        const hz = k * binHz;
        w[k - first] = hz <= mid ? (hz - lo) / (mid - lo) : (hi - hz) / (hi - mid);
      }
      this.from[b] = first;
      this.weights.push(w);
    }
  }

  /** Forgets the last hop (a new segment); the adapted speaker colour is kept. */
  reset(): void {
    this.hasPrevious = false;
  }

  /**
   * Writes MEL_BANDS shape values (dB from the band mean / 20) in the speaker's units, MEL_BANDS of the shape
   * minus the adapted mean (/ 10), then the spectral flux (mean rise in dB over bands since the last hop / 10, onsets) to `out[at..]`.
   * `speech` (0..1, the hop's loudness against the speaker's level) weights how much this hop adapts the mean.
   */
  compute(power: Float64Array, speech: number, out: Float32Array, at: number): void {
    const db = this.db;
    let mean = 0;
    for (let b = 0; b < MEL_BANDS; b++) {
      const w = this.weights[b]!;
      const from = this.from[b]!;
      let e = 0;
      for (let i = 0; i < w.length; i++) e += w[i]! * power[from + i]!;
      db[b] = 10 * Math.log10(e + 1e-12);
      mean += db[b]!;
    }
    mean /= MEL_BANDS;
    let flux = 0;
    for (let b = 0; b < MEL_BANDS; b++) {
      if (this.hasPrevious) flux += Math.max(0, db[b]! - this.previousDb[b]!);
      this.previousDb[b] = db[b]!;
    }
    this.hasPrevious = true;
    const adapt = speech > 0.6 ? (this.speechHops < WARM_HOPS ? 1 / ++this.speechHops : ADAPT) : 0;
    for (let b = 0; b < MEL_BANDS; b++) this.shape[b] = Math.max(-2, Math.min(2, (db[b]! - mean) / 20));
    if (speech > 0.6) this.norm.observe(this.shape);
    for (let b = 0; b < MEL_BANDS; b++) {
      const shape = db[b]! - mean;
      this.adapted[b]! += adapt * (shape - this.adapted[b]!);
      out[at + b] = this.norm.normalise(this.shape[b]!, b);
      out[at + MEL_BANDS + b] =
        this.speechHops > 0 ? Math.max(-2, Math.min(2, (shape - this.adapted[b]!) / 10)) : 0;
    }
    out[at + 2 * MEL_BANDS] = Math.min(3, flux / MEL_BANDS / 10);
  }
}
