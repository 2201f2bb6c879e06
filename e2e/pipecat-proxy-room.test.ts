// The Pipecat service's flow against a real agenthuman server (real HTTP, PGlite) and a real LiveKit server:
// the exact create request it sends, the fields its pydantic model requires, joining `roomURL` with
// `participantToken` (here with @livekit/rtc-node, as Pipecat's LiveKit transport would), and its end call.
// Then the media side as the Pipecat service drives it: livekit's DataStreamAudioOutput (Python, the venv) joins
// with the returned token, waits for the avatar's video, sends 16 kHz speech, barges in with lk.clear_buffer, and
// the session ends with POST /end {}, which closes the room under it.
import { type ListeningServer, startListeningServer } from '@agenthuman/sdk/testing';
import { startLiveKitServer, type TestLiveKitServer } from '@agenthuman/server/testing/livekit';
import { Room, RoomEvent } from '@livekit/rtc-node';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentEvent, assertPythonPeers, runAgent } from './livekit/agent-peer.js';
import { Subscriber, waitFor } from './livekit/avatar-harness.js';

describe('the Pipecat proxy-room flow', () => {
  let livekit: TestLiveKitServer;
  let server: ListeningServer;
  let key: string;
  const rooms: Room[] = [];

  beforeAll(async () => {
    assertPythonPeers();
    livekit = await startLiveKitServer();
    // Media starts with the session, as in production: nothing else would bring the avatar into the room.
    server = await startListeningServer({ env: livekit.env, server: { startMediaWithSession: true } });
    key = (await server.newAccount('pro')).key;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(rooms.map((room) => room.disconnect()));
    await server?.close();
    await livekit?.stop();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${server.url}/v1${path}`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('creates a proxy room, lets the caller join it with the returned token, and closes it at end', async () => {
    // Byte for byte what AgentHumanApi.new_session sends (aspect ratio resolved from the transport).
    const res = await post('/sessions', {
      avatar: 'avat_01KMZHXFPBVCXA5ATK85HCP8G1',
      aspect_ratio: '4:3',
      room: { platform: 'proxy' },
    });
    expect(res.status).toBe(200);
    const session = (await res.json()).session;
    // The fields AgentHumanSession (pydantic) requires, with their types: an int duration, not null.
    expect(typeof session.session_id).toBe('string');
    expect(typeof session.session_token).toBe('string');
    expect(typeof session.status).toBe('string');
    expect(Number.isInteger(session.duration)).toBe(true);
    expect(typeof session.room.roomURL).toBe('string');
    expect(typeof session.room.participantToken).toBe('string');
    expect(session.room.roomURL).toBe(livekit.url);

    const caller = new Room();
    rooms.push(caller);
    const disconnected = new Promise<void>((resolve) => caller.once(RoomEvent.Disconnected, () => resolve()));
    await caller.connect(session.room.roomURL, session.room.participantToken, {
      autoSubscribe: true,
      dynacast: false,
    });
    expect(caller.localParticipant?.identity).toBe('agenthuman-client');
    expect(caller.name).toMatch(/^ah-/);

    const service = new RoomServiceClient(
      livekit.url.replace('ws', 'http'),
      livekit.apiKey,
      livekit.apiSecret,
    );
    const [me] = await service.listParticipants(caller.name as string);
    expect(me?.permission).toMatchObject({ canPublish: true, canSubscribe: true, canPublishData: true });

    // Pipecat ends with POST /end and an empty JSON object; the room we made goes with the session.
    const end = await post(`/sessions/${session.session_id}/end`, {});
    expect(end.status).toBe(200);
    expect((await end.json()).session).toMatchObject({ status: 'ended', end_reason: 'client' });
    await Promise.race([
      disconnected,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('the caller was not disconnected')), 10_000),
      ),
    ]);
    expect(await service.listRooms([caller.name as string])).toEqual([]);
  });

  it('speaks what the caller streams at 16 kHz, barges in with lk.clear_buffer, and ends with POST /end {}', async () => {
    const res = await post('/sessions', {
      avatar: 'avat_01KMZHXFPBVCXA5ATK85HCP8G1',
      aspect_ratio: '4:3',
      room: { platform: 'proxy' },
    });
    expect(res.status).toBe(200);
    const session = (await res.json()).session;
    const roomName = JSON.parse(
      Buffer.from(session.room.participantToken.split('.')[1], 'base64url').toString(),
    ).video.room as string;
    const viewer = await Subscriber.join(livekit, roomName);
    const events: AgentEvent[] = [];
    const caller = runAgent(
      livekit,
      roomName,
      [
        { op: 'speak', ms: 1200, rate: 16_000, channels: 1 },
        { op: 'wait_playout' },
        { op: 'speak', ms: 6000, rate: 16_000, channels: 1 },
        { op: 'sleep', ms: 1000 },
        { op: 'clear' },
        { op: 'wait_playout' },
        { op: 'wait_disconnected', timeout: 20 },
      ],
      {
        token: session.room.participantToken,
        timeoutMs: 60_000,
        onEvent: (event) => events.push(event),
      },
    );
    try {
      await waitFor(
        'the barge-in to finish',
        () => events.filter((e) => e.event === 'playout').length === 2,
        45_000,
      );
      const [played, cut] = events.filter((e) => e.event === 'playout');
      expect(played).toMatchObject({ interrupted: false });
      expect(Math.abs(played!.position! - 1.2)).toBeLessThanOrEqual(0.04);
      expect(cut).toMatchObject({ interrupted: true });
      expect(cut!.position).toBeGreaterThan(0.5);
      expect(cut!.position).toBeLessThan(4.5);
      // The avatar's video reached a viewer and the speech was heard there.
      expect(viewer.videoFrames.length).toBeGreaterThan(0);
      expect(viewer.loudMs()).toBeGreaterThan(1000);

      const end = await post(`/sessions/${session.session_id}/end`, {});
      expect(end.status).toBe(200);
      expect((await end.json()).session).toMatchObject({ status: 'ended', end_reason: 'client' });
      const final = await caller.events;
      expect(final.at(-1)?.event).toBe('disconnected');
    } finally {
      caller.kill();
      await viewer.close();
    }
  }, 90_000);
});
