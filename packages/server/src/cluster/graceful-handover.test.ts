/**
 * Issue 14 follow-up: a worker stopped gracefully (SIGTERM) hands its LiveKit-room sessions to another worker
 * before it leaves, instead of ending them `shutdown`: the avatar is back in the room from the other worker
 * (same identity), the session is not ended, and the client's socket through the API stays open and is carried
 * to the new worker. Real LiveKit server, one API process and two workers on loopback, PostgreSQL, Redis.
 */
import { openStore, type Store } from '@agenthuman/store';
import { createTestDatabase, postgresUnavailableReason, type TestDatabase } from '@agenthuman/store/testing';
import { RoomServiceClient, TrackType } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pcmBase64, tone, WsTestClient } from '../live/testing/ws-test-client.js';
import { AVATAR_IDENTITY } from '../rooms/livekit-rooms.js';
import { type ClusterProcess, owns, startClusterProcess, stopGracefully } from '../testing/cluster.js';
import {
  livekitServerMissing,
  startLiveKitServer,
  type TestLiveKitServer,
} from '../testing/livekit-server.js';
import { startTestRedis, type TestRedis } from '../testing/redis-server.js';
import { ADMIN_KEY } from '../testing/test-server.js';

const unavailable = postgresUnavailableReason() ?? livekitServerMissing();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(Boolean(unavailable))('scale-out: a gracefully stopped worker hands sessions over', () => {
  let database: TestDatabase;
  let redis: TestRedis;
  let livekit: TestLiveKitServer;
  let store: Store;
  let processes: ClusterProcess[] = [];
  let client: WsTestClient | undefined;

  beforeAll(async () => {
    [database, redis, livekit] = await Promise.all([
      createTestDatabase('postgres'),
      startTestRedis(),
      startLiveKitServer(),
    ]);
    store = await openStore({ databaseUrl: database.databaseUrl, dataDir: database.dataDir, poolSize: 2 });
    const env = { ...livekit.env, AGENTHUMAN_ROOMS: 'livekit' };
    const api = await startClusterProcess('api', database, redis.url, env);
    processes = [
      api,
      ...(await Promise.all([
        startClusterProcess('worker', database, redis.url, env),
        startClusterProcess('worker', database, redis.url, env),
      ])),
    ];
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await Promise.all(processes.map(stopGracefully));
    await store?.close();
    await Promise.all([redis?.stop(), livekit?.stop()]);
    await database?.drop();
  }, 60_000);

  it('SIGTERM: the LiveKit session resumes on the other worker, not ended, its socket carried over', async () => {
    const [api, ...workers] = processes as [ClusterProcess, ClusterProcess, ClusterProcess];
    const health = async () =>
      (await (await fetch(`${api.url}/health`)).json()) as { live: { workers?: number } };
    for (let i = 0; (await health()).live.workers !== 2; i += 1) {
      if (i > 150) throw new Error('workers not in the registry');
      await sleep(100);
    }
    const account = await fetch(`${api.url}/v1/admin/accounts`, {
      method: 'POST',
      headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ plan: 'enterprise', name: 'handover' }),
    });
    const key = ((await account.json()) as { api_key: { key: string } }).api_key.key;
    const created = await fetch(`${api.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify({ avatar: 'PUBLIC/Avatars/ada' }),
    });
    expect(created.status).toBe(200);
    const { session } = (await created.json()) as {
      session: { session_id: string; session_token: string; room: { name: string } };
    };
    const rooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
    const waitForAvatar = async (notSid: string | undefined, ms: number) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const participants = await rooms.listParticipants(session.room.name).catch(() => []);
        const avatar = participants.find(
          (p) => p.identity === AVATAR_IDENTITY && p.tracks.some((t) => t.type === TrackType.VIDEO),
        );
        if (avatar && avatar.sid !== notSid) return avatar;
        if (Date.now() > deadline) throw new Error(`the avatar was not in the room within ${ms} ms`);
        await sleep(100);
      }
    };
    const first = await waitForAvatar(undefined, 30_000);

    client = await WsTestClient.open(`${api.url.replace(/^http/, 'ws')}/ws?session_id=${session.session_id}`);
    client.send({
      type: 'session.init',
      session_id: session.session_id,
      session_token: session.session_token,
    });
    await client.next('connection.established', 20_000);

    const owner = (await store.sessions.findById(session.session_id))!.mediaOwner;
    const victim = workers.find((w) => owns(w, owner))!;
    const survivor = workers.find((w) => w !== victim)!;
    expect(victim).toBeDefined();

    const stoppedAt = Date.now();
    await stopGracefully(victim);
    processes = processes.filter((p) => p !== victim);
    // Handed over before it left: the new owner is recorded by the time the process has exited.
    const row = (await store.sessions.findById(session.session_id))!;
    expect(row.endedAt).toBeNull();
    expect(owns(survivor, row.mediaOwner)).toBe(true);
    const again = await waitForAvatar(first.sid, 10_000);
    expect(again.identity).toBe(AVATAR_IDENTITY);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);

    // The client's socket stayed open, heard no end, and now reaches the new worker.
    client.send({ type: 'agent.speak', audio: pcmBase64(tone(0.5)) });
    await client.next('agent.speak.confirmed', 15_000);
    expect(client.events.some((e) => e.type === 'session.ended')).toBe(false);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    expect((await store.sessions.findById(session.session_id))!.endedAt).toBeNull();
  }, 60_000);
});

describe.skipIf(!unavailable)('scale-out: graceful hand-over', () => {
  it('needs PostgreSQL and the LiveKit server binary', () => {
    throw new Error(unavailable);
  });
});
