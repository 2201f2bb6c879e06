// npm run bench:lipsync — audio-only lip-sync against each synthesiser's phoneme path, on held-out voices (whole
// voices never fitted on) speaking held-out sentences; lips shut on p/b/m; stillness on noise bursts, music and
// silence; plus TTS speed and lip-sync cost. Prints one JSON object on its last line. `measureLipsync()` is reused
// by the combined bench:engine. Festival voices need Debian's festival + festvox packages (calibrate/fit.ts
// header), the neural ones (Piper, Kokoro) a Python venv the corpus makes under the lip-sync cache (pip from PyPI);
// without them they are listed under `skipped` with the reason.
import { AudioLipSync, FliteTTS, loadFliteModule, synthesizeWithFlite } from '@agenthuman/engine';
import {
  missingTool,
  synthesizeCorpus,
  type Utterance,
} from '../packages/engine/src/lipsync/calibrate/corpus.js';
import { scoreLipSync, scoreStillness } from '../packages/engine/src/lipsync/calibrate/evaluate.js';
import { testSentencesFor } from '../packages/engine/src/lipsync/calibrate/foreign-sentences.js';
import { testSentences } from '../packages/engine/src/lipsync/calibrate/sentences.js';
import { heldOutSources, sourceName } from '../packages/engine/src/lipsync/calibrate/voices.js';
import { type LipsyncPixelsResult, measureLipsyncPixels } from './lipsync-pixels.js';

export interface HeldOutVoiceScore {
  corr: number;
  lag_ms: number;
  /** Share of p/b/m frames with jawOpen < 0.1. */
  mbp_closed: number;
  mbp_mean_jaw: number;
  utterances: number;
}

export interface LipsyncBench {
  /** Mean over held-out voices of the per-utterance jaw correlation with the phoneme path (target ≥ 0.80). */
  lipsync_corr: number;
  /** The held-out voices' best lag furthest from 0 (target within ±40 ms). */
  lipsync_lag_ms: number;
  lipsync_utterances: number;
  held_out: Record<string, HeldOutVoiceScore>;
  /** Mean held-out correlation per synthesiser (flite, festival, piper, kokoro). */
  held_out_by_synth: Record<string, number>;
  /** Over every held-out voice's p/b/m frames (target ≥ 0.70). */
  mbp_closed_share: number;
  /** Highest jawOpen while noise bursts play (target ≤ 0.15). */
  noise_burst_max_jaw: number;
  music_max_jaw: number;
  music_mean_jaw: number;
  silence_max_jaw: number;
  /** Every silence frame below 0.02. */
  silence_closed: boolean;
  skipped: string[];
  /** Seconds of speech Flite synthesises per second of one core (slt voice). */
  tts_x_realtime: number;
  /** Milliseconds of one core the streaming audio lip-sync spends per second of audio (target ≤ ~30). */
  lipsync_ms_per_audio_s: number;
  /**
   * The same figures measured on rendered pixels (bench/lipsync-pixels.ts): the face-landmark model on frames of
   * a teeth-showing photo and an illustrated avatar. `--no-pixels` skips it (~10 min on this machine).
   */
  pixels: LipsyncPixelsResult | null;
}

const r3 = (v: number) => Number(v.toFixed(3));

export async function measureLipsync(): Promise<LipsyncBench> {
  const held_out: Record<string, HeldOutVoiceScore> = {};
  const skipped: string[] = [];
  const speech: Utterance[] = [];
  let closed = 0;
  let mbp = 0;
  let burst = 0;
  let musicMax = 0;
  let musicMean = 0;
  let silence = 0;
  let stillness = 0;
  for (const source of heldOutSources) {
    const missing = missingTool(source);
    if (missing) {
      skipped.push(`${sourceName(source)} (${missing})`);
      continue;
    }
    const sentences = testSentencesFor(source.lang);
    const [coarse, fine] = [
      await synthesizeCorpus(sentences, source, 40),
      await synthesizeCorpus(sentences, source, 10),
    ];
    const s = scoreLipSync(coarse, fine);
    held_out[sourceName(source)] = {
      corr: r3(s.corr),
      lag_ms: s.lagMs,
      mbp_closed: r3(s.mbpClosed),
      mbp_mean_jaw: r3(s.mbpMeanJaw),
      utterances: s.utterances,
    };
    closed += s.mbpClosed * s.mbpFrames;
    mbp += s.mbpFrames;
    // Stillness around two sentences of each voice, with fixed seeds.
    for (const [i, u] of coarse.slice(0, 2).entries()) {
      const still = scoreStillness(u.pcm, 9000 + 17 * stillness + i);
      burst = Math.max(burst, still.burstMaxJaw);
      musicMax = Math.max(musicMax, still.musicMaxJaw);
      musicMean += still.musicMeanJaw;
      silence = Math.max(silence, still.silenceMaxJaw);
      stillness++;
    }
    speech.push(...coarse);
  }
  const voices = Object.values(held_out);
  const bySynth: Record<string, number[]> = {};
  for (const [name, v] of Object.entries(held_out)) {
    const synth = name.split(':')[0]!;
    bySynth[synth] = [...(bySynth[synth] ?? []), v.corr];
  }
  const held_out_by_synth = Object.fromEntries(
    Object.entries(bySynth).map(([synth, c]) => [synth, r3(c.reduce((a, b) => a + b, 0) / c.length)]),
  );

  const module = await loadFliteModule();
  const text = testSentences.join(' ');
  synthesizeWithFlite(module, testSentences[0]!, 'slt'); // warm-up: the first run compiles the hot WASM code
  const tts = new FliteTTS({ voice: 'slt' });
  let ttsMs = 0;
  let audioS = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const result = await tts.synthesize(text);
    ttsMs += performance.now() - t0;
    audioS += result.pcm.length / 16000;
  }

  const sync = new AudioLipSync();
  let frames = 0;
  let samples = 0;
  for (const u of speech.slice(0, 3)) frames += sync.push(u.pcm).length + sync.flush().length; // warm-up
  const t0 = performance.now();
  for (let round = 0; round < 3; round++) {
    for (const { pcm } of speech) {
      for (let at = 0; at < pcm.length; at += 320) frames += sync.push(pcm.subarray(at, at + 320)).length;
      frames += sync.flush().length;
      samples += pcm.length;
    }
  }
  const lipsyncMs = performance.now() - t0;
  if (frames === 0) throw new Error('lip-sync produced no frames');

  return {
    lipsync_corr: r3(voices.reduce((a, v) => a + v.corr, 0) / voices.length),
    lipsync_lag_ms: voices.reduce((a, v) => (Math.abs(v.lag_ms) > Math.abs(a) ? v.lag_ms : a), 0),
    lipsync_utterances: voices.reduce((a, v) => a + v.utterances, 0),
    held_out,
    held_out_by_synth,
    mbp_closed_share: r3(mbp ? closed / mbp : 0),
    noise_burst_max_jaw: r3(burst),
    music_max_jaw: r3(musicMax),
    music_mean_jaw: r3(musicMean / Math.max(1, stillness)),
    silence_max_jaw: r3(silence),
    silence_closed: silence < 0.02,
    skipped,
    tts_x_realtime: Number(((audioS * 1000) / ttsMs).toFixed(1)),
    lipsync_ms_per_audio_s: Number((lipsyncMs / (samples / 16000)).toFixed(2)),
    pixels: await measurePixels(),
  };
}

function measurePixels(): Promise<LipsyncPixelsResult | null> {
  return process.argv.includes('--no-pixels') ? Promise.resolve(null) : measureLipsyncPixels();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await measureLipsync();
  console.log(JSON.stringify(result));
}
