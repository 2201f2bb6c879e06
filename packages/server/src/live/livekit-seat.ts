/**
 * @module Where a session's avatar sits in LiveKit, read from its stored room: the room to join, the token to
 * join with, and the one identity whose speech and clear_buffer it obeys. Sessions without a LiveKit room have
 * no seat (the built-in room, or a Daily room stored before Daily was refused).
 */
import type { SessionRow } from '@agenthuman/store';

export type LiveKitSeat = {
  url: string;
  token: string;
  /**
   * undefined: the identity the token names in `lk.publish_on_behalf` (customer rooms), or nobody (a room we
   * made for viewers only: speech then comes over our WebSocket or from the built-in agent).
   */
  agentIdentity?: string;
};

export function livekitSeatOf(row: Pick<SessionRow, 'room'>): LiveKitSeat | undefined {
  const room = row.room;
  if (!room) return undefined;
  if (room.kind === 'customer') {
    return room.platform === 'livekit' ? { url: room.url, token: room.token } : undefined;
  }
  if (room.kind === 'proxy' || room.kind === 'livekit') {
    return {
      url: room.url,
      token: room.avatar.token,
      ...(room.sender ? { agentIdentity: room.sender.identity } : {}),
    };
  }
  return undefined;
}
