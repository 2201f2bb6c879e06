// Lip-sync measured on rendered pixels, not on the model's parameters: speech is rendered on a teeth-showing
// photo avatar and on an illustrated one, the face-landmark model the engine ships (@vladmandic/human) is run on
// every rendered frame, and the inner-lip gap it finds (the mean distance between the inner lip contours over the
// distance between the irises, `innerLipGap` from @agenthuman/engine/testing/face) is scored against the phoneme truth:
// correlation (and the best lag), the share of m/b/p frames where the lips meet, and how still the mouth is in
// silence. Both lip-sync paths are measured: Flite's phonemes and audio only. The same model's reading of real
// closed mouths (14 faces, framed like an avatar) is reported next to it: the instrument's own floor.
// `npx tsx bench/lipsync-pixels.ts [--wide]` prints one JSON object on its last line; `measureLipsyncPixels()` returns
// it. `--wide` scores more sentences and a held-out voice too (WIDE_SENTENCES, WIDE_VOICES; ~4× the time).
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  AudioLipSync,
  createAnimator,
  createCpuRenderer,
  type FaceParams,
  type FliteVoice,
  ingestFace,
  keyframesFromPhonemes,
  loadFliteModule,
  type MouthKeyframe,
  PUBLIC_AVATARS,
  type Rig,
  synthesizeWithFlite,
} from '@agenthuman/engine';
import {
  cropJpeg,
  faceApiSample,
  innerLipGap,
  pairLipGap,
  SAMPLE3_RIGHT_PERSON,
} from '@agenthuman/engine/testing/face';
import type { TimedPhoneme } from '@agenthuman/media';
import { pearson } from '../packages/engine/src/lipsync/calibrate/evaluate.js';
import {
  type ClosedMouthReading,
  closedMouthRigs,
  type LandmarkConfig,
  meshOf,
  readClosedMouths,
} from './lipsync-pixel-reference.js';

/** Lips "meet" below this inner-lip gap, as a share of the distance between the irises. */
export const LIPS_MEET = 0.02;
export const FRAME_MS = 40;
/** Idle frames before and after each sentence: the silence that is scored. */
export const SILENCE_FRAMES = 15;
/** Lags (frames) searched for the best correlation; positive = the pixels come later than the truth. */
const MAX_LAG = 3;

/** Sentences rich in lip closures; none is in the lip-sync calibration corpus. */
export const PIXEL_SENTENCES = [
  'Maybe the brown puppy may bump the lamp.',
  'My brother bought a map of Boston.',
  'Please bring me some more warm bread.',
  'We moved to a farm by the lake in May.',
];

/**
 * `--wide`: four more closure-rich sentences (written before any was measured, none in the calibration corpus) and a
 * held-out voice (Flite rms) besides slt: 28 m/b/p frames per avatar and path become ~110, so one frame is under 1 %.
 */
export const WIDE_SENTENCES = [
  ...PIXEL_SENTENCES,
  'Bob made a big pot of plum jam.',
  'The mob swept up the papers by the tram.',
  'Mom packed a bag for the camping trip.',
  'Please pass the butter and the maple bread.',
];
export const WIDE_VOICES = ['slt', 'rms'] as const;

export interface PathScore {
  /** Pearson correlation of the rendered gap with the phoneme-path jaw opening, at the best lag. */
  corr: number;
  corr_lag0: number;
  lag_ms: number;
  /** Share of m/b/p frames whose rendered lips meet (gap < 2 % of the iris distance). */
  mbp_lips_meet: number;
  /** Median gap on m/b/p frames. */
  mbp_gap_median: number;
  /** The 2 % rule on the earlier reading (three middle point pairs, `pairLipGap`), for comparison. */
  mbp_lips_meet_pairs: number;
  /**
   * What the animator asked of the renderer on the scored m/b/p frames: the largest jaw opening and the smallest
   * lip press (1 = pressed closed). A closure still closing would show here, not only in the pixels.
   */
  mbp_jaw_open_max: number;
  mbp_lip_press_min: number;
  /**
   * The same, with the gap taken relative to what the landmark model reads on this avatar's own closed mouth at
   * rest (`rest_gap`): the model never reads closed lips as a zero gap (see `reference_closed_photo_gap`).
   */
  mbp_lips_meet_vs_rest: number;
  /**
   * The 2 % rule above the median of what the same model reads on real closed mouths (`real_closed_mouths`, same
   * configuration): the instrument's floor measured on real mouths, not on ours.
   */
  mbp_lips_meet_vs_real_closed: number;
  /** Median gap the model reads in silence, where the rendered lips are closed. */
  rest_gap: number;
  mbp_frames: number;
  /** Rendered gap in silence (idle frames around each sentence), as a share of the iris distance. */
  silence_gap_mean: number;
  silence_gap_max: number;
  /** Standard deviation of the gap in silence: how still the mouth stays. */
  silence_gap_sd: number;
  /** Share of silent frames whose lips meet. */
  silence_lips_meet: number;
  /** Frames where the landmark model found no face (left out of every figure). */
  missed_frames: number;
}

