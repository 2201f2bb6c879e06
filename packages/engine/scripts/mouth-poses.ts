// Dev tool: renders rest, "ah", "m", "oo", "f" for a few faces into one PNG, to look at the mouth.
// npx tsx packages/engine/scripts/mouth-poses.ts out.png [zoom]
import sharp from 'sharp';
import { type FaceParams, restFace } from '../src/animation/params.js';
import { findPublicAvatar } from '../src/avatars/catalog.js';
import { ingestFace } from '../src/face/ingest-face.js';
import type { Rig } from '../src/face/rig.js';
import { cropJpeg, faceApiSample } from '../src/face/testing/face-api-samples.js';
import { createCpuRenderer } from '../src/render/cpu-renderer.js';

const poses: Record<string, Partial<FaceParams>> = {
  rest: {},
  ah: { jawOpen: 0.85, mouthWidth: 0.55, mouthRound: 0.05, upperLip: 0.25 },
  m: { jawOpen: 0, mouthWidth: 0.5 },
  oo: { jawOpen: 0.2, mouthWidth: 0.15, mouthRound: 1, upperLip: 0.05 },
  f: { jawOpen: 0.08, mouthWidth: 0.55, upperLip: 0.25, lowerLip: 1 },
};
const out = process.argv[2] ?? '/tmp/mouth.png';
const zoom = process.argv[3] === 'zoom';
const rigs: Array<[string, Rig]> = [];
for (const slug of ['eileen', 'ada']) rigs.push([slug, await findPublicAvatar(slug)!.loadRig('4:3')]);
const s3 = await cropJpeg(await faceApiSample(3), { left: 1380, top: 120, width: 480, height: 560 });
rigs.push(['sample3', (await ingestFace(s3, { aspectRatio: '4:3' })).rig]);
const s1 = await cropJpeg(await faceApiSample(1), { left: 1300, top: 100, width: 480, height: 560 });
rigs.push(['sample1', (await ingestFace(s1, { aspectRatio: '4:3' })).rig]);
const tiles: sharp.OverlayOptions[] = [];
const tw = zoom ? 480 : 320;
const th = zoom ? 267 : 240;
let row = 0;
for (const [, rig] of rigs) {
  const r = createCpuRenderer(rig, { idleCache: false });
  let col = 0;
  const lips = [...rig.regions.lipsUpperOuter!, ...rig.regions.lipsLowerOuter!];
  const xs = lips.map((i) => rig.mesh[i * 2]!);
  const ys = lips.map((i) => rig.mesh[i * 2 + 1]!);
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  const mw = Math.max(...xs) - Math.min(...xs);
  for (const [, p] of Object.entries(poses)) {
    const f = r.render({ ...restFace, ...p }, 0, 'rgba');
    let img = sharp(Buffer.from(f.data), { raw: { width: f.width, height: f.height, channels: 4 } });
    if (zoom) {
      const cw = Math.round(mw * 1.4);
      const ch = Math.round(cw / 1.8);
      img = sharp(
        await img
          .extract({
            left: Math.round(cx - cw / 2),
            top: Math.round(cy - ch / 2 + mw * 0.15),
            width: cw,
            height: ch,
          })
          .png()
          .toBuffer(),
      ).resize(tw, th, { kernel: 'nearest' });
    } else img = img.resize(tw, th);
    tiles.push({ input: await img.png().toBuffer(), left: col * tw, top: row * th });
    col++;
  }
  r.close();
  row++;
}
await sharp({ create: { width: tw * 5, height: th * rigs.length, channels: 3, background: '#000' } })
  .composite(tiles)
  .png()
  .toFile(out);
console.log(out);
