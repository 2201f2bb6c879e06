/**
 * @module An avatar preview (the single-use preview link): a short-lived live room, no session row, no billing.
 * The avatar greets the first visitor with Flite; the room ends 5 s after the visitor leaves, or after 3 min.
 */
import { ulid } from 'ulid';
import { signRoomToken } from '../rooms/room-token.js';
import type { LiveSession } from './live-session.js';
import type { LiveLogger } from './livekit-seating.js';
import type { MediaTarget } from './media-target.js';

/** A preview lives this long at most, and ends this soon after its visitor leaves. */
export const PREVIEW_MAX_MS = 3 * 60_000;
const PREVIEW_EMPTY_MS = 5_000;

export type LivePreview = { previewId: string; roomName: string; token: string };

export async function startLivePreview(
  registry: {
    start(target: MediaTarget): Promise<LiveSession>;
    secret: string;
    log(): LiveLogger | undefined;
  },
  avatar: { avatarId: string; name: string },
): Promise<LivePreview> {
  const id = `preview_${ulid()}`;
  const roomName = `ah-preview-${ulid()}`;
  const live = await registry.start({
    id,
    avatarId: avatar.avatarId,
    aspectRatio: '4:3',
    roomName,
    expiration: new Date(Date.now() + PREVIEW_MAX_MS),
    stored: false,
    emptyTimeoutMs: PREVIEW_EMPTY_MS,
  });
  live.room?.once('viewer-joined', () => {
    const greeting = `Hi, I'm ${avatar.name}. This is a live preview: I can say anything your app sends me, in real time.`;
    live.avatar
      .speakText(greeting)
      .catch((error) => registry.log()?.warn({ err: error }, 'preview greeting failed'));
  });
  const token = signRoomToken(registry.secret, {
    room: roomName,
    session_id: id,
    role: 'client',
    exp: Math.floor((Date.now() + PREVIEW_MAX_MS) / 1000),
  });
  return { previewId: id, roomName, token };
}
