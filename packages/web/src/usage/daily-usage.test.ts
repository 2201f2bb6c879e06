import type { Session } from '@agenthuman/sdk';
import { describe, expect, it } from 'vitest';
import { dailyUsage } from './daily-usage.js';

const session = (started: string, ended: string | null) =>
  ({ session_id: started, started_at: started, ended_at: ended }) as Session;

describe('dailyUsage', () => {
  const now = Date.parse('2026-11-03T12:00:00Z');

  it('spans the whole period, splits minutes across midnight, and marks days still to come', () => {
    const days = dailyUsage(
      [session('2026-11-01T23:50:00Z', '2026-11-02T00:20:00Z')],
      '2026-11-01T00:00:00Z',
      '2026-11-05T23:59:59Z',
      now,
    );
    expect(days.map((d) => d.day)).toEqual([
      '2026-11-01',
      '2026-11-02',
      '2026-11-03',
      '2026-11-04',
      '2026-11-05',
    ]);
    expect(days.map((d) => d.minutes)).toEqual([10, 20, 0, 0, 0]);
    expect(days.map((d) => d.future)).toEqual([false, false, false, true, true]);
  });

  it('finds the peak number of sessions live at once per day, counting a live one up to now', () => {
    const days = dailyUsage(
      [
        session('2026-11-02T10:00:00Z', '2026-11-02T11:00:00Z'),
        session('2026-11-02T10:30:00Z', '2026-11-02T10:45:00Z'),
        session('2026-11-02T10:40:00Z', '2026-11-02T12:00:00Z'),
        session('2026-11-03T11:00:00Z', null),
      ],
      '2026-11-01T00:00:00Z',
      '2026-11-04T23:59:59Z',
      now,
    );
    expect(days.map((d) => d.peakConcurrency)).toEqual([0, 3, 1, 0]);
    expect(days[2]?.minutes).toBe(60);
  });
});
