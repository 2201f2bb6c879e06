import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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

const warmedLanes = (): Map<number, number> => {
  const lanes = new Map<number, number>();
  for (const file of readdirSync(dir))
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!line) continue;
      const entry = JSON.parse(line) as { k: string; lane?: number };
      if (entry.k === 'warm') lanes.set(entry.lane!, (lanes.get(entry.lane!) ?? 0) + 1);
    }
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
});
