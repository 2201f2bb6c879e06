// Writes every public avatar's crop and a mesh overlay as PNGs, for looking at them.
// Run: npx tsx packages/engine/scripts/preview-avatars.ts [outDir] [aspect]
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AspectRatio } from '../src/face/rig.js';
import { drawMeshOverlay, PUBLIC_AVATARS } from '../src/index.js';

const outDir = process.argv[2] ?? 'avatar-previews';
const aspect = (process.argv[3] ?? '4:3') as AspectRatio;
await mkdir(outDir, { recursive: true });
for (const avatar of PUBLIC_AVATARS) {
  const started = performance.now();
  const rig = await avatar.loadRig(aspect);
  const ms = Math.round(performance.now() - started);
  await writeFile(join(outDir, `${avatar.slug}.png`), rig.image);
  await writeFile(join(outDir, `${avatar.slug}-mesh.png`), await drawMeshOverlay(rig));
  console.log(`${avatar.slug}: ${rig.width}x${rig.height} in ${ms} ms`);
}
