// Face ingest timing: cold model load (first call in a fresh process) and warm per-photo ingest.
// Run: npm run bench:face-ingest   (last line: one JSON object)
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ingestFace, loadFaceModel } from '@agenthuman/engine/face';
import { cropJpeg, faceApiSample, SAMPLE6_LEFT_PERSON } from '@agenthuman/engine/testing/face';

const RUNS = 10;
const eileen = new Uint8Array(
  await readFile(join(import.meta.dirname, '..', 'packages', 'engine', 'assets', 'avatars', 'eileen.jpg')),
);
const portrait = await cropJpeg(await faceApiSample(6), SAMPLE6_LEFT_PERSON);
// A large photo: the whole 1920-px sample with the other people cropped away but the resolution kept.
const large = await cropJpeg(await faceApiSample(6), { left: 0, top: 200, width: 640, height: 1000 });

let t = performance.now();
await loadFaceModel();
const modelLoadMs = performance.now() - t;
t = performance.now();
await ingestFace(eileen);
const firstIngestMs = performance.now() - t;

async function median(bytes: Uint8Array, options: Parameters<typeof ingestFace>[1]): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    await ingestFace(bytes, options);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const result = {
  face_model_load_ms: Math.round(modelLoadMs),
  face_first_ingest_ms: Math.round(firstIngestMs),
  face_ingest_warm_ms_512px_sd: Math.round(await median(eileen, { aspectRatio: '4:3', preset: 'sd' })),
  face_ingest_warm_ms_540x680_sd: Math.round(await median(portrait, { aspectRatio: '4:3', preset: 'sd' })),
  face_ingest_warm_ms_540x680_hd: Math.round(await median(portrait, { aspectRatio: '4:3', preset: 'hd' })),
  face_ingest_warm_ms_640x1000_sd: Math.round(await median(large, { aspectRatio: '3:4', preset: 'sd' })),
  runs: RUNS,
};
console.log(JSON.stringify(result));
