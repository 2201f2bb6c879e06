/**
 * @module Makes the platform's rooms for new sessions: the built-in room (a record plus a signed join token),
 * a LiveKit room on our LiveKit server (the default with AGENTHUMAN_ROOMS=livekit), and, for
 * `platform: "proxy"`, a LiveKit room whose caller gets a participant token.
 */
import type { StoredRoom } from '@agenthuman/store';
import { ulid } from 'ulid';
import { AppError } from '../http/app-error.js';
import type { LiveKitRooms } from './livekit-rooms.js';
import { signRoomToken } from './room-token.js';

export type ProvisionedRoom = {
  stored: StoredRoom;
  /** What only the create response shows (the proxy caller's LiveKit credentials). */
  createOnly?: { roomURL: string; participantToken: string };
};

const JOIN_TOKEN_TTL_S = 24 * 3600;

export type RoomProvisioner = ReturnType<typeof createRoomProvisioner>;

export function createRoomProvisioner(options: {
  publicUrl: string;
  secret: string;
  livekit: LiveKitRooms | undefined;
  defaultRoom: 'builtin' | 'livekit';
}) {
  const livekitOrRefuse = (): LiveKitRooms => {
    if (options.livekit) return options.livekit;
    throw new AppError(
      'LIVEKIT_NOT_CONFIGURED',
      'platform "proxy" needs a LiveKit server, and none is configured. To run one locally: ' +
        '`livekit-server --dev --bind 127.0.0.1`, then start agenthuman with LIVEKIT_URL=ws://127.0.0.1:7880 ' +
        'LIVEKIT_API_KEY=devkey LIVEKIT_API_SECRET=secret',
      {
        suggestion:
          'Configure LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET on the server, or pass your own room: ' +
          '{"platform":"livekit","url":"wss://…","token":"<LiveKit token for the avatar>"}',
        details: { field: 'room.platform' },
      },
    );
  };

  const builtin = (sessionId: string, nowMs: number): ProvisionedRoom => {
    const name = `ah-${ulid()}`;
    const token = signRoomToken(options.secret, {
      room: name,
      session_id: sessionId,
      role: 'client',
      exp: Math.floor(nowMs / 1000) + JOIN_TOKEN_TTL_S,
    });
    return { stored: { kind: 'builtin', name, url: `${options.publicUrl}/rooms/${name}`, token } };
  };

  return {
    /** The room of a session whose caller named none: built-in, or LiveKit with AGENTHUMAN_ROOMS=livekit. */
    async platform(
      sessionId: string,
      session: { agent: boolean },
      nowMs = Date.now(),
    ): Promise<ProvisionedRoom> {
      if (options.defaultRoom !== 'livekit' || !options.livekit) return builtin(sessionId, nowMs);
      const made = await options.livekit.platform(sessionId, { viewerMicrophone: session.agent });
      return { stored: { kind: 'livekit', ...made.room, viewerToken: made.viewerToken } };
    },

    builtin,

    /** Gives back a room made for a session that was then not created (e.g. over its concurrency limit). */
    async release(room: StoredRoom): Promise<void> {
      if ((room.kind === 'proxy' || room.kind === 'livekit') && options.livekit) {
        await options.livekit.delete(room.name);
      }
    },

    async proxy(sessionId: string): Promise<ProvisionedRoom> {
      const livekit = livekitOrRefuse();
      const made = await livekit.proxy(sessionId);
      return {
        stored: { kind: 'proxy', ...made.room },
        createOnly: { roomURL: made.room.url, participantToken: made.callerToken },
      };
    },
  };
}
