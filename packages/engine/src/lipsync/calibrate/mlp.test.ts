import { describe, expect, it } from 'vitest';
import { averageNets, type MlpFit, trainMlp } from './mlp.js';

// y = 0.5 + 0.4·x0·x1 on [-1, 1]²: not linear in the inputs, so only the hidden layers can fit it.
const rows = Array.from({ length: 1500 }, (_, i) => [Math.sin(i * 12.9898) % 1, Math.cos(i * 78.233) % 1]);
const data = {
  count: rows.length,
  inputs: 2,
  outputs: 1,
  input(i: number, z: Float64Array) {
    z[0] = rows[i]![0]!;
    z[1] = rows[i]![1]!;
  },
  target: (i: number) => [0.5 + 0.4 * rows[i]![0]! * rows[i]![1]!],
};

function predict(net: MlpFit, x: number[]): number {
  let input = x;
  for (const layer of [net.hidden, ...net.deeper]) {
    input = layer.map((r) => Math.tanh(r[0]! + input.reduce((a, v, i) => a + r[i + 1]! * v, 0)));
  }
  const out = net.output[0]!;
  return out[0]! + input.reduce((a, v, i) => a + out[i + 1]! * v, 0);
}

const mse = (net: MlpFit) =>
  rows.reduce((a, x, i) => a + (predict(net, x) - data.target(i)[0]!) ** 2, 0) / rows.length;

describe('trainMlp', () => {
  const options = {
    epochs: 30,
    learningRate: 0.01,
    epochDecay: 0.93,
    batch: 16,
    seed: 3,
    outputWeights: [1],
    weightDecay: 0,
  };

  it('fits a product with two tanh layers, each layer reading the one before', () => {
    const net = trainMlp(data, { ...options, hiddenUnits: [8, 6] });
    expect(net.hidden).toHaveLength(8);
    expect(net.hidden[0]).toHaveLength(3);
    expect(net.deeper.map((l) => [l.length, l[0]!.length])).toEqual([[6, 9]]);
    expect(net.output[0]).toHaveLength(7);
    // The variance of the target is 0.16·E[x0²]·E[x1²] ≈ 0.018; a linear fit cannot go below it.
    expect(mse(net)).toBeLessThan(0.002);
  });

  it('is deterministic for a seed', () => {
    const a = trainMlp(data, { ...options, epochs: 2, hiddenUnits: 4 });
    const b = trainMlp(data, { ...options, epochs: 2, hiddenUnits: 4 });
    expect(a).toEqual(b);
    expect(a.deeper).toEqual([]);
  });

  it('merges one-layer networks into one whose output is the mean of theirs', () => {
    const a = trainMlp(data, { ...options, epochs: 2, hiddenUnits: 4 });
    const b = trainMlp(data, { ...options, epochs: 2, hiddenUnits: 3, seed: 9 });
    const merged = averageNets([a, b]);
    expect(merged.hidden).toHaveLength(7);
    for (const x of rows.slice(0, 20)) {
      expect(predict(merged, x)).toBeCloseTo((predict(a, x) + predict(b, x)) / 2, 12);
    }
    const deep = trainMlp(data, { ...options, epochs: 1, hiddenUnits: [3, 2] });
    expect(() => averageNets([a, deep])).toThrow(/one-layer/);
  });

  it('learns nothing from a NaN target: weights stay finite, the output learns from the other rows', () => {
    // Half the rows teach a second output that the NaN rows would otherwise pull towards garbage.
    const two = {
      ...data,
      outputs: 2,
      target: (i: number) => [data.target(i)[0]!, i % 2 ? Number.NaN : 0.9],
    };
    const net = trainMlp(two, { ...options, epochs: 12, hiddenUnits: 4, outputWeights: [1, 1] });
    const flat = [...net.hidden.flat(), ...net.output.flat()];
    expect(flat.every(Number.isFinite)).toBe(true);
    const out = net.output[1]!;
    const x = rows[3]!;
    const h = net.hidden.map((r) => Math.tanh(r[0]! + r[1]! * x[0]! + r[2]! * x[1]!));
    expect(out[0]! + h.reduce((a, v, i) => a + out[i + 1]! * v, 0)).toBeCloseTo(0.9, 1);
    expect(mse(net)).toBeLessThan(0.02);
  });
});