/**
 * Ways to run the landmark model. How the detector crops the face changes what the mesh model reads for a closed
 * mouth (on one real photo of closed lips: 0.02 to 0.11 of the iris distance). Human's lip refinement
 * (`face.attention`) is not usable here: its model is not in @vladmandic/human's package, and on the tfjs wasm
 * backend it fails (BatchMatMul on int32 tensors is unsupported).
 */
export const LANDMARK_CONFIGS: Record<string, LandmarkConfig> = {
  default: {},
  no_rotation: { rotation: false },
  crop_1_25: { cropScale: 1.25 },
  crop_1_1: { cropScale: 1.1 },
  // A second pass on the mirror image, averaged: the model's error on the seam is not mirror-symmetric.
  mirrored: { mirror: true },
  no_rotation_mirrored: { rotation: false, mirror: true },
};

export interface LipsyncPixelsResult {
  photo: { phonemes: PathScore; audio: PathScore };
  illustrated: { phonemes: PathScore; audio: PathScore };
  /**
   * The configuration every frame was measured with: the one whose median reading of the real closed mouths is the
   * smallest, chosen without looking at our rendered frames.
   */
  landmark_config: string;
  /** Per configuration: the real closed mouths' median reading and each avatar's rendered rest frame. */
  landmark_configs: Record<
    string,
    { real_closed_median: number; photo_rest: number; illustrated_rest: number }
  >;
  /**
   * What the model reads on real closed mouths (face-api demo photos and the bundled photo avatars, framed like an
   * avatar), in the chosen configuration: each face, the median, and the share the 2 % rule calls closed.
   */
  real_closed_mouths: {
    median: number;
    lips_meet: number;
    smiles_median: number;
    faces: Array<{ name: string; smile: boolean; gap: number; pair_gap: number }>;
  };
  frames: number;
  detect_ms_per_frame: number;
  voices: string[];
  sentences: number;
}

export interface Sentence {
  pcm: Int16Array;
  phonemes: TimedPhoneme[];
  truth: MouthKeyframe[];
}

export interface Track {
  /** Rendered inner-lip gap per frame (NaN where no face was found), and the three-pair reading. */
  gap: number[];
  pairGap: number[];
  /** The animator's parameters per frame, and the lip-sync keyframe it was given (null in silence). */
  params: FaceParams[];
  keys: (MouthKeyframe | null)[];
  truth: number[];
  /** Frame indices that show m, b or p (nearest each closure's middle) and that are silent. */
  closures: number[];
  silent: number[];
}

export function audioKeyframes(pcm: Int16Array): MouthKeyframe[] {
  const sync = new AudioLipSync({ frameMs: FRAME_MS });
  const out: MouthKeyframe[] = [];
  for (let at = 0; at < pcm.length; at += 320) out.push(...sync.push(pcm.subarray(at, at + 320)));
  out.push(...sync.flush());
  return out;
}

let detectMs = 0;
let detected = 0;

