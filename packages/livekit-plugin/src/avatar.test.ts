import { AgentHuman, AuthenticationError, NotFoundError } from '@agenthuman/sdk';
import { type ListeningServer, startListeningServer } from '@agenthuman/sdk/testing';
import { startLiveKitServer, type TestLiveKitServer } from '@agenthuman/server/testing/livekit';
import { initializeLogger, voice } from '@livekit/agents';
import {
  AudioFrame,
  LocalVideoTrack,
  ParticipantKind,
  Room,
  RoomEvent,
  TrackPublishOptions,
  TrackSource,
  VideoBufferType,
  VideoFrame,
  VideoSource,
} from '@livekit/rtc-node';
import { AccessToken, TokenVerifier } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AVATAR_IDENTITY, AvatarSession } from './index.js';

// A real LiveKit server, a real agenthuman server (PGlite, in-process, real HTTP) and the real
// `@livekit/agents` AgentSession. The avatar's media side is another package; where the avatar must be in
// the room, a stand-in joins with the very token the plugin minted (named so below).
let livekit: TestLiveKitServer;
let server: ListeningServer;
let apiKey: string;
const rooms: Room[] = [];

beforeAll(async () => {
  initializeLogger({ pretty: false, level: 'warn' });
  [livekit, server] = await Promise.all([startLiveKitServer(), startListeningServer()]);
  apiKey = (await server.newAccount('pro')).key;
}, 60_000);

afterAll(async () => {
  await Promise.all(rooms.map((room) => room.disconnect()));
  await server?.close();
  await livekit?.stop();
});

async function join(identity: string, roomName: string, grant: { kind?: 'agent' } = {}): Promise<Room> {
  const token = new AccessToken(livekit.apiKey, livekit.apiSecret, { identity });
  if (grant.kind) token.kind = grant.kind;
  token.addGrant({
    roomJoin: true,
    room: roomName,
    canPublish: true,
    canSubscribe: true,
    canPublishData: true,
  });
  return connect(await token.toJwt());
}

async function connect(token: string): Promise<Room> {
  const room = new Room();
  rooms.push(room);
  await room.connect(livekit.url, token, { autoSubscribe: true, dynacast: false });
  return room;
}

const livekitOptions = () => ({
  livekitUrl: livekit.url,
  livekitApiKey: livekit.apiKey,
  livekitApiSecret: livekit.apiSecret,
});

