// Log-mel band energies of a power spectrum, as a level-free spectral shape: each band's dB minus the mean over
// bands. The shape says which resonances carry the energy (vowel quality, nasal murmur, frication) whatever the
// loudness; a slowly adapting per-band mean of it (speech hops only) is subtracted as well, so a speaker's or a
// channel's lasting colour (a deep voice, a telephone band, a bright microphone) cancels out. Preallocated.

export const MEL_BANDS = 12;
const LO_HZ = 150;
const HI_HZ = 6500;
/** Per hop, the adapting mean moves this far toward the shape (about a second of speech). */
const ADAPT = 0.01;
/** Hops averaged plainly before the mean starts adapting exponentially (a new voice settles fast). */
const WARM_HOPS = 1 / ADAPT;

const mel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
const hzOf = (m: number) => 700 * (10 ** (m / 2595) - 1);

export class MelBands {
  private readonly from = new Int32Array(MEL_BANDS);
  private readonly weights: Float64Array[] = [];
  private readonly db = new Float64Array(MEL_BANDS);
  private readonly previousDb = new Float64Array(MEL_BANDS);
  private readonly adapted = new Float64Array(MEL_BANDS);
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
   * Writes MEL_BANDS shape values (dB from the band mean / 20), MEL_BANDS of the same minus the adapted mean
   * (/ 10), then the spectral flux (mean rise in dB over bands since the last hop / 10, onsets) to `out[at..]`.
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
    for (let b = 0; b < MEL_BANDS; b++) {
      const shape = db[b]! - mean;
      this.adapted[b]! += adapt * (shape - this.adapted[b]!);
      out[at + b] = Math.max(-2, Math.min(2, shape / 20));
      out[at + MEL_BANDS + b] =
        this.speechHops > 0 ? Math.max(-2, Math.min(2, (shape - this.adapted[b]!) / 10)) : 0;
    }
    out[at + 2 * MEL_BANDS] = Math.min(3, flux / MEL_BANDS / 10);
  }
}
