// Chooses the audio path's lip press (the closure output's ramp handed to the animator as MouthParams.closure) on
// validation only: the training voices' unseen sentences and their stillness fixtures, replayed through the live
// gateMouth from stored network outputs (gate-search.ts). Also measures how the closure output lines up in time with
// the phonemes' closures, at 10 ms. Held-out voices are never read here; espeak-ng and mbrola never anywhere.
import type { TimedPhoneme } from '@agenthuman/media';
import { FULL_PRESS_CLOSURE } from '../../animation/params.js';
import type { LipSyncModel } from '../lipsync-model.js';
import { NETWORK_OUTPUTS, type PressGate } from '../lipsync-network.js';
import { closurePhonemes } from '../visemes.js';
import type { Utterance } from './corpus.js';
import { feedLike, pearson, stillnessFixtures } from './evaluate.js';
import { replayFrames, type StoredHops, storeHops } from './gate-search.js';

/** Vowels whose frames must not be pressed (the jaw is open on them in every voice). */
export const OPEN_VOWELS: ReadonlySet<string> = new Set(['aa', 'ae', 'ah', 'ao', 'aw', 'ay', 'eh', 'ow']);

export interface PressSet {
  clips: { stored: StoredHops; phonemes: TimedPhoneme[]; truth: number[] }[];
  fixtures: { stored: StoredHops; fromFrame: number }[];
}

/** Stores `utterances` fed like evaluate.ts's scoreLipSync, and the stillness fixtures after the first few. */
export function pressSet(utterances: readonly Utterance[], model: LipSyncModel, seed = 77): PressSet {
  return {
    clips: utterances.map((u, i) => ({
      stored: storeHops(feedLike(u, i), model),
      phonemes: u.phonemes,
      truth: u.truth.map((f) => f.jawOpen),
    })),
    fixtures: utterances
      .filter((_, i) => i % 8 === 0)
      .flatMap((u, i) =>
        stillnessFixtures(u.pcm, seed + i)
          .filter((f) => f.kind !== 'silence')
          .map((f) => ({ stored: storeHops(f.pcm, model), fromFrame: f.fromFrame })),
      ),
  };
}

/** The press and jaw target per 40 ms frame under `press`, as AudioLipSync would hand them to the animator. */
export function replayPress(
  stored: StoredHops,
  model: LipSyncModel,
  press?: PressGate,
): { press: number[]; jaw: number[] } {
  return replayFrames(stored, model, press);
}

/**
 * Best lag (ms, positive = the output comes later) of the closure output, hop by hop, against the phonemes'
 * closures (1 inside an m/b/p, 0 elsewhere), searched over ±`maxMs`; and the correlation there and at 0.
 */
export function closureLag(set: PressSet, maxMs = 80): { lagMs: number; corr: number; corrAt0: number } {
  const max = maxMs / 10;
  const sums = new Array(2 * max + 1).fill(0);
  for (const { stored, phonemes } of set.clips) {
    const raw = Array.from({ length: stored.hops }, (_, h) => stored.out[(h + 1) * NETWORK_OUTPUTS + 6]!);
    const truth = raw.map((_, h) =>
      phonemes.some((p) => closurePhonemes.has(p.phoneme) && h * 10 >= p.startMs && h * 10 < p.endMs) ? 1 : 0,
    );
    for (let lag = -max; lag <= max; lag++) {
      const a = raw.slice(Math.max(0, lag), Math.min(raw.length, truth.length + lag));
      const b = truth.slice(Math.max(0, -lag), Math.max(0, -lag) + a.length);
      sums[lag + max] += pearson(a, b);
    }
  }
  const best = sums.indexOf(Math.max(...sums));
  const n = Math.max(1, set.clips.length);
  return { lagMs: (best - max) * 10, corr: sums[best] / n, corrAt0: sums[max] / n };
}

export interface PressScore {
  /** Share of m/b/p (the frame nearest each one's middle) pressed fully (closure ≥ FULL_PRESS_CLOSURE). */
  mbpPressed: number;
  /** Share of open-vowel frames (vowels ≥ 60 ms) with a closure over 0.2. */
  vowelPressed: number;
  /** Share of the other speech frames (no m/b/p, no open vowel's middle) pressed fully: mostly n, t, k, d, g. */
  otherPressed: number;
  /**
   * Mean per-clip correlation with the truth's jaw of the lips' opening the renderer shows: the jaw target, which
   * a press also shuts, less the press's own pull (jaw·(1 − press)²).
   */
  corr: number;
  /** Highest press the animator makes of the closure on noise bursts and music (closure / FULL_PRESS_CLOSURE). */
  fixtureMaxPress: number;
}

