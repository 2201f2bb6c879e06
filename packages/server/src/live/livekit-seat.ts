/**
 * @module Where a session's avatar sits in LiveKit, read from its stored room: the room to join, the token to
 * join with, and the one identity whose speech and clear_buffer it obeys. Sessions without a LiveKit room have
 * no seat (the built-in room, or a Daily room stored before Daily was refused).
 */
import type { IdleState } from '@agenthuman/engine/live';
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

/** A JWT: three base64url parts, the first of them a JSON header (`eyJ` is `{"` encoded). */
const JWT = /eyJ[\w-]*\.[\w-]+\.[\w-]*/g;

/**
 * Why the avatar could not join, fit for GET and the logs: LiveKit's errors quote the token they refused, and a
 * token is a secret (it lets anyone join as the avatar), so every JWT in the message is masked.
 */
export function joinFailureDetail(seat: LiveKitSeat, error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error))
    .replaceAll(seat.token, '[token]')
    .replace(JWT, '[token]');
  return `Could not join the LiveKit room at ${seat.url}: ${message}`;
}

/**
 * How the face idles for the agent's `lk.agent.state`: listening and thinking have their own idle motion;
 * speaking (its speech drives the mouth), idle, initializing and anything unknown idle plainly.
 */
export function idleStateOf(agentState: string): IdleState {
  return agentState === 'listening' || agentState === 'thinking' ? agentState : 'idle';
}
