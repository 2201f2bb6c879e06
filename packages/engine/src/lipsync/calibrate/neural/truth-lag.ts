// How far a voice's phoneme timings sit from its audio: the lag that best lines up the 10 ms log energy with a
// crude loudness the timings imply (pause 0, consonant 1, vowel 2), mean over utterances. Flite's own timings
// read 0; a synthesiser whose truth lags its sound reads positive (truth later). Training voices only decide a
// correction (neural-tts.ts TRUTH_SHIFT_MS); held-out voices are only reported.
//   nice npx tsx packages/engine/src/lipsync/calibrate/neural/truth-lag.ts [voice ...] [--train]
import type { Utterance } from '../corpus.js';
import { synthesizeCorpus } from '../corpus.js';
import { pearson } from '../evaluate.js';
import { testSentencesFor, trainSentencesFor } from '../foreign-sentences.js';
import { heldOutSources, neuralSources, trainSources } from '../voices.js';

const VOWEL = /^(aa|ae|ah|ao|aw|ax|ay|eh|er|ey|ih|iy|ow|oy|uh|uw)$/;

/** Best lag in 10 ms hops (truth index = audio index + lag) and its correlation. */
export function truthLag(utterances: readonly Utterance[], maxHops = 15): { lagMs: number; corr: number } {
  const sums = new Array(2 * maxHops + 1).fill(0);
  for (const u of utterances) {
    const n = Math.floor(u.pcm.length / 160);
    const energy = Array.from({ length: n }, (_, i) => {
      let e = 0;
      for (let k = i * 160; k < i * 160 + 160; k++) e += u.pcm[k]! ** 2;
      return Math.log10(1e3 + e / 160);
    });
    const loud = Array.from({ length: n }, (_, i) => {
      const ms = i * 10 + 5;
      const p = u.phonemes.find((q) => q.startMs <= ms && ms < q.endMs);
      return !p || p.phoneme === 'pau' ? 0 : VOWEL.test(p.phoneme) ? 2 : 1;
    });
    for (let lag = -maxHops; lag <= maxHops; lag++) {
      const a = energy.slice(Math.max(0, -lag), Math.min(n, n - lag));
      const b = loud.slice(Math.max(0, lag), Math.max(0, lag) + a.length);
      sums[lag + maxHops] += pearson(a, b) / utterances.length;
    }
  }
  const best = sums.indexOf(Math.max(...sums));
  return { lagMs: (best - maxHops) * 10, corr: sums[best]! };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const train = process.argv.includes('--train');
  const all = [...trainSources, ...neuralSources, ...heldOutSources];
  for (const source of names.length ? all.filter((s) => names.includes(s.voice)) : all) {
    const sentences = train ? trainSentencesFor(source.lang, 40) : testSentencesFor(source.lang);
    const { lagMs, corr } = truthLag(await synthesizeCorpus(sentences, source, 40));
    console.log(`${source.synth}:${source.voice} truth lag ${lagMs} ms (energy corr ${corr.toFixed(2)})`);
  }
}
