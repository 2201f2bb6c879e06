// Turns utterances into training clips for the audio-only lip-sync: each clip is augmented audio (rate and pitch
// come from the synthesiser; here level, noise, babble, reverb, telephone band), padded with pauses that may hold
// a noise burst or music, and a target per 10 ms hop: the five mouth values from the phoneme path, whether the
// hop is speech, and whether it is a lip closure (p, b, m). Features come from the live SpeechFeatures.
import { FeatureStream } from '../feature-stream.js';
import { keyframesFromPhonemes } from '../phoneme-lipsync.js';
import { FEATURES } from '../speech-features.js';
import { closurePhonemes, diphthongs, visemeFor } from '../visemes.js';
import {
  activeRms,
  type BurstKind,
  babble,
  mixAtSnr,
  music,
  noiseBurst,
  pinkNoise,
  type Rand,
  reverb,
  rng,
  telephone,
  tilt,
  toFloat,
  toInt16,
  warpVocalTract,
  whiteNoise,
} from './augment.js';
import type { Utterance } from './corpus.js';

export const TARGETS = 7;

/**
 * Phoneme classes by mouth shape, for `fit.ts --aux`: the network also learns which class a hop is in, an
 * auxiliary output dropped from the saved model (the classes carry over between voices better than one jaw value).
 */
const CLASS_OF_VISEME: Record<string, number> = {
  rest: 0,
  AA: 1,
  AE: 1,
  AO: 1,
  AH: 1,
  EH: 2,
  AX: 2,
  ER: 2,
  IH: 2,
  UH: 2,
  IY: 3,
  UW: 3,
  W: 3,
  R: 3,
  Y: 3,
  MBP: 4,
  FV: 5,
  T: 6,
  K: 6,
  L: 6,
  TH: 6,
  S: 7,
  SH: 7,
  H: 8,
};
export const PHONE_CLASSES = 9;

export interface Clip {
  /** FEATURES values per hop. */
  features: Float32Array;
  /** TARGETS values per hop. */
  targets: Float32Array;
  /** The phoneme class (0..PHONE_CLASSES-1) of each hop. */
  phoneClass: Uint8Array;
  hops: number;
}

export type Condition =
  | 'clean'
  | 'quiet-phone'
  | 'loud'
  | 'pink'
  | 'babble'
  | 'reverb'
  | 'music-bed'
  | 'white';
export const conditions: readonly Condition[] = [
  'clean',
  'pink',
  'quiet-phone',
  'babble',
  'reverb',
  'loud',
  'music-bed',
  'white',
];

const PAD_MS = 300;

