/**
 * @module Rooms we make on our LiveKit server (LIVEKIT_URL): the room itself (RoomService) and every token in
 * it. The avatar's token names the only participant it takes speech from (`lk.publish_on_behalf`), the
 * caller's token is that participant, and viewer tokens cannot publish data, so nobody else can drive it.
 */
import type { MadeLiveKitRoom } from '@agenthuman/store';
import { AccessToken, RoomServiceClient, TrackSource, type VideoGrant } from 'livekit-server-sdk';
import { ulid } from 'ulid';
import type { LiveKitConfig } from '../config/config.js';
import { AppError } from '../http/app-error.js';

/** The avatar's identity in every LiveKit room (the official clients wait for this participant's video). */
export const AVATAR_IDENTITY = 'agenthuman-avatar-agent';
/** The `proxy` caller's identity: the one participant whose `lk.audio_stream` / `lk.clear_buffer` count. */
export const CALLER_IDENTITY = 'agenthuman-client';
export const ATTRIBUTE_PUBLISH_ON_BEHALF = 'lk.publish_on_behalf';

const TOKEN_TTL_S = 24 * 3600;
// A room nobody joins closes by itself; the avatar joins within seconds, so this only catches failures.
const EMPTY_TIMEOUT_S = 300;
// A LiveKit server that hangs must not hold a create request: it answers 502 LIVEKIT_UNAVAILABLE instead.
const REQUEST_TIMEOUT_S = 5;

export type LiveKitRooms = ReturnType<typeof createLiveKitRooms>;

/** `ws(s)://` → `http(s)://`: RoomService speaks Twirp over HTTP on the same host. */
export const livekitHttpUrl = (url: string) => url.replace(/^ws(s?):\/\//, 'http$1://');

export function createLiveKitRooms(config: LiveKitConfig) {
  const service = new RoomServiceClient(livekitHttpUrl(config.url), config.apiKey, config.apiSecret, {
    requestTimeout: REQUEST_TIMEOUT_S,
  });

  async function mint(
    identity: string,
    grant: VideoGrant,
    options: { kind?: 'agent'; attributes?: Record<string, string>; name?: string } = {},
  ): Promise<string> {
    const token = new AccessToken(config.apiKey, config.apiSecret, {
      identity,
      ttl: TOKEN_TTL_S,
      ...(options.name !== undefined && { name: options.name }),
      ...(options.attributes && { attributes: options.attributes }),
    });
    if (options.kind) token.kind = options.kind;
    token.addGrant(grant);
    return token.toJwt();
  }

  async function createRoom(sessionId: string): Promise<string> {
    const name = `ah-${ulid()}`;
    try {
      await service.createRoom({
        name,
        emptyTimeout: EMPTY_TIMEOUT_S,
        metadata: JSON.stringify({ session_id: sessionId }),
      });
    } catch (error) {
      throw new AppError('LIVEKIT_UNAVAILABLE', 'The LiveKit server did not create the room', {
        suggestion: `Check that the LiveKit server at LIVEKIT_URL is running and that LIVEKIT_API_KEY/LIVEKIT_API_SECRET are its keys (${reason(error)})`,
      });
    }
    return name;
  }

  const avatarSeat = async (room: string, sender: string | undefined) => ({
    identity: AVATAR_IDENTITY,
    token: await mint(
      AVATAR_IDENTITY,
      // canUpdateOwnMetadata: a built-in agent shows its state as the lk.agent.state attribute.
      {
        roomJoin: true,
        room,
        canPublish: true,
        canSubscribe: true,
        canPublishData: true,
        canUpdateOwnMetadata: true,
      },
      {
        kind: 'agent',
        name: 'agenthuman avatar',
        ...(sender && { attributes: { [ATTRIBUTE_PUBLISH_ON_BEHALF]: sender } }),
      },
    ),
  });

  return {
    url: config.url,

    /** `platform: "proxy"`: a room, the avatar's seat, and the caller's token (shown once, in the create reply). */
    async proxy(sessionId: string): Promise<{ room: MadeLiveKitRoom; callerToken: string }> {
      const name = await createRoom(sessionId);
      const callerToken = await mint(CALLER_IDENTITY, {
        roomJoin: true,
        room: name,
        canPublish: true,
        canSubscribe: true,
        canPublishData: true,
      });
      return {
        room: {
          name,
          url: config.url,
          avatar: await avatarSeat(name, CALLER_IDENTITY),
          sender: { identity: CALLER_IDENTITY },
        },
        callerToken,
      };
    },

    /**
     * The default platform room with AGENTHUMAN_ROOMS=livekit: nobody but our own server drives the avatar.
     * Viewers subscribe only; in agent sessions they may also publish a microphone, which the agent hears.
     */
    async platform(
      sessionId: string,
      options: { viewerMicrophone: boolean },
    ): Promise<{ room: MadeLiveKitRoom; viewerToken: string }> {
      const name = await createRoom(sessionId);
      const viewerToken = await mint(`viewer-${ulid().slice(-10).toLowerCase()}`, {
        roomJoin: true,
        room: name,
        canSubscribe: true,
        canPublishData: false,
        ...(options.viewerMicrophone
          ? { canPublish: true, canPublishSources: [TrackSource.MICROPHONE] }
          : { canPublish: false }),
      });
      return { room: { name, url: config.url, avatar: await avatarSeat(name, undefined) }, viewerToken };
    },

    /** Closes a room we made (its participants are disconnected); an unknown room is not an error. */
    async delete(name: string): Promise<void> {
      await service.deleteRoom(name).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    },

    /** For tests and diagnostics: the rooms the LiveKit server has now. */
    async list(names?: string[]) {
      return service.listRooms(names);
    },
  };
}

const isNotFound = (error: unknown) =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === 'not_found';

// Twirp errors carry a status and a message; connection errors a cause. Neither holds the API secret.
function reason(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
    return cause ? `${error.message}: ${cause}` : error.message;
  }
  return String(error);
}
