/**
 * The avatar in a real LiveKit room (livekit-server built by scripts/test-peers.mjs): a real engine pipeline
 * publishes through the LiveKit sinks, a real rtc-node subscriber receives what a viewer gets, and rtc-node
 * participants play the agent and a stranger. The real LiveKit Agents framework drives it in agent-peer.test.ts.
 */
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { LiveAvatar } from '@agenthuman/engine/live';
import { RenderWorkerPool } from '@agenthuman/engine/render';
import { solidColourRendererSpec } from '@agenthuman/engine/testing';
import { joinLiveAvatar, LiveKitAvatar, LiveKitJoinError } from '@agenthuman/rooms/livekit';
import { RoomEvent } from '@livekit/rtc-node';
import { describe, expect, it } from 'vitest';
import { AVATAR_IDENTITY, chirpBytes, startAvatarSession, waitFor } from './avatar-harness.js';
import { mintToken, roomService } from './livekit-server.js';
import { hasVideoFrom, recordPlaybackCalls, sendSpeech, useTestRooms } from './test-rooms.js';

const rooms = useTestRooms();
const { newRoom, subscriberIn, participantIn } = rooms;
const avatarIn = (room: string) => rooms.avatarIn(room);

describe('the avatar in a LiveKit room', () => {
  it('joins as the token identity, publishes camera video and microphone audio, and announces ready', async () => {
    const room = newRoom();
    const subscriber = await subscriberIn(room);
    const session = await avatarIn(room);
    const { avatar } = session;
    expect(avatar.identity).toBe(AVATAR_IDENTITY);
    expect(avatar.agentIdentity).toBe('agent');
    await waitFor('video frames at the subscriber', () => subscriber.videoFrames.length >= 10);
    await waitFor('audio at the subscriber', () => subscriber.audio.length >= 10);
    const first = subscriber.videoFrames[0]!;
    expect([first.width, first.height]).toEqual([320, 240]);
    await waitFor('the ready state', () => subscriber.states.some((s) => s.state === 'ready'));
    const publications = [
      ...subscriber.room.remoteParticipants.get(AVATAR_IDENTITY)!.trackPublications.values(),
    ];
    expect(publications.map((p) => p.source).sort()).toEqual([1, 2]); // SOURCE_CAMERA, SOURCE_MICROPHONE
    await session.close();
    await waitFor('the ended state', () => subscriber.states.find((s) => s.state === 'ended'));
    expect(subscriber.states.map((s) => s.state)).toEqual(['connecting', 'ready', 'ended']);
    expect(subscriber.states.at(-1)?.reason).toBe('test_over');
  });

  it('plays an agent byte stream (48 kHz stereo) and reports playback_started then playback_finished once, at the played position', async () => {
    const room = newRoom();
    const subscriber = await subscriberIn(room);
    const agent = await participantIn(room, 'agent');
    const calls = recordPlaybackCalls(agent);
    const { avatar } = await avatarIn(room);
    await waitFor('the avatar video at the agent', () => hasVideoFrom(agent, AVATAR_IDENTITY));
    const before = performance.now();
    await sendSpeech(agent, chirpBytes(1200, 48_000, 2), { sample_rate: '48000', num_channels: '2' });
    const finished = await waitFor('playback_finished', () =>
      calls.find((c) => c.method === 'lk.playback_finished'),
    );
    expect(calls.map((c) => c.method)).toEqual(['lk.playback_started', 'lk.playback_finished']);
    const payload = JSON.parse(finished.payload);
    expect(payload.interrupted).toBe(false);
    // ±40 ms, in whole milliseconds (the position is sent in seconds with three decimals).
    expect(Math.abs(Math.round(payload.playback_position * 1000) - 1200)).toBeLessThanOrEqual(40);
    // The tone really reached a viewer, for as long as the avatar says it played.
    await new Promise((resolve) => setTimeout(resolve, 400)); // the last packets reach the viewer
    const heard = subscriber.chirpReachedS(before) ?? 0;
    expect(Math.abs(heard - payload.playback_position)).toBeLessThanOrEqual(0.06);
    await waitFor('speaking then idle', () => subscriber.states.some((s) => s.state === 'idle'));
    expect(subscriber.states.map((s) => s.state)).toContain('speaking');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls.filter((c) => c.method === 'lk.playback_finished')).toHaveLength(1);
    expect(avatar.state).toBe('idle');
  });

  it('joins while the live avatar is still starting: speech sent meanwhile plays once it has, with both reports', async () => {
    const room = newRoom();
    const agent = await participantIn(room, 'agent');
    const calls = recordPlaybackCalls(agent);
    const pool = new RenderWorkerPool({ size: 1 });
    rooms.cleanup(() => pool.close());
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const starting = gate.then(() =>
      LiveAvatar.start({
        avatar: { spec: solidColourRendererSpec({ width: 160, height: 120, textured: true }), seed: 1 },
        pool,
      }),
    );
    const token = mintToken(rooms.server, {
      identity: AVATAR_IDENTITY,
      room,
      kind: 'agent',
      attributes: { 'lk.publish_on_behalf': 'agent' },
    });
    const joining = joinLiveAvatar(starting, { url: rooms.server.url, token });
    // In the room before its pipeline exists, with nothing published yet.
    await waitFor('the avatar in the room', () => agent.remoteParticipants.has(AVATAR_IDENTITY));
    expect(hasVideoFrom(agent, AVATAR_IDENTITY)).toBe(false);
    await sendSpeech(agent, chirpBytes(800, 16_000, 1), { sample_rate: '16000', num_channels: '1' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(calls).toEqual([]);
    release();
    const avatar = await joining;
    const live = await starting;
    rooms.cleanup(async () => {
      await avatar.close('test_over');
      await live.close();
    });
    await waitFor('the avatar video at the agent', () => hasVideoFrom(agent, AVATAR_IDENTITY));
    const finished = await waitFor('playback_finished', () =>
      calls.find((c) => c.method === 'lk.playback_finished'),
    );
    expect(calls.map((c) => c.method)).toEqual(['lk.playback_started', 'lk.playback_finished']);
    const payload = JSON.parse(finished.payload);
    expect(payload.interrupted).toBe(false);
    expect(Math.abs(Math.round(payload.playback_position * 1000) - 800)).toBeLessThanOrEqual(40);
  });

  it('lk.clear_buffer mid-speech stops the audio at once, answers ok and reports interrupted at what played', async () => {
    const room = newRoom();
    const subscriber = await subscriberIn(room);
    const agent = await participantIn(room, 'agent');
    const calls = recordPlaybackCalls(agent);
    const { live } = await avatarIn(room);
    await waitFor('the avatar video at the agent', () => hasVideoFrom(agent, AVATAR_IDENTITY));
    const before = performance.now();
    await sendSpeech(agent, chirpBytes(4000, 24_000, 1), { sample_rate: '24000', num_channels: '1' });
    await waitFor('playback_started', () => calls.some((c) => c.method === 'lk.playback_started'));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const answer = await agent.localParticipant!.performRpc({
      destinationIdentity: AVATAR_IDENTITY,
      method: 'lk.clear_buffer',
      payload: '',
    });
    const clearedAt = performance.now();
    expect(answer).toBe('ok');
    // By the time the agent has its answer the pipeline has dropped the rest of the speech.
    expect(live.speaking).toBe(false);
    expect(live.stats.queuedMs).toBe(0);
    const finished = await waitFor('playback_finished', () =>
      calls.find((c) => c.method === 'lk.playback_finished'),
    );
    const payload = JSON.parse(finished.payload);
    expect(payload.interrupted).toBe(true);
    expect(payload.playback_position).toBeGreaterThan(0.8);
    // Cut well before the chirp's 4 s end (the clear came ~1 s after playback started, later under load);
    // what the viewer really heard is the check that matters, below.
    expect(payload.playback_position).toBeLessThan(3);
    // What the viewer heard, measured once the last packets are in.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const heardS = subscriber.chirpReachedS(before) ?? 0;
    expect(Math.abs(heardS - payload.playback_position)).toBeLessThanOrEqual(0.06);
    // Nothing of the tone arrives after the clear, beyond what was already on the wire and in the viewer's jitter buffer.
    expect(subscriber.loudMs(clearedAt + 250)).toBeLessThanOrEqual(40);
    expect(calls.filter((c) => c.method === 'lk.playback_finished')).toHaveLength(1);
  });

  it('rejects a stranger: its byte stream is not played and its lk.clear_buffer answers reject', async () => {
    const room = newRoom();
    const agent = await participantIn(room, 'agent');
    const stranger = await participantIn(room, 'stranger');
    const { avatar, live } = await avatarIn(room);
    const rejected: string[] = [];
    avatar.on('stream-rejected', (event) => rejected.push(`${event.identity}:${event.reason}`));
    await waitFor('the avatar video at the stranger', () => hasVideoFrom(stranger, AVATAR_IDENTITY));
    await sendSpeech(stranger, chirpBytes(500, 16_000, 1), { sample_rate: '16000', num_channels: '1' });
    await sendSpeech(agent, chirpBytes(500, 16_000, 1), {});
    await waitFor('two rejections', () => rejected.length === 2);
    expect(rejected.sort()).toEqual(['agent:missing_audio_attributes', 'stranger:not_allowed_sender']);
    expect(live.speaking).toBe(false);
    const answer = await stranger.localParticipant!.performRpc({
      destinationIdentity: AVATAR_IDENTITY,
      method: 'lk.clear_buffer',
      payload: '',
    });
    expect(answer).toBe('reject');
  });

  it("follows the agent's lk.agent.state and reports when the agent leaves", async () => {
    const room = newRoom();
    const agent = await participantIn(room, 'agent', { 'lk.agent.state': 'initializing' });
    const { avatar } = await avatarIn(room);
    const states: string[] = ['initializing'];
    avatar.on('agent-state', (state) => states.push(state));
    await agent.localParticipant!.setAttributes({ 'lk.agent.state': 'listening' });
    await agent.localParticipant!.setAttributes({ 'lk.agent.state': 'thinking' });
    await waitFor('thinking', () => states.includes('thinking'));
    expect(states).toEqual(['initializing', 'listening', 'thinking']);
    const left = new Promise<string>((resolve) => avatar.on('agent-left', resolve));
    await agent.disconnect();
    expect(await left).toBe('agent');
  });

  it('reports the agent gone when it joined, cleared and left before the server ever listed it', async () => {
    // livekit-server lists a participant without tracks only in its 3 s participant-update batch, keeping the newest
    // update per identity: an agent that comes and goes between two batches is announced neither way.
    const room = newRoom();
    const { avatar } = await avatarIn(room);
    const left: number[] = [];
    avatar.on('agent-left', () => left.push(performance.now()));
    let unannounced = 0;
    for (let attempt = 1; attempt <= 3 && unannounced === 0; attempt++) {
      // A batch has just gone out when the avatar sees a fresh trackless participant: the next is ~3 s away.
      const marker = await participantIn(room, `marker-${attempt}`);
      await waitFor(
        'the marker listed',
        () => avatar.room.remoteParticipants.has(`marker-${attempt}`),
        10_000,
      );
      await marker.disconnect();
      let announced = false;
      const onConnected = (p: { identity: string }) => {
        if (p.identity === 'agent') announced = true;
      };
      avatar.room.on(RoomEvent.ParticipantConnected, onConnected);
      const agent = await participantIn(room, 'agent');
      const leftBefore = left.length;
      expect(
        await agent.localParticipant!.performRpc({
          destinationIdentity: AVATAR_IDENTITY,
          method: 'lk.clear_buffer',
          payload: '',
        }),
      ).toBe('ok');
      await agent.disconnect();
      const leftAt = performance.now();
      announced ||= avatar.room.remoteParticipants.has('agent');
      if (!announced) unannounced++;
      // Announced or not, its leave is reported, and not long after it left.
      await waitFor('agent-left', () => left.length > leftBefore, 30_000);
      avatar.room.off(RoomEvent.ParticipantConnected, onConnected);
      expect(left.at(-1)! - leftAt).toBeLessThan(20_000);
    }
    // The case that matters happened at least once (it does on the first try unless the machine is very slow).
    expect(unannounced).toBeGreaterThan(0);
    expect(left.length).toBeGreaterThan(0);
  }, 120_000);

  it('reports room_closed when the room is deleted', async () => {
    const room = newRoom();
    const { avatar } = await avatarIn(room);
    const left = new Promise<{ reason: string; detail: string }>((resolve) => avatar.on('left', resolve));
    await roomService(rooms.server, 'DeleteRoom', { room });
    expect(await left).toEqual({
      reason: 'room_closed',
      detail: expect.stringMatching(/ROOM_(DELETED|CLOSED)/),
    });
  });

  it('reports removed when the agent removes the avatar at shutdown', async () => {
    const room = newRoom();
    const { avatar } = await avatarIn(room);
    const left = new Promise<{ reason: string }>((resolve) => avatar.on('left', resolve));
    await roomService(rooms.server, 'RemoveParticipant', { room, identity: AVATAR_IDENTITY });
    expect((await left).reason).toBe('removed');
  });

  it('fails to join with room_join_failed and a clear reason for a bad token and for a server that is not there', async () => {
    const room = newRoom();
    const badToken = mintToken(
      { apiKey: rooms.server.apiKey, apiSecret: 'not-the-secret-not-the-secret-0000' },
      {
        identity: AVATAR_IDENTITY,
        room,
      },
    );
    const failure = await startAvatarSession(rooms.server, {
      room,
      agentIdentity: 'agent',
      token: badToken,
    }).catch((e) => e);
    expect(failure).toBeInstanceOf(LiveKitJoinError);
    expect(failure.code).toBe('room_join_failed');
    expect(failure.message).toMatch(/could not join/);
    // A server that takes the connection and never answers: the join gives up at connectTimeoutMs.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    rooms.cleanup(async () => {
      for (const socket of sockets) socket.destroy();
      silent.close();
    });
    const port = (silent.address() as AddressInfo).port;
    const started = performance.now();
    const timedOut = await LiveKitAvatar.join({
      url: `ws://127.0.0.1:${port}`,
      token: mintToken(rooms.server, { identity: AVATAR_IDENTITY, room }),
      size: { width: 64, height: 64 },
      input: { openSegment() {}, pushAudio() {}, endSegment() {}, clear() {} },
      connectTimeoutMs: 1500,
    }).catch((e) => e);
    expect(timedOut).toBeInstanceOf(LiveKitJoinError);
    expect(timedOut.message).toMatch(/no answer .* within 1500 ms/);
    expect(performance.now() - started).toBeLessThan(5000);
    const nowhere = { ...rooms.server, url: 'ws://127.0.0.1:9' };
    const refused = await startAvatarSession(nowhere, { room, agentIdentity: 'agent' }).catch((e) => e);
    expect(refused).toBeInstanceOf(LiveKitJoinError);
    expect(refused.code).toBe('room_join_failed');
  });
});
