// Where the jaw's correlation is lost after the network: the hop-averaged network jaw alone, then with each step
// of gateMouth (jaw power and scale, speech gate, closure gate), on validation (training voices, unseen
// sentences) and on the held-out voices. Replays stored outputs (gate-search.ts), so it takes about a minute.
//   nice npx tsx packages/engine/src/lipsync/calibrate/gate-costs.ts [--model=<file>]
import { readFileSync } from 'node:fs';
import { fittedLipSyncModel } from '../fitted-model.js';
import type { LipSyncModel } from '../lipsync-model.js';
import { closurePhonemes } from '../visemes.js';
import { missingTool, synthesizeCorpus } from './corpus.js';
import { testSentencesFor } from './foreign-sentences.js';
import { gateSet, scoreGates } from './gate-search.js';
import { heldOutSources, sourceName, trainSources } from './voices.js';

const path = process.argv.find((a) => a.startsWith('--model='))?.slice(8);
const model = path ? (JSON.parse(readFileSync(path, 'utf8')) as LipSyncModel) : fittedLipSyncModel;
const never: [number, number] = [5, 6];
const steps: [string, LipSyncModel][] = [
  ['network alone', { ...model, gates: undefined, jawPower: 1, jawScale: 1 }],
  ['+ jaw power', { ...model, gates: undefined }],
  ['+ speech gate', { ...model, gates: model.gates && { ...model.gates, closure: never } }],
  ['+ closure gate (live)', model],
  ['gates, jaw power 1', { ...model, jawPower: 1, jawScale: 1 }],
];

for (const [name, all] of [
  ['validation', trainSources],
  ['held out', heldOutSources],
] as const) {
  const sources = all.filter((s) => {
    const missing = missingTool(s);
    if (missing) console.log(`${sourceName(s)} skipped: ${missing}`);
    return !missing;
  });
  const corr = steps.map(() => [] as string[]);
  const sums = steps.map(() => ({ corr: 0, mbp: 0, burst: 0 }));
  for (const source of sources) {
    const utterances = await synthesizeCorpus(testSentencesFor(source.lang), source, 40);
    const set = gateSet(utterances, [utterances[0]!.pcm], 77, model, closurePhonemes);
    steps.forEach(([, m], i) => {
      const s = scoreGates(set, m);
      corr[i]!.push(`${sourceName(source).split(':')[1]} ${s.corr.toFixed(3)}`);
      sums[i]!.corr += s.corr / sources.length;
      sums[i]!.mbp += s.mbpClosed / sources.length;
      sums[i]!.burst = Math.max(sums[i]!.burst, s.burstMaxJaw);
    });
  }
  console.log(`${name}:`);
  steps.forEach(([step], i) => {
    const s = sums[i]!;
    console.log(
      `  ${step}: corr ${s.corr.toFixed(3)}, m/b/p shut ${(100 * s.mbp).toFixed(0)} %, burst max ` +
        `${s.burst.toFixed(2)} (${corr[i]!.join(', ')})`,
    );
  });
}
