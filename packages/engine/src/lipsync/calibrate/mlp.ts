// A network of tanh layers trained with Adam on standardised inputs: the phoneme-dependent part of
// the audio → mouth mapping is not linear in the features. Deterministic for a given seed.

export interface MlpFit {
  /** First tanh layer, units × (1 + inputs): bias then weights. */
  hidden: number[][];
  /** Further tanh layers, each units × (1 + units of the layer before). */
  deeper: number[][][];
  /** outputs × (1 + units of the last layer). */
  output: number[][];
}

export interface MlpOptions {
  /** Units per tanh layer, in order (a number: one layer). */
  hiddenUnits: number | readonly number[];
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

interface Layer {
  /** units × (1 + inputs), bias first. */
  w: Float64Array;
  g: Float64Array;
  m: Float64Array;
  v: Float64Array;
  inputs: number;
  units: number;
  act: Float64Array;
  /** Loss gradient with respect to the layer's pre-activation (tanh layers) or output. */
  delta: Float64Array;
}

export function trainMlp(data: MlpData, o: MlpOptions, log?: (line: string) => void): MlpFit {
  const widths = typeof o.hiddenUnits === 'number' ? [o.hiddenUnits] : [...o.hiddenUnits];
  const K = data.outputs;
  const z = new Float64Array(data.inputs);
  let s = o.seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const layer = (inputs: number, units: number): Layer => {
    const w = new Float64Array(units * (inputs + 1));
    for (let u = 0; u < units; u++)
      for (let i = 1; i <= inputs; i++) w[u * (inputs + 1) + i] = gauss() / Math.sqrt(inputs);
    const n = w.length;
    return {
      w,
      g: new Float64Array(n),
      m: new Float64Array(n),
      v: new Float64Array(n),
      inputs,
      units,
      act: new Float64Array(units),
      delta: new Float64Array(units),
    };
  };
  const layers: Layer[] = [];
  let width = data.inputs;
  for (const units of [...widths, K]) {
    layers.push(layer(width, units));
    width = units;
  }
  const out = layers[layers.length - 1]!;
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
      for (const l of layers) l.g.fill(0);
      const end = Math.min(order.length, b + o.batch);
      for (let r = b; r < end; r++) {
        data.input(order[r]!, z);
        const y = data.target(order[r]!);
        // Forward: tanh layers, then the linear output.
        let input: Float64Array = z;
        for (const l of layers) {
          const d = l.inputs;
          const linear = l === out;
          for (let u = 0, row = 0; u < l.units; u++, row += d + 1) {
            let a = l.w[row]!;
            for (let i = 0; i < d; i++) a += l.w[row + 1 + i]! * input[i]!;
            l.act[u] = linear ? a : Math.tanh(a);
          }
          input = l.act;
        }
        for (let k = 0; k < K; k++) {
          const boost = y[k]! > 0.5 ? (o.positiveBoost?.[k] ?? 1) : 1;
          // A NaN target is one this row does not teach (fit.ts --neural-no-closure).
          const diff = Number.isNaN(y[k]!) ? 0 : out.act[k]! - y[k]!;
          out.delta[k] = diff * o.outputWeights[k]! * boost;
          loss += out.delta[k]! * diff;
        }
        // Backward: each layer's gradient, and the delta of the layer before it.
        for (let li = layers.length - 1; li >= 0; li--) {
          const l = layers[li]!;
          const prev = li > 0 ? layers[li - 1]! : undefined;
          const x = prev ? prev.act : z;
          const d = l.inputs;
          if (prev) prev.delta.fill(0);
          for (let u = 0, row = 0; u < l.units; u++, row += d + 1) {
            const du = l.delta[u]!;
            if (du === 0) continue;
            l.g[row]! += du;
            for (let i = 0; i < d; i++) l.g[row + 1 + i]! += du * x[i]!;
            if (prev) for (let i = 0; i < d; i++) prev.delta[i]! += du * l.w[row + 1 + i]!;
          }
          if (prev) for (let i = 0; i < d; i++) prev.delta[i]! *= 1 - prev.act[i]! * prev.act[i]!;
        }
      }
      step++;
      const n = end - b;
      for (const l of layers) adam(l.w, l.g, l.m, l.v, lr, step, n, o.weightDecay);
    }
    log?.(`epoch ${epoch + 1}: loss ${(loss / order.length).toFixed(5)}`);
  }
  const rows = (l: Layer) =>
    Array.from({ length: l.units }, (_, r) =>
      Array.from(l.w.subarray(r * (l.inputs + 1), (r + 1) * (l.inputs + 1))),
    );
  return {
    hidden: rows(layers[0]!),
    deeper: layers.slice(1, -1).map(rows),
    output: rows(out),
  };
}

/**
 * One-layer networks on the same inputs, averaged: their hidden units side by side in one wider layer, each
 * output row the mean of theirs, so the engine runs one network.
 */
export function averageNets(nets: readonly MlpFit[]): MlpFit {
  if (nets.some((net) => net.deeper.length > 0))
    throw new RangeError('only one-layer networks can be merged');
  const n = nets.length;
  return {
    hidden: nets.flatMap((net) => net.hidden),
    deeper: [],
    output: nets[0]!.output.map((_, k) => [
      nets.reduce((sum, net) => sum + net.output[k]![0]!, 0) / n,
      ...nets.flatMap((net) => net.output[k]!.slice(1).map((w) => w / n)),
    ]),
  };
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