describe('AvatarSession against a real agenthuman server and a real LiveKit server', () => {
  it('mints the avatar token, creates the session with the customer room, and installs the data-stream output', async () => {
    const roomName = `plugin-${Date.now()}`;
    const agentRoom = await join('agent-under-test', roomName, { kind: 'agent' });
    const agentSession = new voice.AgentSession({});
    const avatar = new AvatarSession({ avatarId: 'PUBLIC/Avatars/eileen', apiUrl: server.url, apiKey });

    const sessionId = await avatar.start(agentSession, agentRoom, livekitOptions());
    expect(sessionId).toMatch(/^sess_/);
    expect(avatar.sessionId).toBe(sessionId);
    expect(avatar.avatarIdentity).toBe(AVATAR_IDENTITY);
    expect(agentSession.output.audio).toBeInstanceOf(voice.DataStreamAudioOutput);

    const client = new AgentHuman({ baseUrl: server.url, apiKey });
    const session = await client.sessions.get(sessionId);
    expect(session).toMatchObject({ status: 'started', avatar: { avatar_id: 'PUBLIC/Avatars/eileen' } });
    expect(Number.isInteger(session.duration)).toBe(true);
    expect(session.room).toBeUndefined();

    const stored = (await server.server.deps.store.sessions.findById(sessionId))?.room;
    if (stored?.kind !== 'customer') throw new Error(`stored room: ${JSON.stringify(stored)}`);
    expect([stored.platform, stored.url]).toEqual(['livekit', livekit.url]);
    const claims = await new TokenVerifier(livekit.apiKey, livekit.apiSecret).verify(stored.token);
    expect(claims.sub).toBe(AVATAR_IDENTITY);
    expect(claims.kind).toBe('agent');
    expect(claims.attributes).toEqual({ 'lk.publish_on_behalf': 'agent-under-test' });
    expect(claims.video).toMatchObject({ room: roomName, roomJoin: true });

    // The LiveKit server admits that token, as the agent's avatar (kind agent, publishing on its behalf).
    const seen = new Promise<{ kind: ParticipantKind | undefined; onBehalf: string | undefined }>((resolve) =>
      agentRoom.on(RoomEvent.ParticipantConnected, (participant) => {
        if (participant.identity === AVATAR_IDENTITY)
          resolve({ kind: participant.kind, onBehalf: participant.attributes['lk.publish_on_behalf'] });
      }),
    );
    const standIn = await connect(stored.token);
    expect(standIn.localParticipant?.identity).toBe(AVATAR_IDENTITY);
    expect(await seen).toEqual({ kind: ParticipantKind.AGENT, onBehalf: 'agent-under-test' });

    await avatar.aclose();
    const ended = await client.sessions.get(sessionId);
    expect(ended).toMatchObject({ status: 'ended', end_reason: 'client' });
    expect(avatar.sessionId).toBeUndefined();
  });

  it("sends the agent's speech as a 16 kHz byte stream on lk.audio_stream once the avatar publishes video", async () => {
    const roomName = `plugin-audio-${Date.now()}`;
    const agentRoom = await join('agent-speaker', roomName, { kind: 'agent' });
    const agentSession = new voice.AgentSession({});
    const avatar = new AvatarSession({ apiUrl: server.url, apiKey });
    const sessionId = await avatar.start(agentSession, agentRoom, livekitOptions());
    const stored = (await server.server.deps.store.sessions.findById(sessionId))?.room;
    if (stored?.kind !== 'customer') throw new Error('not a customer room');

    // Stand-in for the avatar worker (the real one is the media package's): joins with the minted token,
    // publishes a camera track (the output waits for it), and reads what arrives on lk.audio_stream.
    const standIn = await connect(stored.token);
    const received = new Promise<{ from: string; attributes: Record<string, string>; bytes: number }>(
      (resolve, reject) => {
        standIn.registerByteStreamHandler('lk.audio_stream', async (reader, { identity }) => {
          try {
            let bytes = 0;
            for await (const chunk of reader) bytes += chunk.byteLength;
            resolve({ from: identity, attributes: reader.info.attributes ?? {}, bytes });
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    const source = new VideoSource(64, 48);
    const track = LocalVideoTrack.createVideoTrack('avatar', source);
    const options = new TrackPublishOptions();
    options.source = TrackSource.SOURCE_CAMERA;
    await standIn.localParticipant?.publishTrack(track, options);
    const frame = new VideoFrame(new Uint8Array(64 * 48 * 4), 64, 48, VideoBufferType.RGBA);
    const pump = setInterval(() => source.captureFrame(frame), 40);

    try {
      const output = agentSession.output.audio;
      if (!output) throw new Error('no audio output installed');
      // 200 ms of a 440 Hz tone at 16 kHz, then the end of the segment.
      const samples = new Int16Array(3200).map((_, i) =>
        Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 16000)),
      );
      await output.captureFrame(new AudioFrame(samples, 16000, 1, samples.length));
      output.flush();
      const got = await received;
      expect(got.from).toBe('agent-speaker');
      expect(got.attributes).toMatchObject({ sample_rate: '16000', num_channels: '1' });
      expect(got.bytes).toBe(samples.byteLength);
    } finally {
      clearInterval(pump);
      await avatar.aclose();
    }
  });

  it('refuses a bad API key and an unknown avatar with the server codes', async () => {
    const agentRoom = await join('agent-refused', `plugin-refused-${Date.now()}`, { kind: 'agent' });
    const badKey = new AvatarSession({
      apiUrl: server.url,
      apiKey: 'ah_test_NotAKeyNotAKeyNotAKeyNotAKey00',
    });
    const refused = badKey.start(new voice.AgentSession({}), agentRoom, livekitOptions());
    await expect(refused).rejects.toBeInstanceOf(AuthenticationError);
    await expect(refused).rejects.toMatchObject({ code: 'INVALID_API_KEY', status: 401 });

    const unknown = new AvatarSession({
      avatarId: 'avat_01ZZZZZZZZZZZZZZZZZZZZZZZZ',
      apiUrl: server.url,
      apiKey,
    });
    const missing = unknown.start(new voice.AgentSession({}), agentRoom, livekitOptions());
    await expect(missing).rejects.toBeInstanceOf(NotFoundError);
    await expect(missing).rejects.toMatchObject({ code: 'AVATAR_NOT_FOUND', status: 404 });
  });

  it('needs an API key and LiveKit credentials, and says which', async () => {
    const saved = process.env.AGENTHUMAN_API_KEY;
    delete process.env.AGENTHUMAN_API_KEY;
    try {
      expect(() => new AvatarSession({ apiUrl: server.url })).toThrow(/AGENTHUMAN_API_KEY/);
    } finally {
      if (saved !== undefined) process.env.AGENTHUMAN_API_KEY = saved;
    }
    const agentRoom = await join('agent-nocreds', `plugin-nocreds-${Date.now()}`, { kind: 'agent' });
    const avatar = new AvatarSession({ apiUrl: server.url, apiKey });
    const env = { ...process.env };
    for (const name of ['LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET']) delete process.env[name];
    try {
      await expect(avatar.start(new voice.AgentSession({}), agentRoom, {})).rejects.toMatchObject({
        code: 'LIVEKIT_NOT_CONFIGURED',
      });
    } finally {
      Object.assign(process.env, env);
    }
  });
});
