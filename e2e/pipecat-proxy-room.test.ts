// The Pipecat service's flow against a real agenthuman server (real HTTP, PGlite) and a real LiveKit server:
// the exact create request it sends, the fields its pydantic model requires, joining `roomURL` with
// `participantToken` (here with @livekit/rtc-node, as Pipecat's LiveKit transport would), and its end call.
// Speech and barge-in need the avatar in the room (the media side, merged separately).
import { type ListeningServer, startListeningServer } from '@agenthuman/sdk/testing';
import { startLiveKitServer, type TestLiveKitServer } from '@agenthuman/server/testing/livekit';
import { Room, RoomEvent } from '@livekit/rtc-node';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('the Pipecat proxy-room flow', () => {
  let livekit: TestLiveKitServer;
  let server: ListeningServer;
  let key: string;
  const rooms: Room[] = [];

  beforeAll(async () => {
    livekit = await startLiveKitServer();
    server = await startListeningServer({ env: livekit.env });
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
});
