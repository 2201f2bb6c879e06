// Centred smoothing of the network's per-hop outputs (`LipSyncModel.smooth`), shared by the live AudioLipSync and
// the gate search's replay so both shape a frame from the same hops. The network runs at every second hop (at a
// 40 ms frame: two runs per frame, as without smoothing) and a frame is ready once the last hop it mixes is: the
// look-ahead grows by the smoother's half-width, inside MAX_LOOKAHEAD_MS for the committed model's 32.5 ms.
// Smoothing after the network, centred, costs no lag; a causal one lagged and lost correlation (ARCHITECTURE.md).
import { REST } from './lipsync-network.js';

/** The outputs taken for a hop before the segment or with a silent context (not run): rest, no speech, no closure. */
export const SILENT_OUTPUTS: readonly number[] = [...REST, 0, 0];

/** Hops past the frame's own that a smoothed frame needs (0 without smoothing). */
export function smoothReach(weights: readonly number[] | undefined): number {
  if (!weights) return 0;
  if (weights.length < 3 || weights.length % 2 === 0) {
    throw new RangeError('model.smooth needs an odd number of weights, at least 3');
  }
  return weights.length - 1;
}

/**
 * The weighted mean of the five mouth values of the outputs at hops `centre − reach … centre + reach` step 2
 * (`outputsAt(hop)`), into `mouth`.
 */
export function smoothMouth(
  weights: readonly number[],
  centre: number,
  outputsAt: (hop: number) => ArrayLike<number>,
  mouth: Float64Array,
): void {
  mouth.fill(0);
  let total = 0;
  const reach = weights.length - 1;
  for (let i = 0; i < weights.length; i++) {
    const o = outputsAt(centre - reach + 2 * i);
    const w = weights[i]!;
    for (let v = 0; v < 5; v++) mouth[v]! += w * o[v]!;
    total += w;
  }
  for (let v = 0; v < 5; v++) mouth[v]! /= total;
}