export function scorePress(set: PressSet, model: LipSyncModel, press?: PressGate): PressScore {
  const n = { mbp: 0, mbpPressed: 0, vowels: 0, vowelPressed: 0, other: 0, otherPressed: 0, corr: 0 };
  for (const { stored, phonemes, truth } of set.clips) {
    const frames = replayPress(stored, model, press);
    const scored = new Set<number>();
    for (const p of phonemes) {
      const f = Math.round((p.startMs + p.endMs) / 2 / 40);
      const v = frames.press[f];
      if (v === undefined) continue;
      if (closurePhonemes.has(p.phoneme)) {
        n.mbp++;
        if (v >= FULL_PRESS_CLOSURE) n.mbpPressed++;
      } else if (OPEN_VOWELS.has(p.phoneme) && p.endMs - p.startMs >= 60) {
        n.vowels++;
        if (v > 0.2) n.vowelPressed++;
      } else continue;
      scored.add(f);
    }
    for (const p of phonemes) {
      if (p.phoneme === 'pau' || closurePhonemes.has(p.phoneme)) continue;
      for (let f = Math.ceil(p.startMs / 40); f * 40 < p.endMs && f < frames.press.length; f++) {
        if (scored.has(f)) continue;
        n.other++;
        if (frames.press[f]! >= FULL_PRESS_CLOSURE) n.otherPressed++;
      }
    }
    n.corr += pearson(
      frames.jaw.map((j, f) => j * (1 - Math.min(1, frames.press[f]! / FULL_PRESS_CLOSURE)) ** 2),
      truth,
    );
  }
  let fixtureMaxPress = 0;
  for (const f of set.fixtures) {
    for (const v of replayPress(f.stored, model, press).press.slice(f.fromFrame))
      fixtureMaxPress = Math.max(fixtureMaxPress, Math.min(1, v / FULL_PRESS_CLOSURE));
  }
  return {
    mbpPressed: n.mbp ? n.mbpPressed / n.mbp : 0,
    vowelPressed: n.vowels ? n.vowelPressed / n.vowels : 0,
    otherPressed: n.other ? n.otherPressed / n.other : 0,
    corr: n.corr / Math.max(1, set.clips.length),
    fixtureMaxPress,
  };
}

/** Open-vowel frames pressed, at most, on validation: half the acceptance bound (10 %), a margin for new voices. */
export const MAX_VOWEL_PRESSED = 0.05;
/** Highest press allowed on noise bursts and music (the jaw's own bound on bursts). */
export const MAX_FIXTURE_PRESS = 0.15;
/** How far the shown opening's correlation with the truth may fall below no press at all. */
export const MAX_CORR_LOSS = 0.015;

/** How far below `from` a press may hold (PressGate.hold); 0 = no hold. */
const HOLD_BELOW = [0, 0.025, 0.05, 0.075, 0.1];

const NO_PRESS: PressGate = { from: 2, to: 3, jaw: 0 };

/**
 * The press gate that presses the most m/b/p frames on validation within MAX_VOWEL_PRESSED, MAX_FIXTURE_PRESS and
 * MAX_CORR_LOSS; ties go to the better correlation.
 */
export function choosePressGate(
  set: PressSet,
  model: LipSyncModel,
): { gate: PressGate; score: PressScore; tried: number; corrWithoutPress: number } {
  const floor = scorePress(set, model, NO_PRESS).corr - MAX_CORR_LOSS;
  let best: { gate: PressGate; score: PressScore } | null = null;
  let tried = 0;
  const shapes = [0, 0.5, 1].flatMap((jaw) => [false, true].map((peak) => ({ jaw, peak })));
  for (const { jaw, peak } of shapes) {
    for (let step = 0; step <= 20; step++) {
      for (const [width, below] of [0.05, 0.1, 0.15, 0.2].flatMap((w) =>
        HOLD_BELOW.map((b) => [w, b] as const),
      )) {
        const from = Number((step * 0.025).toFixed(3));
        const gate: PressGate = {
          from,
          to: Number((from + width).toFixed(3)),
          jaw,
          ...(peak ? { peak } : {}),
          ...(below > 0 ? { hold: Number((from - below).toFixed(3)) } : {}),
        };
        const score = scorePress(set, model, gate);
        tried++;
        if (score.vowelPressed > MAX_VOWEL_PRESSED || score.fixtureMaxPress > MAX_FIXTURE_PRESS) continue;
        if (score.corr < floor) continue;
        const better =
          !best ||
          score.mbpPressed > best.score.mbpPressed + 1e-9 ||
          (score.mbpPressed > best.score.mbpPressed - 1e-9 && score.corr > best.score.corr);
        if (better) best = { gate, score };
      }
    }
  }
  if (!best) throw new Error('no press gate keeps open vowels and noise unpressed on validation');
  return { ...best, tried, corrWithoutPress: floor + MAX_CORR_LOSS };
}
