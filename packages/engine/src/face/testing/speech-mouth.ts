// Test and bench helper: a speech-like mouth track, the same frames every run.
import type { MouthParams } from '../../animation/params.js';

/** A speech-like mouth track: syllables at ~4-5 Hz with varied shapes. */
export function speechMouth(i: number): MouthParams {
  const syl = Math.abs(Math.sin(i * 0.55)) * (0.6 + 0.4 * Math.sin(i * 0.13));
  return {
    jawOpen: syl,
    mouthWidth: 0.5 + 0.35 * Math.sin(i * 0.21),
    mouthRound: Math.max(0, Math.sin(i * 0.17)) * 0.8,
    upperLip: 0.2 * Math.max(0, Math.sin(i * 0.4)),
    lowerLip: i % 23 < 2 ? 1 : 0,
  };
}
