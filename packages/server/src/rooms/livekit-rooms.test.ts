import { createServer, type Server } from 'node:http';
import { TokenVerifier } from 'livekit-server-sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLiveKitServer, type TestLiveKitServer } from '../testing/livekit-server.js';
import { describeOnBothStores, type TestServer } from '../testing/test-server.js';
import { AVATAR_IDENTITY, CALLER_IDENTITY, createLiveKitRooms } from './livekit-rooms.js';

// One real LiveKit server for the file; its address is known only once it runs, so the env fills in then.
let livekit: TestLiveKitServer | undefined;
const livekitEnv: Record<string, string> = {};
const livekitRoomsEnv: Record<string, string> = { AGENTHUMAN_ROOMS: 'livekit' };
beforeAll(async () => {
  livekit = await startLiveKitServer();
  Object.assign(livekitEnv, livekit.env);
  Object.assign(livekitRoomsEnv, livekit.env);
}, 30_000);
afterAll(async () => {
  await livekit?.stop();
});

const lk = () => {
  if (!livekit) throw new Error('the LiveKit server did not start');
  return livekit;
};
/** Checks the signature with the server's secret and returns the claims. */
const verify = (token: string) => new TokenVerifier(lk().apiKey, lk().apiSecret).verify(token);
const roomsOnServer = async (names?: string[]) =>
  createLiveKitRooms({ url: lk().url, apiKey: lk().apiKey, apiSecret: lk().apiSecret }).list(names);

