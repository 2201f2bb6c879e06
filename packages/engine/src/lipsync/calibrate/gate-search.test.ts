// The gate search replays stored network outputs instead of running AudioLipSync per setting: that is only
// honest if a replayed frame is the frame the live path emits, under either speech-gate mode, with or without
// centred smoothing (lipsync-smoothing.ts), with the jaw's own speech ramp, and through stretches of silence (which
// reset the previous-frame memory).
import { beforeAll, describe, expect, it } from 'vitest';
import { fittedLipSyncModel } from '../fitted-model.js';
import type { LipSyncModel } from '../lipsync-model.js';
import { synthesizeCorpus, type Utterance } from './corpus.js';
import { predictJaw, stillnessFixtures } from './evaluate.js';
import { replayJaw, storeHops } from './gate-search.js';
import { trainSources } from './voices.js';

describe('gate search replay', () => {
  let speech: Utterance[];
  beforeAll(async () => {
    const slt = trainSources.find((s) => s.synth === 'flite' && s.voice === 'slt')!;
    speech = await synthesizeCorpus(['Bring the map; we may be late.'], slt, 40);
  });

  for (const [fromPrevious, smooth, jawSpeech] of [
    [false, undefined, undefined],
    [true, undefined, undefined],
    [true, [1, 2, 3, 2, 1], [0.15, 0.45]],
    [false, [1, 2, 1], undefined],
  ] as const) {
    it(`matches AudioLipSync frame for frame (speechFromPreviousFrame ${fromPrevious}, smooth ${smooth}, jawSpeech ${jawSpeech})`, () => {
      const { smooth: _, ...fitted } = fittedLipSyncModel;
      const model: LipSyncModel = {
        ...fitted,
        gates: {
          speech: [0.3, 0.75],
          closure: [0.3, 0.6],
          speechFromPreviousFrame: fromPrevious,
          ...(jawSpeech ? { jawSpeech: [...jawSpeech] } : {}),
        },
        jawScale: 1.2,
        jawPower: 1.3,
        ...(smooth ? { smooth: [...smooth] } : {}),
      };
      // The utterance, then bursts, music and silence after it (the fixtures start with the same speech).
      for (const pcm of [speech[0]!.pcm, ...stillnessFixtures(speech[0]!.pcm, 5).map((f) => f.pcm)]) {
        const live = predictJaw(pcm, 40, model);
        const replayed = replayJaw(storeHops(pcm, model), model);
        expect(replayed.length).toBe(live.length);
        for (let i = 0; i < live.length; i++) expect(replayed[i]).toBeCloseTo(live[i]!, 9);
      }
    });
  }

  it('the speech gate modes differ somewhere (the flag is read)', () => {
    const pcm = stillnessFixtures(speech[0]!.pcm, 5)[0]!.pcm;
    const stored = storeHops(pcm, fittedLipSyncModel);
    const gates = { speech: [0.3, 0.75] as [number, number], closure: [0.3, 0.6] as [number, number] };
    const a = replayJaw(stored, { ...fittedLipSyncModel, gates });
    const b = replayJaw(stored, {
      ...fittedLipSyncModel,
      gates: { ...gates, speechFromPreviousFrame: true },
    });
    expect(a.some((v, i) => Math.abs(v - b[i]!) > 1e-3)).toBe(true);
  });
});
