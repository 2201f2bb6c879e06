// A one-hidden-layer network (tanh) trained with Adam on standardised inputs: the phoneme-dependent part of
// the audio → mouth mapping is not linear in the features. Deterministic for a given seed.

export interface MlpFit {
  /** hidden × (1 + inputs): bias then weights. */
  hidden: number[][];
  /** outputs × (1 + hidden). */
  output: number[][];
}

export interface MlpOptions {
  hiddenUnits: number;
  epochs: number;
  learningRate: number;
  batch: number;
  seed: number;
  /** Loss weight per output (jaw matters most). */
  outputWeights: number[];
  /** Extra loss weight per output where its target is above 0.5 (rare positives such as lip closures). */
  positiveBoost?: number[];
  weightDecay: number;
  /**
   * Learning rate × this per epoch (a steady decay); without it the rate drops to 0.3× halfway. A high rate
   * held long leaves the fit noisy: the loss only falls once the rate does.
   */
  epochDecay?: number;
}

/** Training rows, built on demand so a large corpus need not hold every stacked vector at once. */
export interface MlpData {
  count: number;
  inputs: number;
  outputs: number;
  /** Writes row `index`'s standardised input into `z`. */
  input(index: number, z: Float64Array): void;
  target(index: number): ArrayLike<number>;
}

export function trainMlp(data: MlpData, o: MlpOptions, log?: (line: string) => void): MlpFit {
  const d = data.inputs;
  const H = o.hiddenUnits;
  const K = data.outputs;
  const z = new Float64Array(d);
  let s = o.seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  // Parameters in flat arrays: W1 (H × (d+1)), W2 (K × (H+1)).
  const W1 = new Float64Array(H * (d + 1));
  const W2 = new Float64Array(K * (H + 1));
  for (let h = 0; h < H; h++) for (let i = 1; i <= d; i++) W1[h * (d + 1) + i] = gauss() / Math.sqrt(d);
  for (let k = 0; k < K; k++) for (let h = 1; h <= H; h++) W2[k * (H + 1) + h] = gauss() / Math.sqrt(H);
  const g1 = new Float64Array(W1.length);
  const g2 = new Float64Array(W2.length);
  const m1 = new Float64Array(W1.length);
  const v1 = new Float64Array(W1.length);
  const m2 = new Float64Array(W2.length);
  const v2 = new Float64Array(W2.length);
  const act = new Float64Array(H);
  const dAct = new Float64Array(H);
  const order = Array.from({ length: data.count }, (_, i) => i);
  let step = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let loss = 0;
    const lr =
      o.epochDecay !== undefined
        ? o.learningRate * o.epochDecay ** epoch
        : o.learningRate * (epoch < o.epochs / 2 ? 1 : 0.3);
    for (let b = 0; b < order.length; b += o.batch) {
      g1.fill(0);
      g2.fill(0);
      const end = Math.min(order.length, b + o.batch);
      for (let r = b; r < end; r++) {
        data.input(order[r]!, z);
        const y = data.target(order[r]!);
        for (let h = 0; h < H; h++) {
          const row = h * (d + 1);
          let a = W1[row]!;
          for (let i = 0; i < d; i++) a += W1[row + 1 + i]! * z[i]!;
          act[h] = Math.tanh(a);
        }
        dAct.fill(0);
        for (let k = 0; k < K; k++) {
          const row = k * (H + 1);
          let out = W2[row]!;
          for (let h = 0; h < H; h++) out += W2[row + 1 + h]! * act[h]!;
          const boost = y[k]! > 0.5 ? (o.positiveBoost?.[k] ?? 1) : 1;
          const err = (out - y[k]!) * o.outputWeights[k]! * boost;
          loss += err * (out - y[k]!);
          g2[row]! += err;
          for (let h = 0; h < H; h++) {
            g2[row + 1 + h]! += err * act[h]!;
            dAct[h]! += err * W2[row + 1 + h]!;
          }
        }
        for (let h = 0; h < H; h++) {
          const da = dAct[h]! * (1 - act[h]! * act[h]!);
          if (da === 0) continue;
          const row = h * (d + 1);
          g1[row]! += da;
          for (let i = 0; i < d; i++) g1[row + 1 + i]! += da * z[i]!;
        }
      }
      step++;
      const n = end - b;
      adam(W1, g1, m1, v1, lr, step, n, o.weightDecay);
      adam(W2, g2, m2, v2, lr, step, n, o.weightDecay);
    }
    log?.(`epoch ${epoch + 1}: loss ${(loss / order.length).toFixed(5)}`);
  }
  const rows = (w: Float64Array, n: number, width: number) =>
    Array.from({ length: n }, (_, r) => Array.from(w.subarray(r * width, (r + 1) * width)));
  return { hidden: rows(W1, H, d + 1), output: rows(W2, K, H + 1) };
}

function adam(
  w: Float64Array,
  g: Float64Array,
  m: Float64Array,
  v: Float64Array,
  lr: number,
  t: number,
  n: number,
  decay: number,
): void {
  const b1 = 0.9;
  const b2 = 0.999;
  const c1 = 1 - b1 ** t;
  const c2 = 1 - b2 ** t;
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]! / n + decay * w[i]!;
    m[i] = b1 * m[i]! + (1 - b1) * gi;
    v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
    w[i]! -= (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + 1e-8);
  }
}