async function waitForRoomGone(name: string): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    if ((await roomsOnServer([name])).length === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

const createSession = (t: TestServer, key: string, payload: object) =>
  t.request({ method: 'POST', url: '/v1/sessions', key, payload });

describeOnBothStores(
  'proxy rooms on a real LiveKit server',
  (t) => {
    it('makes the room and answers roomURL + a caller token; the avatar seat is stored, never shown', async () => {
      const { key } = await t().newAccount('pro');
      const res = await createSession(t(), key, {
        avatar: 'avat_01KMZHXFPBVCXA5ATK85HCP8G1',
        aspect_ratio: '4:3',
        room: { platform: 'proxy' },
      });
      expect(res.statusCode).toBe(200);
      const { session } = res.json();
      // The Pipecat client's pydantic model: these keys, and an integer duration.
      expect(session).toMatchObject({ status: 'started', duration: 0, daily_room: null });
      expect(typeof session.session_token).toBe('string');
      expect(session.room.roomURL).toBe(lk().url);

      const stored = (await t().server.deps.store.sessions.findById(session.session_id))?.room;
      if (stored?.kind !== 'proxy') throw new Error(`stored room is ${JSON.stringify(stored)}`);
      expect(stored.sender).toEqual({ identity: CALLER_IDENTITY });
      expect(stored.avatar.identity).toBe(AVATAR_IDENTITY);
      expect(stored.url).toBe(lk().url);

      const caller = await verify(session.room.participantToken);
      expect(caller.sub).toBe(CALLER_IDENTITY);
      expect(caller.video).toMatchObject({
        room: stored.name,
        roomJoin: true,
        canPublish: true,
        canSubscribe: true,
        canPublishData: true,
      });
      const avatar = await verify(stored.avatar.token);
      expect(avatar.sub).toBe(AVATAR_IDENTITY);
      expect(avatar.kind).toBe('agent');
      expect(avatar.attributes).toEqual({ 'lk.publish_on_behalf': CALLER_IDENTITY });
      expect(avatar.video).toMatchObject({ room: stored.name, roomJoin: true, canPublish: true });

      const [room] = await roomsOnServer([stored.name]);
      expect(room?.name).toBe(stored.name);
      expect(JSON.parse(room?.metadata ?? '{}')).toEqual({ session_id: session.session_id });

      const fetched = await t().request({ method: 'GET', url: `/v1/sessions/${session.session_id}`, key });
      expect(fetched.json().session.room).toBeUndefined();
      for (const body of [res.body, fetched.body]) expect(body).not.toContain(stored.avatar.token);
      expect(fetched.body).not.toContain(session.room.participantToken);
    });

    it('closes the LiveKit room when the session ends', async () => {
      const { key } = await t().newAccount('pro');
      const { session } = (
        await createSession(t(), key, { avatar: 'PUBLIC/Avatars/nora', room: { platform: 'proxy' } })
      ).json();
      const stored = (await t().server.deps.store.sessions.findById(session.session_id))?.room;
      if (stored?.kind !== 'proxy') throw new Error('not a proxy room');
      expect(await roomsOnServer([stored.name])).toHaveLength(1);
      const end = await t().request({ method: 'POST', url: `/v1/sessions/${session.session_id}/end`, key });
      expect(end.json().session).toMatchObject({ status: 'ended', end_reason: 'client' });
      expect(await waitForRoomGone(stored.name)).toBe(true);
    });

    it('gives the room back when the account may not start another session', async () => {
      const { key } = await t().newAccount('free');
      const first = await createSession(t(), key, {
        avatar: 'PUBLIC/Avatars/nora',
        room: { platform: 'proxy' },
      });
      expect(first.statusCode).toBe(200);
      const before = (await roomsOnServer()).map((room) => room.name).sort();
      const refused = await createSession(t(), key, {
        avatar: 'PUBLIC/Avatars/nora',
        room: { platform: 'proxy' },
      });
      expect([refused.statusCode, refused.json().error.code]).toEqual([429, 'CONCURRENCY_LIMIT_REACHED']);
      let after: string[] = [];
      for (let i = 0; i < 50; i++) {
        after = (await roomsOnServer()).map((room) => room.name).sort();
        if (after.length <= before.length) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(after).toEqual(before);
    });
  },
  { env: livekitEnv },
);

describeOnBothStores(
  'AGENTHUMAN_ROOMS=livekit: platform rooms on a real LiveKit server',
  (t) => {
    it('a session without a room gets a LiveKit room and a subscribe-only viewer token', async () => {
      const { key } = await t().newAccount('pro');
      const res = await createSession(t(), key, { avatar: 'PUBLIC/Avatars/eileen' });
      expect(res.statusCode).toBe(200);
      const { room, session_id } = res.json().session;
      expect(room).toMatchObject({ platform: 'livekit', url: lk().url });
      const viewer = await verify(room.token);
      expect(viewer.video).toMatchObject({
        room: room.name,
        roomJoin: true,
        canSubscribe: true,
        canPublish: false,
        canPublishData: false,
      });
      expect(viewer.sub).not.toBe(AVATAR_IDENTITY);
      expect(await roomsOnServer([room.name])).toHaveLength(1);

      const stored = (await t().server.deps.store.sessions.findById(session_id))?.room;
      if (stored?.kind !== 'livekit') throw new Error('not a livekit room');
      expect(stored.sender).toBeUndefined();
      const avatar = await verify(stored.avatar.token);
      expect([avatar.sub, avatar.kind, avatar.attributes]).toEqual([AVATAR_IDENTITY, 'agent', undefined]);
      const fetched = await t().request({ method: 'GET', url: `/v1/sessions/${session_id}`, key });
      expect(fetched.json().session.room).toEqual(room);
      expect(fetched.body).not.toContain(stored.avatar.token);
    });

    it('a seed-shape session gets its LiveKit room at create; DELETE removes both', async () => {
      const { key } = await t().newAccount('pro');
      const { session } = (await createSession(t(), key, { avatar_id: 'PUBLIC/Avatars/milo' })).json();
      expect(session).toMatchObject({ status: 'created', duration: null, room: { platform: 'livekit' } });
      expect(await roomsOnServer([session.room.name])).toHaveLength(1);
      const del = await t().request({ method: 'DELETE', url: `/v1/sessions/${session.session_id}`, key });
      expect(del.statusCode).toBe(200);
      expect(await waitForRoomGone(session.room.name)).toBe(true);
    });

    it('a public link starts an agent session in a LiveKit room; its user may publish a microphone only', async () => {
      const { key } = await t().newAccount('pro');
      const agent = await t().request({
        method: 'POST',
        url: '/v1/agents',
        key,
        payload: { name: 'Helper', avatar_id: 'PUBLIC/Avatars/kai' },
      });
      const link = await t().request({
        method: 'POST',
        url: '/v1/links',
        key,
        payload: { agent_id: agent.json().agent.agent_id },
      });
      expect(link.statusCode).toBe(200);
      const res = await t().request({
        method: 'POST',
        url: '/v1/links/start-session',
        payload: { link_id: link.json().link.link_id, session_type: 'agent_voice' },
      });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({
        room: { platform: 'livekit', url: lk().url },
        livekit_url: lk().url,
        agent_identity: AVATAR_IDENTITY,
      });
      expect(body.participant_token).toBe(body.room.token);
      const user = await verify(body.participant_token);
      expect(user.video).toMatchObject({ canSubscribe: true, canPublish: true, canPublishData: false });
      expect(user.video?.canPublishSources).toEqual(['microphone']);
    });
  },
  { env: livekitRoomsEnv },
);

describeOnBothStores(
  'proxy rooms when the LiveKit server does not answer',
  (t) => {
    it('answers 502 LIVEKIT_UNAVAILABLE and creates no session', async () => {
      const { key } = await t().newAccount('pro');
      const res = await createSession(t(), key, {
        avatar: 'PUBLIC/Avatars/nora',
        room: { platform: 'proxy' },
      });
      expect(res.statusCode).toBe(502);
      expect(res.json().error.code).toBe('LIVEKIT_UNAVAILABLE');
      expect(res.body).not.toContain('unreachable-secret');
      const list = await t().request({ method: 'GET', url: '/v1/sessions', key });
      expect(list.json().sessions).toEqual([]);
    });
  },
  {
    env: {
      LIVEKIT_URL: 'ws://127.0.0.1:1',
      LIVEKIT_API_KEY: 'devkey',
      LIVEKIT_API_SECRET: 'unreachable-secret-unreachable-secret',
    },
  },
);

// A LiveKit server that accepts connections and never answers: create must not hang on it.
let hanging: Server | undefined;
const hangingEnv: Record<string, string> = {
  LIVEKIT_API_KEY: 'devkey',
  LIVEKIT_API_SECRET: 'hanging-secret-hanging-secret-00',
};
beforeAll(async () => {
  const server = createServer(() => {});
  hanging = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  hangingEnv.LIVEKIT_URL = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => {
  hanging?.closeAllConnections();
  hanging?.close();
});

describeOnBothStores(
  'proxy rooms when the LiveKit server hangs',
  (t) => {
    it('answers 502 LIVEKIT_UNAVAILABLE within the request timeout', async () => {
      const { key } = await t().newAccount('pro');
      const started = Date.now();
      const res = await createSession(t(), key, {
        avatar: 'PUBLIC/Avatars/nora',
        room: { platform: 'proxy' },
      });
      expect([res.statusCode, res.json().error.code]).toEqual([502, 'LIVEKIT_UNAVAILABLE']);
      expect(Date.now() - started).toBeLessThan(9_000);
    }, 20_000);
  },
  { env: hangingEnv },
);
