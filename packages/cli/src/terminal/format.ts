/** @module Human formats for times, durations and minutes in tables. */

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** `2025-01-31 14:02` in UTC, compact enough for a table; ISO stays in --json. */
export const formatTime = (iso: string | null | undefined) =>
  iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '';

/** Seconds between an ISO start and now, for live sessions. */
export const secondsSince = (iso: string | null | undefined, nowMs = Date.now()) =>
  iso ? Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000)) : null;

export const formatMinutes = (minutes: number | null | undefined) =>
  minutes === null || minutes === undefined ? 'unlimited' : `${minutes} min`;
