/**
 * Issue 14: a session whose room is a LiveKit room outlives its worker. kill -9 of the worker running the
 * avatar → the avatar rejoins the room from the other worker (same identity) within 10 s and the session is
 * not ended. Real LiveKit server, one API process and two workers on loopback, PostgreSQL, Redis.
 */
import { openStore, type Store } from '@agenthuman/store';
import { createTestDatabase, postgresUnavailableReason, type TestDatabase } from '@agenthuman/store/testing';
import { RoomServiceClient, TrackType } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AVATAR_IDENTITY } from '../rooms/livekit-rooms.js';
import {
  type ClusterProcess,
  killHard,
  owns,
  startClusterProcess,
  stopGracefully,
} from '../testing/cluster.js';
import {
  livekitServerMissing,
  startLiveKitServer,
  type TestLiveKitServer,
} from '../testing/livekit-server.js';
import { startTestRedis, type TestRedis } from '../testing/redis-server.js';
import { ADMIN_KEY } from '../testing/test-server.js';

const unavailable = postgresUnavailableReason() ?? livekitServerMissing();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(Boolean(unavailable))(
  'scale-out: a LiveKit-room session resumes on a surviving worker',
  () => {
    let database: TestDatabase;
    let redis: TestRedis;
    let livekit: TestLiveKitServer;
    let store: Store;
    let processes: ClusterProcess[] = [];

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
      await Promise.all(processes.map(stopGracefully));
      await store?.close();
      await Promise.all([redis?.stop(), livekit?.stop()]);
      await database?.drop();
    }, 60_000);

    it('rejoins the room from the other worker within 10 s, same identity, session not ended', async () => {
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
        body: JSON.stringify({ plan: 'enterprise', name: 'resume' }),
      });
      const key = ((await account.json()) as { api_key: { key: string } }).api_key.key;
      const created = await fetch(`${api.url}/v1/sessions`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: JSON.stringify({ avatar: 'PUBLIC/Avatars/ada' }),
      });
      expect(created.status).toBe(200);
      const { session } = (await created.json()) as {
        session: { session_id: string; room: { name: string } };
      };
      const rooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);

      /** The avatar in the room with its video published, or undefined. */
      const avatarInRoom = async () => {
        const participants = await rooms.listParticipants(session.room.name).catch(() => []);
        return participants.find(
          (p) => p.identity === AVATAR_IDENTITY && p.tracks.some((t) => t.type === TrackType.VIDEO),
        );
      };
      const waitForAvatar = async (notSid: string | undefined, ms: number) => {
        const deadline = Date.now() + ms;
        for (;;) {
          const avatar = await avatarInRoom();
          if (avatar && avatar.sid !== notSid) return avatar;
          if (Date.now() > deadline) throw new Error(`the avatar was not in the room within ${ms} ms`);
          await sleep(100);
        }
      };
      const first = await waitForAvatar(undefined, 30_000);
      const owner = (await store.sessions.findById(session.session_id))!.mediaOwner;
      const victim = workers.find((w) => owns(w, owner))!;
      const survivor = workers.find((w) => w !== victim)!;
      expect(victim).toBeDefined();

      await killHard(victim);
      const killedAt = Date.now();
      const again = await waitForAvatar(first.sid, 15_000);
      const gapMs = Date.now() - killedAt;
      expect(again.identity).toBe(AVATAR_IDENTITY);
      expect(gapMs).toBeLessThan(10_000);
      const row = (await store.sessions.findById(session.session_id))!;
      expect(row.endedAt).toBeNull();
      expect(owns(survivor, row.mediaOwner)).toBe(true);
      processes = processes.filter((p) => p !== victim);
    }, 60_000);
  },
);

describe.skipIf(!unavailable)('scale-out: LiveKit resume', () => {
  it('needs PostgreSQL and the LiveKit server binary', () => {
    throw new Error(unavailable);
  });
});
