// Per-hop speech features for audio-only lip-sync at 16 kHz: loudness relative to the speaker's running level,
// band energies and spectral centroid (vowel vs fricative vs closure), zero crossings, LPC formants F1/F2
// (F1 tracks jaw opening, F2 tongue front/back and lip rounding), an energy slope (onsets, closures), and the
// cues that tell speech from other sound and an open mouth from a closed one: voicing (periodicity), spectral
// flatness (noise), the dip under the loudest hop of the last 200 ms, and two explicit closure cues built on that
// dip — a nasal murmur (voiced, low-frequency dominant: m, n) and a stop gap (unvoiced: p, b, t closures) —
// then a level-free log-mel shape, the same with the speaker's lasting colour adapted away, and spectral flux
// (mel-bands.ts). Everything is preallocated; `compute` allocates nothing.
import { FFT } from './fft.js';
import { MEL_BANDS, MelBands } from './mel-bands.js';

export const SAMPLE_RATE = 16000;
export const HOP = 160; // 10 ms
export const WINDOW = 400; // 25 ms, centred on the hop
const FFT_SIZE = 512;
const LPC_ORDER = 14;
const BAND_EDGES_HZ = [0, 400, 1000, 2500, 4500, 8000];
const SILENCE_DB = -100;
/** Speech more than this far below the running level counts as silence. */
const RANGE_DB = 45;
/** The running level falls this fast (dB per hop) when speech gets quieter, and starts here. */
const LEVEL_DECAY_DB = 0.02;
const INITIAL_LEVEL_DB = -25;
const SPECTRAL = 9;
/** Voicing looks for a period in 2.5–12.5 ms (80–400 Hz) on the window decimated by 4 (4 kHz). */
const DECIMATE = 4;
const MIN_LAG = 10;
const MAX_LAG = 50;
/** The loudest hop of this many past hops is the reference for the dip (200 ms). */
const PEAK_HOPS = 20;
/** Dips this deep (dB) under the recent peak count fully. */
const DIP_DB = 30;
/** Spectral flatness and the low-frequency share are measured between these edges. */
const FLAT_LO_HZ = 300;
const FLAT_HI_HZ = 5000;
const LOW_SHARE_HZ = 500;

/** Names of the values `compute` writes, in order (the lip-sync model is fitted against this layout). */
export const featureNames = [
  'loud',
  'loud2',
  ...['bandLow', 'bandF1', 'bandF2', 'bandHi', 'bandTop', 'centroid', 'zcr', 'f1', 'f2'].flatMap((n) => [
    n,
    `${n}*loud`,
  ]),
  'slope',
  'voicing',
  'voicing*loud',
  'flatness',
  'lowShare',
  'dip',
  'nasal',
  'gap',
  ...Array.from({ length: MEL_BANDS }, (_, b) => `mel${b}`),
  ...Array.from({ length: MEL_BANDS }, (_, b) => `melNorm${b}`),
  'flux',
] as const;
export const FEATURES = featureNames.length;

export class SpeechFeatures {
  private readonly fft = new FFT(FFT_SIZE);
  private readonly hann = new Float64Array(WINDOW);
  private readonly hannPower: number;
  private readonly re = new Float64Array(FFT_SIZE);
  private readonly im = new Float64Array(FFT_SIZE);
  private readonly power = new Float64Array(FFT_SIZE / 2 + 1);
  private readonly emph = new Float64Array(WINDOW);
  private readonly r = new Float64Array(LPC_ORDER + 1);
  private readonly lpc = new Float64Array(LPC_ORDER + 1);
  private readonly tmp = new Float64Array(LPC_ORDER + 1);
  private readonly bandBins: Int32Array;
  private readonly recentDb = new Float64Array(3);
  private level = INITIAL_LEVEL_DB;
  private readonly values = new Float64Array(SPECTRAL);
  private hops = 0;
  private readonly small = new Float64Array(WINDOW / DECIMATE);
  private readonly cumSq = new Float64Array(WINDOW / DECIMATE + 1);
  private readonly peakDb = new Float64Array(PEAK_HOPS);
  private readonly flatBins: readonly [number, number];
  private readonly lowBins: number;
  private readonly mel = new MelBands(SAMPLE_RATE, FFT_SIZE);

