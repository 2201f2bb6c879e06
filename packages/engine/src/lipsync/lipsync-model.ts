// The shape of the fitted audio → mouth model (a ridge regression over stacked speech features).

export interface LipSyncModel {
  /** Hop offsets (10 ms each) around the frame time whose features are stacked. */
  offsets: number[];
  /** Per-dimension standardisation applied before the weights. */
  mean: number[];
  scale: number[];
  /**
   * Without `hidden`: one row per output (jawOpen, mouthWidth, mouthRound, upperLip, lowerLip), bias then one
   * weight per input dim. With `hidden`: bias then one weight per hidden unit.
   */
  weights: number[][];
  /** Optional tanh hidden layer: one row per unit, bias then one weight per input dim. */
  hidden?: number[][];
  /** What the model was fitted on and how it scored on held-out data (for the record). */
  provenance: string;
}

export const modelOutputs = ['jawOpen', 'mouthWidth', 'mouthRound', 'upperLip', 'lowerLip'] as const;
