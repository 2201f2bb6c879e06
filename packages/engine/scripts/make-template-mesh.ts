// Regenerates assets/avatars/template-mesh.json: the 478-point mesh of a frontal photo (assets/avatars/eileen.jpg;
// the committed mesh was measured on the former public-domain Eileen Collins photo, so a rerun on today's synthetic
// face reshapes the illustrated avatars), normalised so the eye midpoint is the origin, the eyes are level and the
// forehead-to-chin height is 1. The illustrated avatars are drawn on this mesh, so their landmarks are known
// by construction. Run: npx tsx packages/engine/scripts/make-template-mesh.ts
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { alignFace, applyAffine, levelPoint } from '../src/face/face-alignment.js';
import { analyzeFace } from '../src/face/ingest-face.js';

const assets = join(import.meta.dirname, '..', 'assets', 'avatars');
const analysis = await analyzeFace(new Uint8Array(await readFile(join(assets, 'eileen.jpg'))));
// Aligning into a huge frame keeps the edge zoom out of it; then shift and scale to unit face height.
const size = 100_000;
const { transform, level } = alignFace(analysis.mesh, size, size, size, size);
const pts = analysis.mesh.map(([x, y]) => levelPoint(level, ...applyAffine(transform, x, y)));
const eyeY = 0.4 * size;
const top = pts[10]!;
const chin = pts[152]!;
const faceHeight = Math.hypot(chin[0] - top[0], chin[1] - top[1]);
const mesh = pts.flatMap(([x, y]) => [
  Math.round(((x - size / 2) / faceHeight) * 1e5) / 1e5,
  Math.round(((y - eyeY) / faceHeight) * 1e5) / 1e5,
]);
await writeFile(
  join(assets, 'template-mesh.json'),
  `${JSON.stringify({ source: 'eileen.jpg', units: 'forehead-to-chin = 1, origin = eye midpoint', mesh })}\n`,
);
console.log('wrote', mesh.length / 2, 'points');
