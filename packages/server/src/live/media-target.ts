/**
 * @module What a session's media is made from, as the live-session registry starts it: a stored session's row,
 * or an avatar preview that has no row.
 */
import type { AspectRatio } from '@agenthuman/engine/face';
import type { SessionRow } from '@agenthuman/store';
import { type LiveKitSeat, livekitSeatOf } from './livekit-seat.js';

export type MediaTarget = {
  id: string;
  avatarId: string | null;
  aspectRatio: AspectRatio;
  roomName: string | undefined;
  /** The LiveKit room the avatar joins (customer, proxy or platform LiveKit rooms). */
  livekit?: LiveKitSeat;
  expiration: Date | null;
  /** false for previews: nothing in the store to check or end. */
  stored: boolean;
  emptyTimeoutMs?: number;
  /** Recorded from its first frame (the session's account owns the recording). */
  record?: { accountId: string };
};

export const targetOf = (row: SessionRow): MediaTarget => {
  const livekit = livekitSeatOf(row);
  return {
    id: row.id,
    avatarId: row.avatarId,
    aspectRatio: row.aspectRatio as AspectRatio,
    roomName: row.room?.kind === 'builtin' ? row.room.name : undefined,
    ...(livekit ? { livekit } : {}),
    expiration: row.expiration,
    stored: true,
    ...(row.record ? { record: { accountId: row.accountId } } : {}),
  };
};

/** Agent chat sessions are text only: no avatar media runs for them. */
export const needsMedia = (row: SessionRow) => row.sessionType !== 'agent_chat';
