// The fit's settings: its network's inputs and training, the gate grid and the rules the gates must keep on
// validation, and the command-line flags that vary them (fit.ts's header lists the flags).
import { PHONE_CLASSES, TARGETS } from './dataset.js';

/**
 * `--ahead=<hops>`: context reaching this many 10 ms hops past the frame (default 2: 32.5 ms look-ahead with the
 * window); hops beyond 2 are taken every 20 ms (4, 6, …), as the past thins out away from the frame.
 */
const AHEAD = Number(process.argv.find((a) => a.startsWith('--ahead='))?.slice(8) ?? 2);
if (!Number.isInteger(AHEAD) || AHEAD < 2 || AHEAD > 10) throw new RangeError('--ahead=<hops>: 2 to 10');
/** About 200 ms of past context, denser near the frame; AHEAD hops ahead. */
export const OFFSETS = [-20, -16, -12, -10, -8, -6, -4, -3, -2, -1, 0, 1, 2];
for (let o = 4; o <= AHEAD; o += 2) OFFSETS.push(o);
if (AHEAD % 2 === 1 && AHEAD > 2) OFFSETS.push(AHEAD);
export const GENERATED = 40;
/** `loud` (1 = the speaker's running level, 0 = 45 dB under it) above which a non-speech hop is trained again. */
export const NON_SPEECH_LOUD = 0.7;
export const ROW_STRIDE = 3;
export const MLP = {
  hiddenUnits: 64,
  epochs: 8,
  // Decaying every epoch: at a rate held high the loss stalls (0.40 over 5 epochs at 0.002, then 0.33 at 0.0006);
  // this reaches 0.30 in 8 epochs.
  learningRate: 0.0015,
  epochDecay: 0.7,
  batch: 64,
  seed: 42,
  outputWeights: [3, 1, 1, 1, 1, 2, 2],
  // Closures are ~6 % of hops; without this the closure output rarely rises on them.
  positiveBoost: [1, 1, 1, 1, 1, 1, 4],
  weightDecay: 1e-4,
};
/** `--quick`: a few sentences and one epoch, to check the pipeline end to end (writes nothing). */
export const QUICK = process.argv.includes('--quick');
/** `--add-member=<seed>`: train one more member into the saved model (`--from=<file>`, default the target). */
export const ADD_MEMBER = Number(process.argv.find((a) => a.startsWith('--add-member='))?.slice(13) ?? 0);
if (QUICK) MLP.epochs = 1;
/** `--epochs=<n>`: fewer epochs, for comparisons on a busy machine (the learning rate decays as usual). */
const EPOCHS = process.argv.find((a) => a.startsWith('--epochs='));
if (EPOCHS) MLP.epochs = Number(EPOCHS.slice(9));
/**
 * `--recolour[=n]`: n (1–3, default 3) of every four training utterances from another vocal tract and tilt
 * (`recoloured`); 0 without the flag.
 */
export const RECOLOUR = recolourShare(
  process.argv.find((a) => a === '--recolour' || a.startsWith('--recolour=')),
);
/**
 * `--aux[=<weight>]`: each member also learns the hop's phoneme class (dataset.ts PHONE_CLASSES), at this loss
 * weight per class (default 0.5); the class outputs are dropped from the saved model.
 */
const AUX_FLAG = process.argv.find((a) => a === '--aux' || a.startsWith('--aux='));
export const AUX_WEIGHT = AUX_FLAG ? (AUX_FLAG === '--aux' ? 0.5 : Number(AUX_FLAG.slice(6))) : 0;
export const OUTPUTS = TARGETS + (AUX_WEIGHT ? PHONE_CLASSES : 0);
/**
 * `--noise=<sd>`: Gaussian noise of this spread added to every standardised input while training (seeded), so no
 * member leans on a training voice's fine spectral detail; 0 without the flag.
 */
