/**
 * @module Makes the platform's rooms for new sessions: the built-in room (a record plus a signed join token;
 * the media server comes later) and, for `platform: "proxy"`, a LiveKit room with a participant token.
 */
import type { StoredRoom } from '@agenthuman/store';
import { AccessToken } from 'livekit-server-sdk';
import { ulid } from 'ulid';
import type { LiveKitConfig } from '../config/config.js';
import { AppError } from '../http/app-error.js';
import { signRoomToken } from './room-token.js';

export type ProvisionedRoom = {
  stored: StoredRoom;
  /** What only the create response shows (the proxy caller's LiveKit credentials). */
  createOnly?: { roomURL: string; participantToken: string };
};

const JOIN_TOKEN_TTL_S = 24 * 3600;
const PROXY_PARTICIPANT = 'agenthuman-client';

export type RoomProvisioner = ReturnType<typeof createRoomProvisioner>;

export function createRoomProvisioner(options: {
  publicUrl: string;
  secret: string;
  livekit: LiveKitConfig | undefined;
}) {
  return {
    builtin(sessionId: string, nowMs = Date.now()): ProvisionedRoom {
      const name = `ah-${ulid()}`;
      const token = signRoomToken(options.secret, {
        room: name,
        session_id: sessionId,
        role: 'client',
        exp: Math.floor(nowMs / 1000) + JOIN_TOKEN_TTL_S,
      });
      return { stored: { kind: 'builtin', name, url: `${options.publicUrl}/rooms/${name}`, token } };
    },

    async proxy(): Promise<ProvisionedRoom> {
      const livekit = options.livekit;
      if (!livekit) {
        throw new AppError(
          'LIVEKIT_NOT_CONFIGURED',
          'platform "proxy" needs a LiveKit server, and none is configured',
          {
            suggestion:
              'Set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET on the server, or pass your own room',
            details: { field: 'room.platform' },
          },
        );
      }
      const name = `ah-${ulid()}`;
      const token = new AccessToken(livekit.apiKey, livekit.apiSecret, {
        identity: PROXY_PARTICIPANT,
        ttl: JOIN_TOKEN_TTL_S,
      });
      token.addGrant({
        roomJoin: true,
        room: name,
        canPublish: true,
        canSubscribe: true,
        canPublishData: true,
      });
      return {
        stored: { kind: 'proxy', name, url: livekit.url },
        createOnly: { roomURL: livekit.url, participantToken: await token.toJwt() },
      };
    },
  };
}
