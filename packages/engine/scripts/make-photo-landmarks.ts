// Regenerates assets/avatars/<slug>.landmarks.json for every bundled photo avatar: the face model's 478 points on
// the photo, so render workers build these rigs without running the model (photo-landmarks.ts). Rerun after
// replacing or adding a photo. Run: npx tsx packages/engine/scripts/make-photo-landmarks.ts
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PUBLIC_AVATARS } from '../src/avatars/catalog.js';
import { landmarksOf, landmarksPath, PHOTO_ASSETS } from '../src/avatars/photo-landmarks.js';
import { analyzeFace } from '../src/face/ingest-face.js';

for (const avatar of PUBLIC_AVATARS.filter((a) => a.kind === 'photo')) {
  const source = `${avatar.slug}.jpg`;
  const analysis = await analyzeFace(new Uint8Array(await readFile(join(PHOTO_ASSETS, source))));
  await writeFile(landmarksPath(avatar.slug), `${JSON.stringify(landmarksOf(source, analysis))}\n`);
  console.log('wrote', landmarksPath(avatar.slug), 'score', analysis.score.toFixed(3));
}
