import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { audioLipSyncSpec } from '../live/lipsync-spec.js';
import { LipSyncJobs, PUT_OFF_MS } from './worker-lipsync.js';

/** A few event-loop turns: the jobs run within per-turn budgets, on setImmediate. */
async function turns(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

const silence = () => new Int16Array(2560);

async function jobsWith(rendersWaiting: () => boolean) {
  const answered: string[] = [];
  const jobs = new LipSyncJobs(
    (laneId, seq) => answered.push(`${laneId}:${seq}`),
    (laneId, seq, message) => answered.push(`${laneId}:${seq} failed: ${message}`),
    rendersWaiting,
  );
  await Promise.all([jobs.open(1, audioLipSyncSpec()), jobs.open(2, audioLipSyncSpec())]);
  return { jobs, answered };
}

describe('LipSyncJobs', () => {
  it('puts off audio that plays seconds later while frames wait to be drawn, each lane in order', async () => {
    let rendersWaiting = true;
    const { jobs, answered } = await jobsWith(() => rendersWaiting);
    const now = performance.timeOrigin + performance.now();
    jobs.submit(1, 0, 'push', silence(), now + 5_000);
    // Behind lane 1's first step: waits with it, though it carries no time of its own.
    jobs.submit(1, 1, 'flush', undefined);
    jobs.submit(2, 0, 'push', silence(), now);
    jobs.submit(2, 1, 'push', silence());
    // Polled, not counted in turns: under load a step can outlast the thread's per-turn budget.
    await expect.poll(() => answered, { timeout: 10_000 }).toEqual(['2:0', '2:1']);
    await turns(20);
    expect(answered).toEqual(['2:0', '2:1']);
    rendersWaiting = false;
    jobs.resume();
    await expect.poll(() => answered, { timeout: 10_000 }).toEqual(['2:0', '2:1', '1:0', '1:1']);
  });

  it('runs a put-off step once its audio comes within PUT_OFF_MS, frames waiting or not', async () => {
    const { jobs, answered } = await jobsWith(() => true);
    // 1.5 s out of reach, so a loaded machine's slow turns cannot bring it in before the first look.
    jobs.submit(1, 0, 'push', silence(), performance.timeOrigin + performance.now() + PUT_OFF_MS + 1_500);
    await turns();
    expect(answered).toEqual([]);
    await expect.poll(() => answered, { timeout: 10_000 }).toEqual(['1:0']);
  });

  it('runs a paced step (notBefore) at its time even with nothing else to do; a reset behind it lets it run now', async () => {
    const { jobs, answered } = await jobsWith(() => false);
    const now = performance.timeOrigin + performance.now();
    jobs.submit(1, 0, 'push', silence(), undefined, now + 1_000);
    jobs.submit(1, 1, 'push', silence(), undefined, now + 60_000);
    jobs.submit(2, 0, 'push', silence(), undefined, now + 60_000);
    jobs.submit(2, 1, 'push', silence());
    await turns();
    // Lane 2's unpaced step waits behind its paced first one (a lane's steps keep their order).
    expect(answered).toEqual([]);
    await expect.poll(() => answered, { timeout: 10_000 }).toEqual(['1:0']);
    await turns(20);
    expect(answered).toEqual(['1:0']);
    jobs.submit(2, 2, 'reset', undefined);
    await expect.poll(() => answered, { timeout: 10_000 }).toEqual(['1:0', '2:0', '2:1', '2:2']);
  });
});
