/**
 * What a reply's start and end cost the renderer, frame by frame, in this thread: one renderer warmed as a render
 * worker is (idle loop and `warmupPoses()` drawn into the pose cache), then sessions of the default avatar that
 * idle, speak a reply (speechMouth) and idle again. Each frame is classed by what the renderer had for it: a
 * cached head (`pose` hit), a head drawn into the cache now (`pose` miss), or none (`uncached`: until
 * 2026-12-07 the blends between modes). CPU time per class (the process's: run it alone in its process) and the reply's first 8 and the end's 8 frames together.
 * Prints one JSON object on its last line.
 *
 *   nice npx tsx bench/reply-start-render.ts [--replies=24] [--sessions=4]
 */
import { loadavg } from 'node:os';
import { createAnimator, warmupPoses } from '@agenthuman/engine/animation';
import { DEFAULT_PUBLIC_AVATAR_SLUG, findPublicAvatar } from '@agenthuman/engine/avatars';
import { createCpuRenderer } from '@agenthuman/engine/render';
import { speechMouth } from '@agenthuman/engine/testing/face';

const arg = (name: string, d: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? d);
const REPLIES = arg('replies', 24);
const SESSIONS = arg('sessions', 4);
const round = (x: number) => Math.round(x * 100) / 100;
const pct = (xs: number[], p: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]! : null;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

const rig = await findPublicAvatar(DEFAULT_PUBLIC_AVATAR_SLUG)!.loadRig('4:3');
const r = createCpuRenderer(rig);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const warmStart = cpuMs();
{
  const a = createAnimator({ seed: 1 });
  for (let k = 0; k < 160; k++) r.renderView(a.step(k * 40, null), k * 40, 'i420');
  for (const [k, pose] of warmupPoses().entries()) r.renderView(pose, (160 + k) * 40, 'i420');
}
const warmupMs = cpuMs() - warmStart;
const warmCacheFrames = r.stats().idleCacheFrames;

type Kind = 'idle' | 'hit' | 'miss' | 'uncached';
const byKind: Record<Kind, number[]> = { idle: [], hit: [], miss: [], uncached: [] };
const starts: number[] = [];
const steady: number[] = [];
const ends: number[] = [];
const startUncached: number[] = [];
// A few passes over the V8 tiers first, so the figures are a warm worker's.
for (let pass = 0; pass < 2; pass++) {
  const measured = pass === 1;
  for (let s = 0; s < SESSIONS; s++) {
    const a = createAnimator({ seed: 100 + s + pass * 1000 });
    let k = 0;
    const frame = (mouth: ReturnType<typeof speechMouth> | null) => {
      const p = a.step(k * 40, mouth);
      const before = r.stats().idleCacheFrames;
      const t0 = cpuMs();
      r.renderView(p, k * 40, 'i420');
      const ms = cpuMs() - t0;
      const kind: Kind =
        p.idleFrame !== undefined
          ? 'idle'
          : !p.pose
            ? 'uncached'
            : r.stats().idleCacheFrames > before
              ? 'miss'
              : 'hit';
      if (measured) byKind[kind].push(ms);
      k++;
      return { ms, kind };
    };
    for (let reply = 0; reply < REPLIES / SESSIONS; reply++) {
      for (let i = 0; i < 20 + ((reply * 7 + s * 3) % 23); i++) frame(null);
      const first: { ms: number; kind: Kind }[] = [];
      for (let j = 0; j < 75; j++) {
        const f = frame(speechMouth(j + reply * 13));
        if (j < 8) first.push(f);
        else if (j >= 25 && measured) steady.push(f.ms);
      }
      const last: number[] = [];
      for (let i = 0; i < 12; i++) last.push(frame(null).ms);
      if (measured) {
        starts.push(sum(first.map((f) => f.ms)));
        startUncached.push(first.filter((f) => f.kind === 'uncached').length);
        ends.push(sum(last));
      }
    }
  }
}
const summary = (xs: number[]) => ({
  n: xs.length,
  p50: round(pct(xs, 0.5) ?? 0),
  p95: round(pct(xs, 0.95) ?? 0),
  totalMs: round(sum(xs)),
});
console.log(
  JSON.stringify({
    avatar: DEFAULT_PUBLIC_AVATAR_SLUG,
    warmupCpuMs: Math.round(warmupMs),
    warmCacheFrames,
    cacheFramesAfter: r.stats().idleCacheFrames,
    cacheMB: round(r.stats().idleCacheBytes / 1e6),
    frameMs: {
      idle: summary(byKind.idle),
      hit: summary(byKind.hit),
      miss: summary(byKind.miss),
      uncached: summary(byKind.uncached),
    },
    steadySpeechFrameMs: round(pct(steady, 0.5) ?? 0),
    replyFirst8Ms: summary(starts),
    replyFirst8UncachedFrames: pct(startUncached, 0.5),
    replyEnd12Ms: summary(ends),
    loadavg: loadavg().map(round),
  }),
);