export const INPUT_NOISE = Number(process.argv.find((a) => a.startsWith('--noise='))?.slice(8) ?? 0);
/** `--indic`: also train on the Hindi, Marathi and Telugu voices (voices.ts `indicSources`; not validated on). */
export const INDIC = process.argv.includes('--indic');
/** `--neural`: also train on the Kokoro voices (voices.ts `neuralSources`; not validated on; needs pip). */
export const NEURAL = process.argv.includes('--neural') || process.argv.includes('--neural-no-closure');
/**
 * `--neural-no-closure`: the neural voices teach the jaw, shape and speech outputs but not the lip closure (their
 * m/b/p timings are whole 25 ms Kokoro frames moved by one estimated shift; the closure output then presses less).
 */
export const NEURAL_NO_CLOSURE = process.argv.includes('--neural-no-closure');
/** `--hidden=<units>`: hidden units per member (default 64). */
const HIDDEN = Number(process.argv.find((a) => a.startsWith('--hidden='))?.slice(9) ?? 64);
MLP.hiddenUnits = HIDDEN;
MLP.outputWeights = [...MLP.outputWeights, ...new Array(OUTPUTS - TARGETS).fill(AUX_WEIGHT)];
MLP.positiveBoost = [...MLP.positiveBoost, ...new Array(OUTPUTS - TARGETS).fill(1)];
/**
 * `--members=3`: also train the third member (seed 7, row phase 1) in the same run; default 2. `--members=1`: the
 * first alone (a third of the time: to compare inputs or corpora against the same, not a model to commit).
 */
export const MEMBERS = Number(process.argv.find((a) => a.startsWith('--members='))?.slice(10) ?? 2);
if (![1, 2, 3].includes(MEMBERS)) throw new RangeError('--members must be 1, 2 or 3');
/**
 * `--smooth=<w,w,…>`: the model mixes its mouth values from every second hop around the frame with these weights
 * (LipSyncModel.smooth, odd count; `--smooth=none` removes it), set before the gates are chosen (also with
 * --gates-only); absent: as the saved model has it (a full fit: none).
 */
const SMOOTH_FLAG = process.argv.find((a) => a.startsWith('--smooth='))?.slice(9);
export const SMOOTH: number[] | null | undefined =
  SMOOTH_FLAG === undefined ? undefined : SMOOTH_FLAG === 'none' ? null : SMOOTH_FLAG.split(',').map(Number);
export const GATE_GRID = {
  speech: [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65],
  speechWidth: [0.3, 0.45, 0.6],
  closure: [0.25, 0.3, 0.35, 0.4],
  jawPower: [1, 1.25, 1.5, 1.75],
  /** gates.spare ramps tried (none first): chosen on validation, they spare the open vowels of voices never heard. */
  spare: [undefined, [0.2, 0.4], [0.2, 0.5]] as ([number, number] | undefined)[],
  /** gates.jawSpeech tried: the speech gate itself (undefined), none (null), a loose ramp of its own. */
  jawSpeech: [undefined, null, [0.15, 0.45]] as ([number, number] | null | undefined)[],
};
export const CLOSURE_WIDTH = 0.3;
/** On validation, with a margin: voices never heard close less often (0.75 here gave 0.64 held out). */
export const MIN_MBP_CLOSED = Number(process.argv.find((a) => a.startsWith('--min-mbp='))?.slice(10) ?? 0.85);
/** The target is 0.15; on validation with a margin, as for p/b/m (a held-out voice's bursts reached 0.19 at 0.14). */
export const MAX_BURST_JAW = 0.1;
/** Music must not flap the mouth either: unbounded, the lowest speech gates let music spikes through. */
export const MAX_MUSIC_JAW = 0.1;

function recolourShare(flag: string | undefined): number {
  if (!flag) return 0;
  const n = flag === '--recolour' ? 3 : Number(flag.slice(11));
  if (![1, 2, 3].includes(n)) throw new RangeError('--recolour=<n>: n of every 4 utterances, 1 to 3');
  return n;
}