export async function renderAndMeasure(
  rig: Rig,
  sentences: Sentence[],
  path: 'phonemes' | 'audio',
  config: LandmarkConfig,
): Promise<Track> {
  const renderer = createCpuRenderer(rig, { idleCache: false });
  const animator = createAnimator({ seed: 7 });
  const track: Track = { gap: [], pairGap: [], params: [], keys: [], truth: [], closures: [], silent: [] };
  const rgb = new Uint8Array(rig.width * rig.height * 3);
  let frame = 0;
  const show = async (mouth: MouthKeyframe | null, truth: number) => {
    const params = animator.step(frame * FRAME_MS, mouth);
    const rgba = renderer.render(params, frame * FRAME_MS, 'rgba').data;
    for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
      rgb[j] = rgba[i]!;
      rgb[j + 1] = rgba[i + 1]!;
      rgb[j + 2] = rgba[i + 2]!;
    }
    const t0 = performance.now();
    const mesh = await meshOf(rgb, rig.width, rig.height, config);
    detectMs += performance.now() - t0;
    detected++;
    track.gap.push(mesh ? innerLipGap(mesh) : Number.NaN);
    track.pairGap.push(mesh ? pairLipGap(mesh) : Number.NaN);
    track.params.push(params);
    track.keys.push(mouth);
    track.truth.push(truth);
    frame++;
  };
  for (const s of sentences) {
    const keys = path === 'phonemes' ? s.truth : audioKeyframes(s.pcm);
    for (let i = 0; i < SILENCE_FRAMES; i++) {
      // The first frames of a sentence's lead-in still carry the previous sentence's ease to rest.
      if (i >= 5) track.silent.push(frame);
      await show(null, 0);
    }
    const start = frame;
    for (let k = 0; k < s.truth.length; k++) await show(keys[k] ?? null, s.truth[k]!.jawOpen);
    for (const p of s.phonemes) {
      if (p.phoneme !== 'm' && p.phoneme !== 'b' && p.phoneme !== 'p') continue;
      track.closures.push(start + Math.round((p.startMs + p.endMs) / 2 / FRAME_MS));
    }
  }
  for (let i = 0; i < SILENCE_FRAMES; i++) {
    if (i >= 5) track.silent.push(frame);
    await show(null, 0);
  }
  renderer.close();
  return track;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const medianOf = (xs: number[]) => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return s[s.length >> 1] ?? Number.NaN;
};

export function scoreTrack(track: Track, realClosedGap = 0): PathScore {
  const corrAt = (lag: number) => {
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < track.truth.length; i++) {
      const g = track.gap[i + lag];
      if (g === undefined || Number.isNaN(g)) continue;
      a.push(g);
      b.push(track.truth[i]!);
    }
    return pearson(a, b);
  };
  let lag = 0;
  for (let l = -MAX_LAG; l <= MAX_LAG; l++) if (corrAt(l) > corrAt(lag)) lag = l;
  const seen = (list: number[], gaps = track.gap) =>
    list.map((i) => gaps[i]!).filter((g) => !Number.isNaN(g));
  const closures = seen(track.closures);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;
  const closing = track.closures.map((i) => track.params[i]!);
  const silence = seen(track.silent);
  const share = (xs: number[], floor = 0) =>
    xs.length ? xs.filter((g) => g - floor < LIPS_MEET).length / xs.length : 0;
  const rest = silence.length ? median(silence) : 0;
  const mean = silence.reduce((s, g) => s + g, 0) / Math.max(1, silence.length);
  const sd = Math.sqrt(silence.reduce((s, g) => s + (g - mean) ** 2, 0) / Math.max(1, silence.length));
  return {
    corr: round3(corrAt(lag)),
    corr_lag0: round3(corrAt(0)),
    lag_ms: lag * FRAME_MS,
    mbp_lips_meet: round3(share(closures)),
    mbp_gap_median: round3(median(closures)),
    mbp_lips_meet_pairs: round3(share(seen(track.closures, track.pairGap))),
    mbp_jaw_open_max: round3(Math.max(0, ...closing.map((p) => p.jawOpen))),
    mbp_lip_press_min: round3(Math.min(1, ...closing.map((p) => p.lipPress ?? 0))),
    mbp_lips_meet_vs_rest: round3(share(closures, rest)),
    mbp_lips_meet_vs_real_closed: round3(share(closures, realClosedGap)),
    rest_gap: round3(rest),
    mbp_frames: closures.length,
    silence_gap_mean: round3(mean),
    silence_gap_max: round3(Math.max(0, ...silence)),
    silence_gap_sd: round3(sd),
    silence_lips_meet: round3(share(silence)),
    missed_frames: track.gap.filter((g) => Number.isNaN(g)).length,
  };
}

function restRgb(rig: Rig): Uint8Array {
  const renderer = createCpuRenderer(rig, { idleCache: false });
  const rgba = renderer.render(createAnimator({ seed: 7 }).step(0, null), 0, 'rgba').data;
  renderer.close();
  const rgb = new Uint8Array(rig.width * rig.height * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) rgb.set(rgba.subarray(i, i + 3), j);
  return rgb;
}

/** The teeth-showing photo: a face-api demo photo (a devDependency, read in place and never bundled). */
export async function teethPhotoRig(): Promise<Rig> {
  const photo = await cropJpeg(await faceApiSample(3), SAMPLE3_RIGHT_PERSON);
  return (await ingestFace(photo, { aspectRatio: '4:3' })).rig;
}

