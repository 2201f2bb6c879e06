/**
 * @module Per-day minutes and peak concurrency over the billing period, computed from the sessions list (the
 * public API has totals only). Minutes are split across days by wall time; billing rounds per session.
 */
import type { Session } from '@agenthuman/sdk';

/** `future`: a day of the period still to come (drawn empty so the chart spans the whole cycle). */
export type DayUsage = { day: string; minutes: number; peakConcurrency: number; future: boolean };

const DAY_MS = 86_400_000;

export function dailyUsage(
  sessions: Session[],
  periodStart: string,
  periodEnd: string,
  nowMs = Date.now(),
): DayUsage[] {
  const start = Date.parse(periodStart);
  const end = Math.min(Date.parse(periodEnd), nowMs);
  const days: DayUsage[] = [];
  for (let t = startOfUtcDay(start); t <= Date.parse(periodEnd); t += DAY_MS) {
    days.push({
      day: new Date(t).toISOString().slice(0, 10),
      minutes: 0,
      peakConcurrency: 0,
      future: t > nowMs,
    });
  }
  const intervals = sessions
    .filter((s) => s.started_at)
    .map((s) => ({
      from: Date.parse(s.started_at as string),
      to: s.ended_at ? Date.parse(s.ended_at) : nowMs,
    }))
    .filter((i) => i.to > start && i.from < end);
  for (const { from, to } of intervals) {
    for (const day of days) {
      const dayStart = Date.parse(`${day.day}T00:00:00Z`);
      const overlap = Math.min(to, dayStart + DAY_MS) - Math.max(from, dayStart);
      if (overlap > 0) day.minutes += overlap / 60_000;
    }
  }
  // Peak concurrency per day: sweep over start (+1) and end (−1) points.
  const points = intervals.flatMap((i) => [
    { at: i.from, delta: 1 },
    { at: i.to, delta: -1 },
  ]);
  points.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let live = 0;
  let cursor = 0;
  for (const day of days) {
    const dayStart = Date.parse(`${day.day}T00:00:00Z`);
    let peak = live;
    while (cursor < points.length && (points[cursor]?.at ?? 0) < dayStart + DAY_MS) {
      live += points[cursor]?.delta ?? 0;
      if ((points[cursor]?.at ?? 0) >= dayStart) peak = Math.max(peak, live);
      cursor++;
    }
    day.peakConcurrency = Math.max(peak, 0);
    day.minutes = Math.round(day.minutes * 10) / 10;
  }
  return days;
}

const startOfUtcDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
