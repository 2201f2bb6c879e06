import { afterEach, describe, expect, it } from 'vitest';
import { setLiveDefaults } from '../pipeline/live-defaults.js';
import { RenderWorkerPool } from '../workers/render-worker-pool.js';
import { warmPublicAvatars } from './avatar-warmup.js';

let pool: RenderWorkerPool | undefined;
afterEach(async () => {
  setLiveDefaults({ speakingWarmup: true });
  await pool?.close();
  pool = undefined;
});

describe('warmPublicAvatars', () => {
  it("runs every worker's speaking path (speech frames and lip-sync) before any session", async () => {
    pool = new RenderWorkerPool({ size: 2 });
    const report = await warmPublicAvatars(pool, { only: ['eileen'] });
    expect(report.failures).toEqual([]);
    // The default avatar is a kept one: its 3 s throwaway reply on each thread, audio through its lip-sync.
    for (const worker of pool.load) {
      expect(worker.lanes).toBe(0);
      expect(worker.speechFrames).toBe(75);
      expect(worker.lipSyncSteps).toBeGreaterThan(19);
    }
    expect(report).toMatchObject({ lanes: 2, speechFrames: 150 });
  }, 120_000);

  it('draws no reply with the switch off (the A/B baseline)', async () => {
    setLiveDefaults({ speakingWarmup: false });
    pool = new RenderWorkerPool({ size: 1 });
    const report = await warmPublicAvatars(pool, { only: ['eileen'] });
    expect(pool.load.map((w) => [w.speechFrames, w.lipSyncSteps])).toEqual([[0, 0]]);
    expect(report).toMatchObject({ lanes: 1, speechFrames: 0, lipSyncSteps: 0 });
  }, 120_000);
});
