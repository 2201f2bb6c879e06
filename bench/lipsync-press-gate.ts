// The audio path's lip press on validation (the Flite training voices' unseen sentences, never a held-out voice):
// how the closure output lines up with the phonemes' closures (best lag at 10 ms), how the current press ramp
// (PRESS_GATE) scores, and which ramp calibrate/press-gate.ts chooses. Rerun after the model is refitted and paste
// the `paste` line (the `chosen` ramp) over PRESS_GATE in lipsync-network.ts. `npx tsx bench/lipsync-press-gate.ts` prints one JSON object on its last line.
import { fileURLToPath } from 'node:url';
import { synthesizeCorpus, type Utterance } from '../packages/engine/src/lipsync/calibrate/corpus.js';
import { testSentencesFor } from '../packages/engine/src/lipsync/calibrate/foreign-sentences.js';
import {
  choosePressGate,
  closureLag,
  pressSet,
  scorePress,
} from '../packages/engine/src/lipsync/calibrate/press-gate.js';
import { trainSources } from '../packages/engine/src/lipsync/calibrate/voices.js';
import { fittedLipSyncModel } from '../packages/engine/src/lipsync/fitted-model.js';
import { PRESS_GATE, type PressGate } from '../packages/engine/src/lipsync/lipsync-network.js';

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const rounded = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' ? r3(v) : v]));

/** A gate as TypeScript source, keys in PressGate's order. */
function pressGateSource(g: PressGate): string {
  const keys = ['from', 'to', 'jaw', 'peak', 'hold'] as const;
  return `{ ${keys.flatMap((k) => (g[k] === undefined ? [] : [`${k}: ${g[k]}`])).join(', ')} }`;
}

export async function measurePressGate() {
  const voices = trainSources.filter((s) => s.synth === 'flite');
  const validation: Utterance[] = [];
  for (const source of voices)
    validation.push(...(await synthesizeCorpus(testSentencesFor('en'), source, 40)));
  const set = pressSet(validation, fittedLipSyncModel);
  const chosen = choosePressGate(set, fittedLipSyncModel);
  return {
    voices: voices.map((s) => s.voice),
    utterances: validation.length,
    closure_lag: rounded(closureLag(set)),
    current: { gate: PRESS_GATE, ...rounded(scorePress(set, fittedLipSyncModel)) },
    chosen: { gate: chosen.gate, ...rounded(chosen.score), tried: chosen.tried },
    corr_without_press: r3(chosen.corrWithoutPress),
    /** The line to paste into packages/engine/src/lipsync/lipsync-network.ts when `chosen` differs from `current`. */
    paste: `export const PRESS_GATE: PressGate = ${pressGateSource(chosen.gate)};`,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(await measurePressGate()));
