/** @module A stored session as the v1 API shows it: status from the timestamps, platform rooms only, no secrets. */
import type { Session, SessionStatus, SessionType } from '@agenthuman/protocol';
import type { SessionRow } from '@agenthuman/store';
import type { AvatarResolver } from '../avatars/resolve-avatar.js';

export const sessionStatus = (row: Pick<SessionRow, 'startedAt' | 'endedAt'>): SessionStatus =>
  row.endedAt ? 'ended' : row.startedAt ? 'started' : 'created';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export const durationSeconds = (row: Pick<SessionRow, 'startedAt' | 'endedAt'>): number | null =>
  row.startedAt && row.endedAt
    ? Math.max(0, Math.round((row.endedAt.getTime() - row.startedAt.getTime()) / 1000))
    : null;

export function toSessionView(row: SessionRow, avatars: AvatarResolver): Session {
  const status = sessionStatus(row);
  const view: Session = {
    session_id: row.id,
    status,
    avatar: avatars.view(row.avatarId, row.avatarName),
    session_type: row.sessionType as SessionType,
    aspect_ratio: row.aspectRatio as Session['aspect_ratio'],
    created_at: row.createdAt.toISOString(),
    started_at: iso(row.startedAt),
    ended_at: iso(row.endedAt),
    expiration: iso(row.expiration),
    duration: durationSeconds(row),
    metadata: row.metadata,
    agent_id: row.agentId,
    end_reason: (row.endReason as Session['end_reason']) ?? null,
    billing:
      status === 'ended'
        ? {
            minutes_charged: row.minutesCharged ?? 0,
            included_minutes_used: row.includedMinutesUsed ?? 0,
            purchased_minutes_used: row.purchasedMinutesUsed ?? 0,
          }
        : null,
  };
  // Only a room the platform made is shown; the customer's own room (and its token) never is.
  if (row.room?.kind === 'builtin') {
    view.room = { platform: 'builtin', name: row.room.name, url: row.room.url, token: row.room.token };
  }
  return view;
}

export const wsUriFor = (publicUrl: string, sessionId: string) =>
  `${publicUrl.replace(/^http/, 'ws')}/ws?session_id=${encodeURIComponent(sessionId)}`;
