// npm run bench:lipsync — audio-only lip-sync against the Flite phoneme path on held-out sentences and voices,
// plus TTS speed and lip-sync cost. Prints one JSON object on its last line. `measureLipsync()` is reused by
// the combined bench:engine.
import { AudioLipSync, FliteTTS, loadFliteModule, synthesizeWithFlite } from '@agenthuman/engine';
import { synthesizeCorpus } from '../packages/engine/src/lipsync/calibrate/corpus.js';
import { scoreLipSync } from '../packages/engine/src/lipsync/calibrate/evaluate.js';
import { testSentences, testVoices } from '../packages/engine/src/lipsync/calibrate/sentences.js';

export interface LipsyncBench {
  lipsync_corr: number;
  lipsync_lag_ms: number;
  lipsync_utterances: number;
  /** Seconds of speech Flite synthesises per second of one core (slt voice). */
  tts_x_realtime: number;
  /** Milliseconds of one core the streaming audio lip-sync spends per second of audio. */
  lipsync_ms_per_audio_s: number;
}

export async function measureLipsync(): Promise<LipsyncBench> {
  const [coarse, fine] = await Promise.all([
    synthesizeCorpus(testSentences, testVoices, 40),
    synthesizeCorpus(testSentences, testVoices, 10),
  ]);
  const score = scoreLipSync(coarse, fine);

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

  const speech = coarse.map((u) => u.pcm);
  const sync = new AudioLipSync();
  let frames = 0;
  const t0 = performance.now();
  let samples = 0;
  for (let round = 0; round < 3; round++) {
    for (const pcm of speech) {
      for (let at = 0; at < pcm.length; at += 320) frames += sync.push(pcm.subarray(at, at + 320)).length;
      frames += sync.flush().length;
      samples += pcm.length;
    }
  }
  const lipsyncMs = performance.now() - t0;
  if (frames === 0) throw new Error('lip-sync produced no frames');

  return {
    lipsync_corr: Number(score.corr.toFixed(3)),
    lipsync_lag_ms: score.lagMs,
    lipsync_utterances: score.utterances,
    tts_x_realtime: Number(((audioS * 1000) / ttsMs).toFixed(1)),
    lipsync_ms_per_audio_s: Number((lipsyncMs / (samples / 16000)).toFixed(2)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await measureLipsync();
  console.log(JSON.stringify(result));
}
