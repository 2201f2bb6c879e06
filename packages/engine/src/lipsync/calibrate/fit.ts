// Fits the audio-only lip-sync model and writes ../fitted-model.json.
//   npx tsx packages/engine/src/lipsync/calibrate/fit.ts && npx biome format --write packages/engine/src/lipsync
// (about 2 minutes on 2 cores; deterministic: same corpus, seeds and coefficients every run).
// Ground truth is the phoneme path (keyframesFromPhonemes) of Flite speech; features come from the same
// streaming FeatureStream the live path uses. Held-out sentences and voices are scored at the end.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resample } from '@agenthuman/media';
import { FeatureStream } from '../feature-stream.js';
import type { LipSyncModel } from '../lipsync-model.js';
import { augment, synthesizeCorpus } from './corpus.js';
import { scoreLipSync } from './evaluate.js';
import { trainMlp } from './mlp.js';
import { fitRidge } from './ridge.js';
import { generatedSentences, testSentences, testVoices, trainSentences, trainVoices } from './sentences.js';

const OFFSETS = [-8, -6, -4, -3, -2, -1, 0, 1, 2];
const LAMBDA = 30;
const GENERATED = 40;
const MLP = {
  hiddenUnits: 32,
  epochs: 12,
  learningRate: 0.002,
  batch: 64,
  seed: 42,
  outputWeights: [3, 1, 1, 1, 1],
  weightDecay: 1e-4,
};
// Each training utterance is seen at these (gain dB, noise floor dBFS, telephone band) settings: telephone
// audio (8 kHz, nothing above 4 kHz) is a legal input and must not look like silence or a closure.
const CONDITIONS = [
  [0, -70, false],
  [-12, -60, true],
  [8, -55, false],
] as const;

const telephone = (pcm: Int16Array) => resample(resample(pcm, 16000, 8000), 8000, 16000);

async function main(): Promise<void> {
  const started = performance.now();
  const corpus = [...trainSentences, ...generatedSentences(GENERATED, 7)];
  const train = await synthesizeCorpus(corpus, trainVoices, 10);
  const xs: Float32Array[] = [];
  const ys: number[][] = [];
  train.forEach((u, i) => {
    for (const [gain, noise, narrow] of CONDITIONS) {
      const stream = new FeatureStream({ frameMs: 10, offsets: OFFSETS });
      const collect = (k: number, v: Float32Array) => {
        const t = u.truth[k];
        if (!t) return;
        xs.push(v.slice());
        ys.push([t.jawOpen, t.mouthWidth, t.mouthRound, t.upperLip, t.lowerLip]);
      };
      stream.push(augment(narrow ? telephone(u.pcm) : u.pcm, gain, noise, i * 7 + gain), collect);
      stream.flush(collect);
    }
  });
  // The ridge fit gives the standardisation and a linear baseline; the network learns the rest.
  const fit = fitRidge(xs, ys, LAMBDA);
  const zs = xs.map((x) => Float32Array.from(x, (v, i) => (v - fit.mean[i]!) * fit.scale[i]!));
  const net = trainMlp(zs, ys, MLP, (line) => console.log(line));
  const round = (v: number) => Number(v.toPrecision(5));
  const model: LipSyncModel = {
    offsets: OFFSETS,
    mean: fit.mean.map(round),
    scale: fit.scale.map(round),
    weights: net.output.map((w) => w.map(round)),
    hidden: net.hidden.map((w) => w.map(round)),
    provenance: '',
  };

  const [heldOut, heldOutFine, seen] = await Promise.all([
    synthesizeCorpus(testSentences, testVoices, 40),
    synthesizeCorpus(testSentences, testVoices, 10),
    synthesizeCorpus(trainSentences.slice(0, 10), trainVoices, 40),
  ]);
  const score = scoreLipSync(heldOut, heldOutFine, model);
  const trainScore = scoreLipSync(seen, seen, model);
  model.provenance =
    `tanh MLP (${MLP.hiddenUnits} hidden) on ${xs.length} 10 ms frames: ${trainSentences.length} + ${GENERATED} generated sentences × ` +
    `voices ${trainVoices.join(', ')}; held out (${testSentences.length} other sentences × voices ` +
    `${testVoices.join(', ')}): corr ${score.corr.toFixed(3)}, lag ${score.lagMs} ms`;
  console.log(model.provenance);
  console.log(
    `training-set corr ${trainScore.corr.toFixed(3)}; took ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const target = fileURLToPath(new URL('../fitted-model.json', import.meta.url));
  const body = `${JSON.stringify(model)}\n`;
  if (!process.argv.includes('--dry-run')) writeFileSync(target, body);
}

await main();