/** Flite speech with its phoneme-path truth at 25 fps. */
export async function fliteSentences(texts: readonly string[], voice: FliteVoice): Promise<Sentence[]> {
  const module = await loadFliteModule();
  return texts.map((text): Sentence => {
    const { pcm, phonemes } = synthesizeWithFlite(module, text, voice);
    return { pcm, phonemes, truth: keyframesFromPhonemes(phonemes, { frameMs: FRAME_MS }) };
  });
}

/** The two avatars scored: the teeth-showing photo and the first illustrated public avatar. */
export async function pixelRigs(): Promise<{ photo: Rig; illustrated: Rig }> {
  const illustrated = PUBLIC_AVATARS.find((a) => a.kind === 'illustrated');
  if (!illustrated) throw new Error('no illustrated public avatar');
  return { photo: await teethPhotoRig(), illustrated: await illustrated.loadRig('4:3') };
}

export async function measureLipsyncPixels(
  options: {
    sentences?: readonly string[];
    /** Each sentence is spoken by each voice, one after the other (default slt). */
    voices?: readonly ('slt' | 'rms' | 'awb' | 'kal16')[];
    /** A `LANDMARK_CONFIGS` name to measure with instead of the one chosen on the real closed-lips photo. */
    landmarks?: string;
  } = {},
): Promise<LipsyncPixelsResult> {
  const voices = options.voices ?? ['slt'];
  const sentences: Sentence[] = [];
  for (const voice of voices)
    sentences.push(...(await fliteSentences(options.sentences ?? PIXEL_SENTENCES, voice)));
  const rigs = await pixelRigs();
  const real = await closedMouthRigs();
  const frames = { photo: restRgb(rigs.photo), illustrated: restRgb(rigs.illustrated) };
  const gapOn = async (rgb: Uint8Array, rig: Rig, config: LandmarkConfig) => {
    const mesh = await meshOf(rgb, rig.width, rig.height, config);
    return mesh ? innerLipGap(mesh) : Number.NaN;
  };
  const configs: LipsyncPixelsResult['landmark_configs'] = {};
  const readings: Record<string, ClosedMouthReading[]> = {};
  for (const [name, config] of Object.entries(LANDMARK_CONFIGS)) {
    readings[name] = await readClosedMouths(real, config);
    configs[name] = {
      real_closed_median: round3(medianOf(readings[name].map((r) => r.gap))),
      photo_rest: round3(await gapOn(frames.photo, rigs.photo, config)),
      illustrated_rest: round3(await gapOn(frames.illustrated, rigs.illustrated, config)),
    };
  }
  const chosen = Object.keys(configs).reduce((a, b) =>
    (configs[b]!.real_closed_median || Number.POSITIVE_INFINITY) <
    (configs[a]!.real_closed_median || Number.POSITIVE_INFINITY)
      ? b
      : a,
  );
  const best = options.landmarks ?? chosen;
  const config = LANDMARK_CONFIGS[best];
  if (!config) throw new Error(`unknown landmark configuration ${best}`);
  const floor = configs[best]!.real_closed_median;
  const faces = readings[best]!;
  const seen = faces.filter((f) => !Number.isNaN(f.gap));
  detectMs = 0;
  detected = 0;
  const score = async (rig: Rig) => ({
    phonemes: scoreTrack(await renderAndMeasure(rig, sentences, 'phonemes', config), floor),
    audio: scoreTrack(await renderAndMeasure(rig, sentences, 'audio', config), floor),
  });
  const photo = await score(rigs.photo);
  const drawn = await score(rigs.illustrated);
  return {
    photo,
    illustrated: drawn,
    landmark_config: best,
    landmark_configs: configs,
    real_closed_mouths: {
      median: floor,
      lips_meet: round3(seen.filter((f) => f.gap < LIPS_MEET).length / Math.max(1, seen.length)),
      smiles_median: round3(medianOf(seen.filter((f) => f.smile).map((f) => f.gap))),
      faces: faces.map((f) => ({ ...f, gap: round3(f.gap), pair_gap: round3(f.pair_gap) })),
    },
    frames: detected,
    detect_ms_per_frame: Math.round((detectMs / Math.max(1, detected)) * 10) / 10,
    voices: [...voices],
    sentences: sentences.length,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // `--landmarks=default` measures with one configuration of LANDMARK_CONFIGS instead of the chosen one.
  const landmarks = process.argv.find((a) => a.startsWith('--landmarks='))?.slice('--landmarks='.length);
  const wide = process.argv.includes('--wide') ? { sentences: WIDE_SENTENCES, voices: WIDE_VOICES } : {};
  console.log(JSON.stringify(await measureLipsyncPixels({ ...wide, ...(landmarks ? { landmarks } : {}) })));
}
