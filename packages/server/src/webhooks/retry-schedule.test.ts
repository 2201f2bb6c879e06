import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE, nextAttemptAt } from './retry-schedule.js';

const queued = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(queued.getTime() + ms);
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('retry schedule', () => {
  it('waits about 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, then hourly', () => {
    const noJitter = () => 0.5;
    const waits = [1, 2, 3, 4, 5, 6, 7, 8].map(
      (attempts) =>
        nextAttemptAt(DEFAULT_RETRY_SCHEDULE, attempts, queued, queued, noJitter)!.getTime() -
        queued.getTime(),
    );
    expect(waits).toEqual([5_000, 30_000, 2 * MIN, 10 * MIN, 30 * MIN, HOUR, HOUR, HOUR]);
  });

  it('spreads retries by ±10 %', () => {
    const low = nextAttemptAt(DEFAULT_RETRY_SCHEDULE, 2, queued, queued, () => 0)!;
    const high = nextAttemptAt(DEFAULT_RETRY_SCHEDULE, 2, queued, queued, () => 0.999_999)!;
    expect(low.getTime() - queued.getTime()).toBe(27_000);
    expect(high.getTime() - queued.getTime()).toBe(33_000);
  });

  it('gives up once the next attempt would fall past 24 h after queueing', () => {
    expect(nextAttemptAt(DEFAULT_RETRY_SCHEDULE, 20, queued, at(22 * HOUR), () => 0.5)).toEqual(
      at(23 * HOUR),
    );
    expect(nextAttemptAt(DEFAULT_RETRY_SCHEDULE, 21, queued, at(23.5 * HOUR), () => 0.5)).toBeNull();
  });
});
