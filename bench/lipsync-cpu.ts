// npx tsx bench/lipsync-cpu.ts — CPU of the audio lip-sync per second of audio, fed in the live pipeline's 160 ms
// slices: `inline` (AudioLipSync on this thread) and `worker` (the same on a render worker lane, as LiveAvatar
// runs it: analysis plus the messages both ways; process CPU, all threads). Three 60 s repeats each. CPU time,
// so it holds on a busy machine; prints one JSON object last.
import { RenderWorkerPool } from '@agenthuman/engine';
import { audioLipSyncSpec } from '@agenthuman/engine/live';
import { solidColourRendererSpec } from '@agenthuman/engine/testing';
import { AudioLipSync } from '../packages/engine/src/lipsync/audio-lipsync.js';
import { syntheticSpeech } from './engine-setup.js';

const SLICE = 2_560;
const SECONDS = 60;
const pcm = syntheticSpeech(6);
const slices = (SECONDS * 16_000) / SLICE;
const sliceAt = (k: number) => {
  const at = (k * SLICE) % (pcm.length - SLICE);
  return pcm.slice(at, at + SLICE);
};
const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

const pool = new RenderWorkerPool({ size: 1 });
const lane = await pool.openLane(solidColourRendererSpec({ width: 64, height: 48 }), {
  format: 'i420',
  lipSync: audioLipSyncSpec(),
});
const warm = new AudioLipSync();
for (let k = 0; k < 100; k++) {
  await lane.lipSync('push', sliceAt(k));
  warm.push(sliceAt(k));
}
const result: { inline: number[]; worker: number[] } = { inline: [], worker: [] };
for (let rep = 0; rep < 3; rep++) {
  const lipSync = new AudioLipSync();
  let start = cpuMs();
  for (let k = 0; k < slices; k++) lipSync.push(sliceAt(k));
  result.inline.push(Number(((cpuMs() - start) / SECONDS).toFixed(2)));
  start = cpuMs();
  for (let k = 0; k < slices; k++) await lane.lipSync('push', sliceAt(k));
  result.worker.push(Number(((cpuMs() - start) / SECONDS).toFixed(2)));
}
lane.close();
await pool.close();
console.log(JSON.stringify({ msPerAudioSecond: result }));