  constructor() {
    let sum = 0;
    for (let i = 0; i < WINDOW; i++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / WINDOW);
      this.hann[i] = w;
      sum += w * w;
    }
    this.hannPower = sum;
    this.bandBins = Int32Array.from(BAND_EDGES_HZ, (hz) => Math.round((hz / SAMPLE_RATE) * FFT_SIZE));
    const bin = (hz: number) => Math.round((hz / SAMPLE_RATE) * FFT_SIZE);
    this.flatBins = [bin(FLAT_LO_HZ), bin(FLAT_HI_HZ)];
    this.lowBins = bin(LOW_SHARE_HZ);
    this.reset();
  }

  /** Forgets the energy history; the speaker's running level is kept (same voice after an interrupt). */
  reset(): void {
    this.recentDb.fill(SILENCE_DB);
    this.peakDb.fill(SILENCE_DB);
    this.mel.reset();
    this.hops = 0;
  }

  /** Analyses `WINDOW` samples starting at `at` in `samples` and writes `FEATURES` values to `out[outAt..]`. */
  compute(samples: Float32Array, at: number, out: Float32Array, outAt: number): void {
    const { re, im, hann, power } = this;
    let energy = 0;
    let crossings = 0;
    let prev = samples[at]!;
    for (let i = 0; i < WINDOW; i++) {
      const x = samples[at + i]!;
      const xw = x * hann[i]!;
      re[i] = xw;
      energy += xw * xw;
      if (x >= 0 !== prev >= 0) crossings++;
      prev = x;
      this.emph[i] = (x - 0.97 * (i > 0 ? samples[at + i - 1]! : 0)) * hann[i]!;
    }
    re.fill(0, WINDOW);
    im.fill(0);
    this.fft.transform(re, im);
    let total = 0;
    let weighted = 0;
    for (let k = 0; k <= FFT_SIZE / 2; k++) {
      const p = re[k]! * re[k]! + im[k]! * im[k]!;
      power[k] = p;
      total += p;
      weighted += p * k;
    }

    const db = 10 * Math.log10(energy / this.hannPower + 1e-10);
    this.level =
      db > this.level ? this.level + 0.3 * (db - this.level) : Math.max(-60, this.level - LEVEL_DECAY_DB);
    const rel = db - this.level;
    const loud = Math.min(1, Math.max(0, (rel + RANGE_DB) / RANGE_DB));

    const totalDb = 10 * Math.log10(total + 1e-12);
    const centroid = total > 0 ? (weighted / total) * (SAMPLE_RATE / FFT_SIZE) : 0;
    const values = this.values;
    for (let b = 0; b < 5; b++) {
      let sum = 0;
      for (let k = this.bandBins[b]!; k < this.bandBins[b + 1]!; k++) sum += power[k]!;
      values[b] = Math.max(-40, 10 * Math.log10(sum + 1e-12) - totalDb) / 40 + 1;
    }
    values[5] = centroid / 4000;
    values[6] = (crossings / WINDOW) * 4;
    this.formants(values, 7);

    let o = outAt;
    out[o++] = loud;
    out[o++] = loud * loud;
    for (let j = 0; j < SPECTRAL; j++) {
      const v = values[j]!;
      out[o++] = v;
      out[o++] = v * loud;
    }
    const floorDb = this.level - RANGE_DB;
    const older = this.recentDb[this.hops % 3]!;
    out[o++] = this.hops >= 3 ? Math.max(-1.5, Math.min(1.5, (db - Math.max(older, floorDb)) / 20)) : 0;
    this.recentDb[this.hops % 3] = Math.max(db, floorDb);

    const voicing = this.voicing(samples, at);
    let peak = Math.max(db, floorDb);
    for (let i = 0; i < PEAK_HOPS; i++) peak = Math.max(peak, this.peakDb[i]!);
    this.peakDb[this.hops % PEAK_HOPS] = Math.max(db, floorDb);
    const dip = Math.min(1, (peak - Math.max(db, floorDb)) / DIP_DB);
    let low = 0;
    for (let k = 1; k < this.lowBins; k++) low += power[k]!;
    const lowShare = total > 0 ? low / total : 0;
    out[o++] = voicing;
    out[o++] = voicing * loud;
    out[o++] = this.flatness();
    out[o++] = lowShare;
    out[o++] = dip;
    out[o++] = dip * voicing * lowShare;
    out[o++] = dip * (1 - voicing);
    this.mel.compute(power, loud, out, o);
    this.hops++;
  }

  /** Peak normalised autocorrelation (0..1) over pitch lags, on the window averaged down to 4 kHz. */
  private voicing(samples: Float32Array, at: number): number {
    const x = this.small;
    const n = x.length;
    let mean = 0;
    for (let i = 0; i < n; i++) {
      const j = at + i * DECIMATE;
      x[i] = samples[j]! + samples[j + 1]! + samples[j + 2]! + samples[j + 3]!;
      mean += x[i]!;
    }
    mean /= n;
    for (let i = 0; i < n; i++) x[i]! -= mean;
    // Prefix sums of squares give each lag's two energies without a loop of their own.
    const cum = this.cumSq;
    cum[0] = 0;
    for (let i = 0; i < n; i++) cum[i + 1] = cum[i]! + x[i]! * x[i]!;
    // Every other lag, then the two beside the best: the correlation peak is several lags wide at 4 kHz.
    let best = 0;
    let bestLag = MIN_LAG;
    for (let lag = MIN_LAG; lag <= MAX_LAG; lag += 2) {
      const r = this.lagCorrelation(lag);
      if (r > best) {
        best = r;
        bestLag = lag;
      }
    }
    if (bestLag > MIN_LAG) best = Math.max(best, this.lagCorrelation(bestLag - 1));
    if (bestLag < MAX_LAG) best = Math.max(best, this.lagCorrelation(bestLag + 1));
    return best;
  }

  /** Normalised autocorrelation of the decimated window at `lag` (0 where it is not positive). */
  private lagCorrelation(lag: number): number {
    const x = this.small;
    const cum = this.cumSq;
    const n = x.length;
    let xy = 0;
    for (let i = 0; i + lag < n; i++) xy += x[i]! * x[i + lag]!;
    const xx = cum[n - lag]!;
    const yy = cum[n]! - cum[lag]!;
    return xy > 0 && xx > 0 && yy > 0 ? xy / Math.sqrt(xx * yy) : 0;
  }

  /** Geometric over arithmetic mean of the power spectrum in the speech band: near 1 for noise. */
  private flatness(): number {
    const [lo, hi] = this.flatBins;
    let logSum = 0;
    let sum = 0;
    // Logs of products of 8 bins: one Math.log per 8 (each power is ≥ 1e-14, so no product underflows).
    let product = 1;
    for (let k = lo; k < hi; k++) {
      const p = this.power[k]! + 1e-14;
      product *= p;
      sum += p;
      if ((k - lo) % 8 === 7) {
        logSum += Math.log(product);
        product = 1;
      }
    }
    logSum += Math.log(product);
    const n = hi - lo;
    return Math.exp(logSum / n) / (sum / n);
  }

  /** F1/1000 and F2/2500 (Hz) as the first two peaks of the LPC envelope; neutral values where there are none. */
  private formants(out: Float64Array, at: number): void {
    const { r, lpc, tmp, emph, re, im } = this;
    for (let lag = 0; lag <= LPC_ORDER; lag++) {
      let s = 0;
      for (let i = lag; i < WINDOW; i++) s += emph[i]! * emph[i - lag]!;
      r[lag] = s;
    }
    if (r[0]! <= 1e-9) {
      out[at] = 0.5;
      out[at + 1] = 0.6;
      return;
    }
    r[0]! *= 1.0001;
    // Levinson-Durbin recursion.
    lpc.fill(0);
    lpc[0] = 1;
    let err = r[0]!;
    for (let i = 1; i <= LPC_ORDER; i++) {
      let acc = r[i]!;
      for (let j = 1; j < i; j++) acc += lpc[j]! * r[i - j]!;
      const k = -acc / err;
      tmp.set(lpc);
      for (let j = 1; j < i; j++) lpc[j] = tmp[j]! + k * tmp[i - j]!;
      lpc[i] = k;
      err *= 1 - k * k;
      if (err <= 0) break;
    }
    re.fill(0);
    im.fill(0);
    for (let i = 0; i <= LPC_ORDER; i++) re[i] = lpc[i]!;
    this.fft.transform(re, im);
    // Envelope = 1/|A|²; a peak of the envelope is a minimum of |A|².
    const hz = SAMPLE_RATE / FFT_SIZE;
    const lo = Math.round(200 / hz);
    const hi = Math.round(3500 / hz);
    let f1 = 0;
    let f2 = 0;
    let before = re[lo - 1]! ** 2 + im[lo - 1]! ** 2;
    let here = re[lo]! ** 2 + im[lo]! ** 2;
    for (let k = lo; k < hi; k++) {
      const after = re[k + 1]! ** 2 + im[k + 1]! ** 2;
      if (here < before && here <= after) {
        const f = k * hz;
        if (f1 === 0) f1 = f;
        else if (f > f1 + 250) {
          f2 = f;
          break;
        }
      }
      before = here;
      here = after;
    }
    out[at] = (f1 || 500) / 1000;
    out[at + 1] = (f2 || 1500) / 2500;
  }
}
