/**
 * @module Test fixture: a whole scale-out cluster on loopback for the tests that need one — a throwaway
 * PostgreSQL, a real Redis, optionally a real LiveKit server (the platform's default rooms), one API process and
 * its workers (`cluster.ts`), started in that order and ready once every worker is in the registry.
 */
import { openStore, type Store } from '@agenthuman/store';
import { createTestDatabase, type TestDatabase } from '@agenthuman/store/testing';
import { RoomServiceClient, TrackType } from 'livekit-server-sdk';
import { AVATAR_IDENTITY } from '../rooms/livekit-rooms.js';
import { type ClusterProcess, startClusterProcess, stopGracefully } from './cluster.js';
import { startLiveKitServer, type TestLiveKitServer } from './livekit-server.js';
import { startTestRedis, type TestRedis } from './redis-server.js';
import { ADMIN_KEY } from './test-server.js';

export type TestCluster = {
  database: TestDatabase;
  redis: TestRedis;
  /** Set with `livekitRooms`. */
  livekit: TestLiveKitServer | undefined;
  /** The test's own connection to the cluster's database. */
  store: Store;
  api: ClusterProcess;
  workers: ClusterProcess[];
  /** One more process on the same database and Redis (`env` adds to the cluster's); stopped with the cluster. */
  add(role: 'api' | 'worker', env?: Record<string, string>): Promise<ClusterProcess>;
  /** Resolves once the API's /health counts `count` workers in the registry. */
  waitForWorkers(count: number, ms?: number): Promise<void>;
  /** The API key of a new enterprise account, made through `api`'s admin endpoint. */
  accountKey(name: string): Promise<string>;
  /** Stops every process it started (SIGTERM; killed ones are gone already), then Redis, LiveKit, the database. */
  stop(): Promise<void>;
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startTestCluster(
  options: {
    workers?: number;
    /** A LiveKit server whose rooms are the default kind (`AGENTHUMAN_ROOMS=livekit`). */
    livekitRooms?: boolean;
    env?: Record<string, string>;
  } = {},
): Promise<TestCluster> {
  const started: ClusterProcess[] = [];
  let database: TestDatabase | undefined;
  let redis: TestRedis | undefined;
  let livekit: TestLiveKitServer | undefined;
  let store: Store | undefined;
  const stop = async () => {
    await Promise.all(started.map(stopGracefully));
    await store?.close();
    await Promise.all([redis?.stop(), livekit?.stop()]);
    await database?.drop();
  };
  try {
    [database, redis, livekit] = await Promise.all([
      createTestDatabase('postgres'),
      startTestRedis(),
      options.livekitRooms ? startLiveKitServer() : undefined,
    ]);
    store = await openStore({ databaseUrl: database.databaseUrl, dataDir: database.dataDir, poolSize: 2 });
    const env = { ...(livekit && { ...livekit.env, AGENTHUMAN_ROOMS: 'livekit' }), ...options.env };
    const add = async (role: 'api' | 'worker', more: Record<string, string> = {}) => {
      const proc = await startClusterProcess(role, database!, redis!.url, { ...env, ...more });
      started.push(proc);
      return proc;
    };
    // The API first: it runs the migrations and makes the admin account before the workers read them.
    const api = await add('api');
    const workers = await Promise.all(Array.from({ length: options.workers ?? 2 }, () => add('worker')));
    const cluster: TestCluster = {
      database,
      redis,
      livekit,
      store,
      api,
      workers,
      add,
      async waitForWorkers(count, ms = 15_000) {
        await until('the workers in the registry', ms, async () => {
          const health = (await (await fetch(`${cluster.api.url}/health`)).json()) as {
            live: { workers?: number };
          };
          return health.live.workers === count;
        });
      },
      async accountKey(name) {
        const response = await fetch(`${cluster.api.url}/v1/admin/accounts`, {
          method: 'POST',
          headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json' },
          body: JSON.stringify({ plan: 'enterprise', name }),
        });
        if (response.status !== 200) throw new Error(`admin account create answered ${response.status}`);
        return ((await response.json()) as { api_key: { key: string } }).api_key.key;
      },
      stop,
    };
    await cluster.waitForWorkers(workers.length);
    return cluster;
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Polls `probe` every 100 ms until it gives a value; throws naming `what` after `ms`. */
export async function until<T>(
  what: string,
  ms: number,
  probe: () => Promise<T | undefined | false>,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(100);
  }
}

/**
 * Waits for the avatar (`AVATAR_IDENTITY`) in a LiveKit room with its video published; `notSid` skips the
 * participant it was before (a resumed avatar is a new participant with the same identity).
 */
export async function waitForAvatarInRoom(
  livekit: TestLiveKitServer,
  room: string,
  ms: number,
  notSid?: string,
) {
  const rooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
  const deadline = Date.now() + ms;
  for (;;) {
    const participants = await rooms.listParticipants(room).catch(() => []);
    const avatar = participants.find(
      (p) => p.identity === AVATAR_IDENTITY && p.tracks.some((t) => t.type === TrackType.VIDEO),
    );
    if (avatar && avatar.sid !== notSid) return avatar;
    if (Date.now() > deadline) throw new Error(`the avatar was not in the room within ${ms} ms`);
    await sleep(100);
  }
}

/** Creates a session on the cluster's API with `key`; throws unless it answers 200. */
export async function createClusterSession(
  cluster: TestCluster,
  key: string,
  body: unknown,
): Promise<{ session_id: string; session_token: string; room: { name: string; token: string } }> {
  const response = await fetch(`${cluster.api.url}/v1/sessions`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200)
    throw new Error(`create answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { session: Awaited<ReturnType<typeof createClusterSession>> }).session;
}
