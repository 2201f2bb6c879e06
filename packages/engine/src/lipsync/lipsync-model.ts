// The shape of the fitted audio → mouth model: standardised stacked speech features → tanh hidden layers →
// the five mouth values, plus (optionally) a speech-likeness and a lip-closure output that gate them.

export interface LipSyncModel {
  /** Hop offsets (10 ms each) around the frame time whose features are stacked. */
  offsets: number[];
  /** Per-dimension standardisation applied before the weights. */
  mean: number[];
  scale: number[];
  /**
   * Without `hidden`: one row per output (jawOpen, mouthWidth, mouthRound, upperLip, lowerLip[, speech, closure]),
   * bias then one weight per input dim. With `hidden`: bias then one weight per unit of the last hidden layer.
   */
  weights: number[][];
  /** Optional tanh hidden layer: one row per unit, bias then one weight per input dim. */
  hidden?: number[][];
  /**
   * Further tanh layers after `hidden`, in order: one row per unit, bias then one weight per unit of the layer
   * before. `weights` then reads the last of them.
   */
  deeper?: number[][][];
  /**
   * Where the 6th (speech) and 7th (closure) outputs exist: the ramps [from, to] over which they act. Speech below
   * `from` leaves the mouth at rest, above `to` untouched; closure above `to` shuts the lips (jaw and lips to 0).
   */
  gates?: {
    speech: [number, number];
    closure: [number, number];
    /**
     * Ramp the mean of the speech output at the frame's hop, the hop before and the previous frame's hop (unless
     * that frame was silent) instead of the first two alone: a noise burst's speech output flickers where
     * speech's holds, so a lower ramp keeps bursts still and gates less speech. No extra network evaluation.
     */
    speechFromPreviousFrame?: boolean;
    /**
     * A jaw opening (after jawPower and jawScale) over this ramp passes the speech gate whatever the speech output:
     * the gate shuts only small openings (noise bursts' and music's), so an unfamiliar voice's open vowels, whose
     * speech output can sag, stay open.
     */
    spare?: [number, number];
    /**
     * The jaw's own speech ramp (null: none; absent: the speech gate above). The speech gate errs on voices the
     * network never heard (0.019 of held-out correlation against 0.012 on validation, its training voices), while
     * the network alone keeps bursts and music under their bounds: the strict gate then holds back only what must
     * not move on noise, the lip press and the lips' shape.
     */
    jawSpeech?: [number, number] | null;
  };
  /**
   * Multiplies the network's jawOpen before the gates: a least-squares fit regresses toward the mean, so the
   * spread of the jaw is restored to the ground truth's (chosen on validation; correlation is unchanged).
   */
  jawScale?: number;
  /**
   * The network's jawOpen (hop-averaged) is raised to this power before `jawScale`: small openings, which the
   * network gives noise, closures and unfamiliar voices' weak frames, shrink more than vowels' (chosen on
   * validation with the gates; 1 = unchanged).
   */
  jawPower?: number;
  /**
   * Centred smoothing (lipsync-smoothing.ts): the five mouth values are these weights' mean of the outputs at
   * every second hop around the frame (odd length n: hops −(n−1) … +(n−1) step 2, so n − 1 hops of look-ahead
   * more), and the gates read the frame's hop and the one 20 ms later instead of the hop before. Absent: the frame's
   * hop and the one before, averaged.
   */
  smooth?: number[];
  /** What the model was fitted on and how it scored on held-out data (for the record). */
  provenance: string;
}

export const modelOutputs = ['jawOpen', 'mouthWidth', 'mouthRound', 'upperLip', 'lowerLip'] as const;
