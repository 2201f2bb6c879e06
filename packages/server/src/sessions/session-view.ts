/** @module A stored session as the v1 API shows it: status from the timestamps, platform rooms only, no secrets. */
import type { PlatformRoom, Session, SessionStatus, SessionType } from '@agenthuman/protocol';
import type { SessionRow } from '@agenthuman/store';
import type { AvatarResolver } from '../avatars/resolve-avatar.js';

export const sessionStatus = (row: Pick<SessionRow, 'startedAt' | 'endedAt'>): SessionStatus =>
  row.endedAt ? 'ended' : row.startedAt ? 'started' : 'created';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export const durationSeconds = (row: Pick<SessionRow, 'startedAt' | 'endedAt'>): number | null =>
  row.startedAt && row.endedAt
    ? Math.max(0, Math.round((row.endedAt.getTime() - row.startedAt.getTime()) / 1000))
    : null;

/**
 * `duration` in the dialect of the shape that made the session: the current shape (`avatar`) counts whole
 * seconds while running (0 before start), because the official Pipecat client parses it as an integer; the
 * seed shape (`avatar_id`), agent sessions and rows older than `create_shape` show null until ended.
 */
export function viewDuration(
  row: Pick<SessionRow, 'startedAt' | 'endedAt' | 'createShape'>,
  now: Date,
): number | null {
  const ended = durationSeconds(row);
  if (ended !== null || row.createShape !== 'avatar') return ended;
  return row.startedAt ? Math.max(0, Math.floor((now.getTime() - row.startedAt.getTime()) / 1000)) : 0;
}

export function toSessionView(row: SessionRow, avatars: AvatarResolver, now = new Date()): Session {
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
    duration: viewDuration(row, now),
    metadata: row.metadata,
    agent_id: row.agentId,
    end_reason: (row.endReason as Session['end_reason']) ?? null,
    end_detail: row.endDetail ?? null,
    billing:
      status === 'ended'
        ? {
            minutes_charged: row.minutesCharged ?? 0,
            included_minutes_used: row.includedMinutesUsed ?? 0,
            purchased_minutes_used: row.purchasedMinutesUsed ?? 0,
          }
        : null,
    record: row.record,
    // No Daily rooms are made (create refuses them); clients of the seeds' Session object expect the key.
    daily_room: null,
  };
  const room = platformRoomView(row.room);
  if (room) view.room = room;
  return view;
}

/**
 * A room the platform made, as its owner sees it (a viewer's credentials); the customer's own room and its
 * token never, nor a `proxy` room (its caller's token is in the create reply only) or the avatar's token.
 */
export function platformRoomView(room: SessionRow['room']): PlatformRoom | undefined {
  if (room?.kind === 'builtin')
    return { platform: 'builtin', name: room.name, url: room.url, token: room.token };
  if (room?.kind === 'livekit')
    return { platform: 'livekit', name: room.name, url: room.url, token: room.viewerToken };
  return undefined;
}

export const wsUriFor = (publicUrl: string, sessionId: string) =>
  `${publicUrl.replace(/^http/, 'ws')}/ws?session_id=${encodeURIComponent(sessionId)}`;