/** One augmented clip of `u`; `tail` decides what fills the pause after it (silence, a noise burst, music). */
export function clipOf(
  u: Utterance,
  condition: Condition,
  tail: 'silence' | 'burst' | 'music',
  seed: number,
  talkers: readonly Int16Array[],
): Clip {
  const rand = rng(seed);
  const pad = PAD_MS * 16;
  const tailMs = tail === 'silence' ? PAD_MS : 600 + Math.floor(rand() * 900);
  const speech = new Float32Array(pad + u.pcm.length + tailMs * 16);
  speech.set(toFloat(condition === 'quiet-phone' ? telephone(u.pcm) : u.pcm), pad);
  const level = activeRms(speech);
  if (tail !== 'silence') {
    const start = pad + u.pcm.length + Math.floor(rand() * 3200);
    const room = speech.length - start;
    const sound =
      tail === 'burst'
        ? noiseBurst(
            (['white', 'pink', 'click'] as BurstKind[])[Math.floor(rand() * 3)]!,
            60 + rand() * 400,
            rand,
          )
        : music(Math.min(room, 16000), rand);
    const gain = level * 10 ** ((-12 + 15 * rand()) / 20);
    for (let i = 0; i < sound.length && i < room; i++) speech[start + i]! += gain * sound[i]!;
  }
  let x: Float32Array = speech;
  const snr = (lo: number, hi: number) => lo + (hi - lo) * rand();
  if (condition === 'pink') x = mixAtSnr(x, pinkNoise(x.length, rand), snr(12, 30));
  else if (condition === 'white') x = mixAtSnr(x, whiteNoise(x.length, rand), snr(18, 35));
  else if (condition === 'babble')
    x = mixAtSnr(x, babble(pick(talkers, 4, rand), x.length, rand), snr(12, 25));
  else if (condition === 'music-bed') x = mixAtSnr(x, music(x.length, rand), snr(12, 25));
  else if (condition === 'reverb') x = reverb(x, 0.2 + 0.5 * rand(), 0.2 + 0.4 * rand());
  const gainDb = condition === 'loud' ? 8 : condition === 'quiet-phone' ? -14 : -6 + 10 * rand();
  const floorDbfs = -75 + 20 * rand();
  const g = 10 ** (gainDb / 20);
  const floor = 10 ** (floorDbfs / 20) * Math.sqrt(3);
  for (let i = 0; i < x.length; i++) x[i] = x[i]! * g + floor * (2 * rand() - 1);
  const pcm = toInt16(x);

  // Targets: the utterance's phonemes shifted by the pad, pauses around them.
  const shift = PAD_MS;
  const endMs = (x.length / 16000) * 1000;
  const phonemes = [
    { phoneme: 'pau', startMs: 0, endMs: shift },
    ...u.phonemes.map((p) => ({ ...p, startMs: p.startMs + shift, endMs: p.endMs + shift })),
  ];
  const last = phonemes[phonemes.length - 1]!;
  if (last.endMs < endMs) phonemes.push({ phoneme: 'pau', startMs: last.endMs, endMs });
  const truth = keyframesFromPhonemes(phonemes, { frameMs: 10 });

  const features: number[] = [];
  const stream = new FeatureStream({ frameMs: 10, offsets: [0] });
  const collect = (_: number, v: Float32Array) => {
    for (let i = 0; i < FEATURES; i++) features.push(v[i]!);
  };
  stream.push(pcm, collect);
  stream.flush(collect);
  const hops = Math.min(features.length / FEATURES, truth.length);
  const targets = new Float32Array(hops * TARGETS);
  const phoneClass = new Uint8Array(hops);
  let p = 0;
  for (let k = 0; k < hops; k++) {
    const t = truth[k]!;
    const ms = k * 10;
    while (p < phonemes.length - 1 && phonemes[p]!.endMs <= ms) p++;
    const segment = phonemes[p]!;
    const phone = segment.phoneme;
    const glide = diphthongs[phone];
    const viseme = glide ? glide[ms < (segment.startMs + segment.endMs) / 2 ? 0 : 1] : visemeFor(phone);
    phoneClass[k] = CLASS_OF_VISEME[viseme.name] ?? 2;
    targets.set(
      [
        t.jawOpen,
        t.mouthWidth,
        t.mouthRound,
        t.upperLip,
        t.lowerLip,
        phone === 'pau' ? 0 : 1,
        closurePhonemes.has(phone) ? 1 : 0,
      ],
      k * TARGETS,
    );
  }
  return {
    features: Float32Array.from(features.slice(0, hops * FEATURES)),
    targets,
    phoneClass,
    hops,
  };
}

/**
 * The same utterance from another vocal tract and channel colour (a seeded warp of 0.88–1.14 and a spectral
 * tilt), phoneme times scaled with it: speakers and synthesisers differ in exactly this, and a model that hears
 * only twelve voices otherwise learns their colour.
 */
export function recoloured(u: Utterance, seed: number): Utterance {
  const rand = rng(seed);
  const alpha = 0.88 + 0.26 * rand();
  const { pcm, timeScale } = warpVocalTract(u.pcm, alpha);
  const coloured = toInt16(tilt(toFloat(pcm), -1 + 2 * rand()));
  const at = (ms: number) => Math.round(ms * timeScale * 10) / 10;
  const phonemes = u.phonemes.map((p) => ({ ...p, startMs: at(p.startMs), endMs: at(p.endMs) }));
  return { ...u, pcm: coloured, phonemes, truth: keyframesFromPhonemes(phonemes, { frameMs: 10 }) };
}

function pick<T>(items: readonly T[], n: number, rand: Rand): T[] {
  return Array.from({ length: n }, () => items[Math.floor(rand() * items.length)]!);
}

/** Per-feature mean and 1/sd over every hop of every clip. */
export function featureStats(clips: readonly Clip[]): { mean: number[]; scale: number[] } {
  const mean = new Array(FEATURES).fill(0);
  const sq = new Array(FEATURES).fill(0);
  let n = 0;
  for (const c of clips) {
    for (let k = 0; k < c.hops; k++) {
      for (let i = 0; i < FEATURES; i++) {
        const v = c.features[k * FEATURES + i]!;
        mean[i] += v;
        sq[i] += v * v;
      }
      n++;
    }
  }
  for (let i = 0; i < FEATURES; i++) {
    mean[i] /= n;
    const sd = Math.sqrt(Math.max(0, sq[i] / n - mean[i] ** 2));
    sq[i] = sd > 1e-9 ? 1 / sd : 0;
  }
  return { mean, scale: sq };
}
