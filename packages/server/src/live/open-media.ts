/**
 * @module Making one session's media for the live-session registry: the renderer of its avatar, its built-in room
 * and its recorder as the live avatar's sinks, the engine's live avatar, and the LiveKit join started alongside.
 * What the registry does with it afterwards (timers, heartbeat, the LiveKit seat) stays in live-sessions.ts.
 */
import { type AudioSink, LiveAvatar, type VideoSink } from '@agenthuman/engine/live';
import type { RenderWorkerPool } from '@agenthuman/engine/render';
import type { FliteWorker } from '@agenthuman/engine/tts';
import type { BuiltinRoom, RoomHub } from '@agenthuman/rooms';
import type { LiveKitAvatar } from '@agenthuman/rooms/livekit';
import type { BlobStore } from '../avatars/blobs/blob-store.js';
import { avatarRendererFor } from './avatar-renderer.js';
import { LiveSession } from './live-session.js';
import type { LiveKitSeating, LiveLogger } from './livekit-seating.js';
import type { MediaTarget } from './media-target.js';

/** The recorder side the registry drives (recordings/session-recordings.ts). */
export type LiveRecordings = {
  begin(session: { id: string; accountId: string }): Promise<VideoSink & AudioSink>;
  finish(sessionId: string): Promise<void>;
};

export type MediaParts = {
  blobs: BlobStore;
  hub: RoomHub;
  pool: RenderWorkerPool;
  tts: FliteWorker;
  seating: LiveKitSeating;
  recordings: LiveRecordings | undefined;
  log: () => LiveLogger | undefined;
};

export type OpenedMedia = {
  live: LiveSession;
  /** The LiveKit join, for `seating.seat` once the registry holds the session. */
  joining: Promise<LiveKitAvatar> | undefined;
};

export async function openMedia(parts: MediaParts, row: MediaTarget): Promise<OpenedMedia> {
  const avatarRenderer = await avatarRendererFor(parts.blobs, row.avatarId, row.aspectRatio);
  let avatar: LiveAvatar | undefined;
  // The room exists before the first frame so a viewer can connect while the lane opens.
  const room: BuiltinRoom | undefined =
    row.roomName !== undefined
      ? parts.hub.create(row.roomName, {
          onFrameSent: (ptsMs, atMs) => avatar?.frameSent(ptsMs, atMs),
          ...(row.emptyTimeoutMs !== undefined && { emptyTimeoutMs: row.emptyTimeoutMs }),
        })
      : undefined;
  const recorder = row.record && (await beginRecording(parts, row.id, row.record.accountId));
  // The room (and the recorder) are the avatar's video and audio sinks as they are (no adapter).
  const sinks = [room, recorder].filter((sink) => !!sink) as (VideoSink & AudioSink)[];
  const starting = LiveAvatar.start({
    avatar: avatarRenderer,
    pool: parts.pool,
    tts: parts.tts,
    video: sinks,
    audio: sinks,
  });
  // A LiveKit room is joined while the pipeline starts: connecting is the slower half of the first frame.
  const joining = row.livekit ? parts.seating.join(starting, row.livekit) : undefined;
  try {
    avatar = await starting;
  } catch (error) {
    room?.close();
    if (recorder) await parts.recordings?.finish(row.id);
    throw error;
  }
  return { live: new LiveSession(row.id, avatar, room), joining };
}

/** A recording that cannot start (disk, database) must not stop the session: it is logged and skipped. */
async function beginRecording(parts: MediaParts, sessionId: string, accountId: string) {
  try {
    return await parts.recordings?.begin({ id: sessionId, accountId });
  } catch (error) {
    parts.log()?.error({ err: error, sessionId }, 'recording did not start');
    return undefined;
  }
}
