/**
 * @module The agenthuman avatar for LiveKit Agents (Node), shaped like the bey/anam/hedra plugins: `start()`
 * mints the avatar's LiveKit token, asks an agenthuman server (yours, self-hosted) to join the agent's room
 * with it, and sends the agent's speech to the avatar as byte streams (`DataStreamAudioOutput`).
 */
import { AgentHuman, AgentHumanError, type RetryPolicy } from '@agenthuman/sdk';
import { getJobContext, voice } from '@livekit/agents';
import type { Room } from '@livekit/rtc-node';
import { TrackKind } from '@livekit/rtc-node';
import { AccessToken } from 'livekit-server-sdk';

export const ATTRIBUTE_PUBLISH_ON_BEHALF = 'lk.publish_on_behalf';
/** The avatar's identity in the room (the same one the Python plugin and the Pipecat service use). */
export const AVATAR_IDENTITY = 'agenthuman-avatar-agent';
/** The avatar the official LiveKit plugin uses by default; agenthuman servers resolve it to a public avatar. */
export const DEFAULT_AVATAR_ID = 'avat_01KMZJ4WE5QCD9G3EK21QW8NJK';
/** agenthuman's lip-sync runs at 16 kHz: sending that rate saves a resampling step on both sides. */
export const AVATAR_SAMPLE_RATE = 16_000;

export type AspectRatio = '4:3' | '3:4' | '1:1';

export interface AvatarSessionOptions {
  /** An avatar id (`avat_…`, `PUBLIC/Avatars/eileen`, …). Default: the official plugin's default avatar. */
  avatarId?: string;
  /** Your agenthuman server. Default: AGENTHUMAN_API_URL, else http://localhost:8080. */
  apiUrl?: string;
  /** An agenthuman API key. Default: AGENTHUMAN_API_KEY. */
  apiKey?: string;
  aspectRatio?: AspectRatio;
  /** The avatar's identity in the room. Default: `agenthuman-avatar-agent`. */
  avatarParticipantIdentity?: string;
  /** The avatar's display name in the room. */
  avatarParticipantName?: string;
  /** Per-attempt timeout of the REST calls (default 10 s) and their retries on 429/503 and lost connections. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

export interface StartOptions {
  /** Default: LIVEKIT_URL. */
  livekitUrl?: string;
  /** Default: LIVEKIT_API_KEY. */
  livekitApiKey?: string;
  /** Default: LIVEKIT_API_SECRET. */
  livekitApiSecret?: string;
}

/**
 * An agenthuman avatar in a LiveKit Agents session.
 *
 * ```ts
 * const avatar = new AvatarSession({ avatarId: 'PUBLIC/Avatars/eileen', apiUrl: 'http://localhost:8080' });
 * await avatar.start(session, ctx.room);
 * await session.start({ agent, room: ctx.room });
 * ```
 */
export class AvatarSession extends voice.AvatarSession {
  readonly avatarId: string;
  readonly aspectRatio: AspectRatio | undefined;
  readonly #api: AgentHuman;
  readonly #identity: string;
  readonly #name: string;
  #sessionId: string | undefined;

  constructor(options: AvatarSessionOptions = {}) {
    super();
    const apiKey = options.apiKey ?? process.env.AGENTHUMAN_API_KEY;
    if (!apiKey) {
      throw configError(
        'An agenthuman API key is needed: pass apiKey or set AGENTHUMAN_API_KEY',
        'API_KEY_REQUIRED',
      );
    }
    this.avatarId = options.avatarId ?? DEFAULT_AVATAR_ID;
    this.aspectRatio = options.aspectRatio;
    this.#identity = options.avatarParticipantIdentity ?? AVATAR_IDENTITY;
    this.#name = options.avatarParticipantName ?? 'agenthuman avatar';
    this.#api = new AgentHuman({
      baseUrl: options.apiUrl ?? process.env.AGENTHUMAN_API_URL ?? 'http://localhost:8080',
      apiKey,
      timeoutMs: options.timeoutMs ?? 10_000,
      ...(options.retry && { retry: options.retry }),
    });
  }

  override get avatarIdentity(): string {
    return this.#identity;
  }

  override get provider(): string {
    return 'agenthuman';
  }

  /** The agenthuman session the avatar runs in, once `start()` has made it. */
  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  /**
   * Sends the avatar into `room` and routes the agent's audio to it. Call it before `agentSession.start()`.
   * Returns the agenthuman session id.
   */
  override async start(
    agentSession: voice.AgentSession,
    room: Room,
    options: StartOptions = {},
  ): Promise<string> {
    await super.start(agentSession, room);
    const job = getJobContext(false)?.info;
    const livekitUrl = options.livekitUrl ?? process.env.LIVEKIT_URL ?? job?.url;
    const livekitApiKey = options.livekitApiKey ?? process.env.LIVEKIT_API_KEY ?? job?.apiKey;
    const livekitApiSecret = options.livekitApiSecret ?? process.env.LIVEKIT_API_SECRET ?? job?.apiSecret;
    if (!livekitUrl || !livekitApiKey || !livekitApiSecret) {
      throw configError(
        'livekitUrl, livekitApiKey and livekitApiSecret must be given or set as LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET',
        'LIVEKIT_NOT_CONFIGURED',
      );
    }
    if (!room.name) throw configError('The room has no name yet: connect it first', 'ROOM_NOT_CONNECTED');

    const token = new AccessToken(livekitApiKey, livekitApiSecret, {
      identity: this.#identity,
      name: this.#name,
      // The avatar publishes for the agent: the framework does not listen to it as a user, and it
      // attributes the agent's transcription to the avatar's audio track.
      attributes: { [ATTRIBUTE_PUBLISH_ON_BEHALF]: agentIdentity(room) },
    });
    token.kind = 'agent';
    token.addGrant({ roomJoin: true, room: room.name });

    const { session } = await this.#api.sessions.create({
      avatar: this.avatarId,
      ...(this.aspectRatio && { aspect_ratio: this.aspectRatio }),
      room: { platform: 'livekit', url: livekitUrl, token: await token.toJwt() },
    });
    this.#sessionId = session.session_id;

    agentSession.output.audio = new voice.DataStreamAudioOutput({
      room,
      destinationIdentity: this.#identity,
      sampleRate: AVATAR_SAMPLE_RATE,
      waitRemoteTrack: TrackKind.KIND_VIDEO,
    });
    return session.session_id;
  }

  /** Removes the avatar from the room (in a job) and ends the agenthuman session, so billing stops now. */
  override async aclose(): Promise<void> {
    await super.aclose();
    const id = this.#sessionId;
    this.#sessionId = undefined;
    if (id) await this.#api.sessions.end(id);
  }
}

/** The identity the avatar speaks for: the agent's own (the room's local participant, else the job's). */
function agentIdentity(room: Room): string {
  const identity = room.localParticipant?.identity || getJobContext(false)?.info.acceptArguments.identity;
  if (!identity) {
    throw configError('The agent has no identity in the room: connect the room first', 'ROOM_NOT_CONNECTED');
  }
  return identity;
}

const configError = (message: string, code: string) => new AgentHumanError({ message, code, status: 0 });
