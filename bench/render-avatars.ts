// npx tsx bench/render-avatars.ts [eileen,ada,...] — the renderer's CPU ms per frame for each public avatar (4:3,
// this thread, I420): `uncachedMs` speech frames without the pose cache, `sessionMs` a talking session's frames
// (3 s speech, 1.2 s pause, second pass over the shared pose cache), `idleMs` an idle frame once cached. bench:render
// measures eileen only; face changes that touch one style (illustrated seam, photo lids) show here. One JSON last.

import { createAnimator } from '@agenthuman/engine/animation';
import { findPublicAvatar } from '@agenthuman/engine/avatars';
import { createCpuRenderer } from '@agenthuman/engine/render';
import { speechMouth } from '@agenthuman/engine/testing/face';

function cpuMs(n: number, draw: (i: number) => void): number {
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) draw(i);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / n;
}
const slugs = (process.argv[2] ?? 'eileen,ada,milo,nora,kai').split(',');
const out: Record<string, unknown> = {};
for (const slug of slugs) {
  const rig = await findPublicAvatar(slug)!.loadRig('4:3');
  const r1 = createCpuRenderer(rig, { idleCache: false });
  const a1 = createAnimator({ seed: 1 });
  const p1 = Array.from({ length: 450 }, (_, i) => a1.step(i * 40, speechMouth(i)));
  cpuMs(50, (i) => r1.render(p1[i]!, i * 40, 'i420'));
  const uncached = cpuMs(400, (i) => r1.render(p1[i + 50]!, (i + 50) * 40, 'i420'));
  r1.close();
  const r2 = createCpuRenderer(rig);
  const a2 = createAnimator({ seed: 5 });
  const talking = (i: number) => i % 105 < 75;
  const p2 = Array.from({ length: 1050 }, (_, i) => a2.step(i * 40, talking(i) ? speechMouth(i) : null));
  cpuMs(p2.length, (i) => r2.render(p2[i]!, i * 40, 'i420'));
  const session = cpuMs(p2.length, (i) => r2.render(p2[i]!, i * 40, 'i420'));
  r2.close();
  const r3 = createCpuRenderer(rig);
  const a3 = createAnimator({ seed: 2 });
  const loop = a3.idleLoop.frames;
  const p3 = Array.from({ length: loop * 3 }, (_, i) => a3.step(i * 40, null));
  cpuMs(loop, (i) => r3.render(p3[i]!, i * 40, 'i420'));
  const idle = cpuMs(loop * 2, (i) => r3.render(p3[i + loop]!, (i + loop) * 40, 'i420'));
  r3.close();
  out[slug] = { uncachedMs: +uncached.toFixed(3), sessionMs: +session.toFixed(3), idleMs: +idle.toFixed(3) };
  console.error(slug, JSON.stringify(out[slug]));
}
console.log(JSON.stringify(out));
