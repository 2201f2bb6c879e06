import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAnimator } from '../animation/animator.js';
import { publicAvatarRenderer } from '../live/renderer-spec.js';
import { RenderWorkerPool } from './render-worker-pool.js';

// The worker's own trace (render-trace.ts) says what it warmed: the env is read when the worker starts.
const dir = mkdtempSync(join(tmpdir(), 'pose-warm-'));
const traceEnv = process.env.AGENTHUMAN_RENDER_TRACE;
process.env.AGENTHUMAN_RENDER_TRACE = dir;
afterAll(() => {
  if (traceEnv === undefined) delete process.env.AGENTHUMAN_RENDER_TRACE;
  else process.env.AGENTHUMAN_RENDER_TRACE = traceEnv;
  rmSync(dir, { recursive: true, force: true });
});

const warms = (): { lane: number; t: number }[] =>
  readdirSync(dir).flatMap((file) =>
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { k: string; lane: number; t: number })
      .filter((entry) => entry.k === 'warm'),
  );
const warmedLanes = (): Map<number, number> => {
  const lanes = new Map<number, number>();
  for (const { lane } of warms()) lanes.set(lane, (lanes.get(lane) ?? 0) + 1);
  return lanes;
};

describe('a lane opened with warmPoses', () => {
  it("has its worker draw the avatar's poses while it idles; a lane without does not", async () => {
    const pool = new RenderWorkerPool({ size: 1 });
    try {
      const { spec } = publicAvatarRenderer('kai', '4:3');
      const plain = await pool.openLane(spec, { format: 'i420' });
      const warmed = await pool.openLane(spec, { format: 'i420', warmPoses: true });
      // Drawn one per worker turn (4–8 ms each quiet); the trace is written every second.
      const until = performance.now() + 30_000;
      while ((warmedLanes().get(warmed.id) ?? 0) < 20 && performance.now() < until)
        await new Promise((resolve) => setTimeout(resolve, 250));
      expect(warmedLanes().get(warmed.id) ?? 0).toBeGreaterThanOrEqual(20);
      expect(warmedLanes().has(plain.id)).toBe(false);
      plain.close();
      warmed.close();
    } finally {
      await pool.close();
    }
  }, 40_000);

  it('warms nothing while a session on the thread speaks', async () => {
    const pool = new RenderWorkerPool({ size: 1 });
    try {
      const { spec, seed } = publicAvatarRenderer('nora', '4:3');
      const lane = await pool.openLane(spec, { format: 'i420', warmPoses: true });
      const anim = createAnimator({ seed });
      const from = performance.timeOrigin + performance.now();
      // 1.5 s of speech frames at the live pace.
      for (let i = 0; i < 38; i++) {
        const params = anim.step(i * 40, {
          jawOpen: 0.4,
          mouthWidth: 0.5,
          mouthRound: 0,
          upperLip: 0,
          lowerLip: 0,
        });
        await Promise.all([lane.render(params, i * 40, true), new Promise((r) => setTimeout(r, 40))]);
      }
      const to = performance.timeOrigin + performance.now();
      // Idle afterwards: warming goes on.
      const until = performance.now() + 30_000;
      while (warms().filter((w) => w.lane === lane.id && w.t > to).length < 5 && performance.now() < until)
        await new Promise((resolve) => setTimeout(resolve, 250));
      const mine = warms().filter((w) => w.lane === lane.id);
      // The first speech frame may find one pose being drawn; none starts after it until the speech ends.
      expect(mine.filter((w) => w.t > from + 100 && w.t < to).length).toBe(0);
      expect(mine.filter((w) => w.t > to).length).toBeGreaterThanOrEqual(5);
      lane.close();
    } finally {
      await pool.close();
    }
  }, 60_000);
});
