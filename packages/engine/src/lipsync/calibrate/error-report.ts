// Where the audio-only lip-sync's jaw errs, per voice and per phoneme class: each utterance's prediction and
// truth are standardised (as Pearson sees them), then the mean standardised error is taken per class of the
// phoneme under each 40 ms frame. Prints one line per voice.
//   nice npx tsx packages/engine/src/lipsync/calibrate/error-report.ts [--model=<file>] [--validation]
import { readFileSync } from 'node:fs';
import type { LipSyncModel } from '../lipsync-model.js';
import { synthesizeCorpus } from './corpus.js';
import { feedLike, pearson, predictJaw } from './evaluate.js';
import { testSentencesFor } from './foreign-sentences.js';
import { heldOutSources, sourceName, trainSources } from './voices.js';

const classes: Record<string, string[]> = {
  open: ['aa', 'ae', 'ao', 'aw', 'ay', 'ow', 'oy', 'ah'],
  mid: ['eh', 'ax', 'er', 'ih', 'uh', 'ey'],
  close: ['iy', 'uw', 'y', 'w', 'r', 'l'],
  mbp: ['p', 'b', 'm'],
  tongue: ['t', 'd', 'n', 'k', 'g', 'ng'],
  fric: ['s', 'z', 'sh', 'zh', 'ch', 'jh', 'f', 'v', 'th', 'dh', 'hh'],
  pau: ['pau'],
};
const classOf = (p: string) => Object.keys(classes).find((c) => classes[c]!.includes(p)) ?? 'other';

const modelPath = process.argv.find((a) => a.startsWith('--model='))?.slice(8);
const model = modelPath ? (JSON.parse(readFileSync(modelPath, 'utf8')) as LipSyncModel) : undefined;
const sources = process.argv.includes('--validation') ? trainSources : heldOutSources;

const z = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length) || 1;
  return xs.map((x) => (x - m) / sd);
};

for (const source of sources) {
  const utterances = await synthesizeCorpus(testSentencesFor(source.lang), source, 40);
  const err: Record<string, [number, number, number]> = {};
  let corr = 0;
  utterances.forEach((u, i) => {
    const pred = predictJaw(feedLike(u, i), 40, model);
    const truth = u.truth.map((f) => f.jawOpen);
    const n = Math.min(pred.length, truth.length);
    corr += pearson(pred, truth);
    const [zp, zt] = [z(pred.slice(0, n)), z(truth.slice(0, n))];
    let p = 0;
    for (let k = 0; k < n; k++) {
      const ms = k * 40;
      while (p < u.phonemes.length - 1 && u.phonemes[p]!.endMs <= ms) p++;
      const ph = u.phonemes[p];
      const c = !ph || ms < ph.startMs || ms >= ph.endMs ? 'pau' : classOf(ph.phoneme);
      err[c] ??= [0, 0, 0];
      const e = err[c];
      e[0] += zp[k]! - zt[k]!;
      e[1] += (zp[k]! - zt[k]!) ** 2;
      e[2]++;
    }
  });
  const parts = Object.entries(err)
    .sort()
    .map(([c, [s, sq, n]]) => `${c} ${(s / n).toFixed(2)}/${Math.sqrt(sq / n).toFixed(2)} (${n})`);
  console.log(`${sourceName(source)} corr ${(corr / utterances.length).toFixed(3)}: ${parts.join(', ')}`);
}
