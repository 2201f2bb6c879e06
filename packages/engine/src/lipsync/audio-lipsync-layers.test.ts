import { describe, expect, it } from 'vitest';
import { AudioLipSync } from './audio-lipsync.js';
import { FeatureStream } from './feature-stream.js';
import type { LipSyncModel } from './lipsync-model.js';
import { FEATURES } from './speech-features.js';

/** A vowel-like tone with a pause: loud enough to pass the silence gate, quiet enough to vary. */
function tone(): Int16Array {
  return Int16Array.from({ length: 16000 }, (_, i) =>
    i > 6000 && i < 9000 ? 0 : Math.round(8000 * Math.sin((2 * Math.PI * 220 * i) / 16000) * (i / 16000)),
  );
}

function layer(units: number, inputs: number, seed: number): number[][] {
  let s = seed;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
  return Array.from({ length: units }, () => Array.from({ length: inputs + 1 }, () => rand()));
}

describe('AudioLipSync with several tanh layers', () => {
  const offsets = [-2, 0];
  const dims = offsets.length * FEATURES;
  const model: LipSyncModel = {
    offsets,
    mean: new Array(dims).fill(0),
    scale: new Array(dims).fill(0.1),
    hidden: layer(6, dims, 1),
    deeper: [layer(4, 6, 2), layer(3, 4, 3)],
    weights: layer(5, 3, 4).map(([, ...w]) => [0.5, ...w]),
    provenance: 'test',
  };

  it('feeds each layer into the next, and the output rows read the last one', () => {
    const forward = (x: Float32Array) => {
      let input = Array.from(x, (v, i) => (v - model.mean[i]!) * model.scale[i]!);
      for (const rows of [model.hidden!, ...model.deeper!]) {
        input = rows.map((r) => Math.tanh(r[0]! + input.reduce((a, v, i) => a + r[i + 1]! * v, 0)));
      }
      return model.weights.map((r) =>
        Math.min(1, Math.max(0, r[0]! + input.reduce((a, v, i) => a + r[i + 1]! * v, 0))),
      );
    };
    // The same stream by hand: each frame averages the network at its hop and the hop before.
    const stream = new FeatureStream({ frameMs: 40, offsets });
    const expected: number[] = [];
    const take = (_: number, v: Float32Array) => {
      const jaw = (forward(v)[0]! + forward(stream.previous())[0]!) / 2;
      // The silence gate reads `loud` (each hop's first feature) of the stacked hops near the frame.
      const gate = Math.min(1, Math.max(v[0]!, v[FEATURES]!) / 0.15);
      expected.push(gate * jaw);
    };
    const pcm = tone();
    stream.push(pcm, take);
    stream.flush(take);
    const sync = new AudioLipSync({ model });
    const jaw = [...sync.push(pcm), ...sync.flush()].map((f) => f.jawOpen);
    expect(jaw).toHaveLength(expected.length);
    expect(new Set(expected.map((v) => v.toFixed(2))).size, String(expected)).toBeGreaterThan(3);
    for (const [k, v] of jaw.entries()) expect(v).toBeCloseTo(expected[k]!, 6);
  });

  it('refuses a model whose input width does not match the stream', () => {
    expect(() => new AudioLipSync({ model: { ...model, mean: [0], scale: [1] } })).toThrow(/features/);
  });
});
