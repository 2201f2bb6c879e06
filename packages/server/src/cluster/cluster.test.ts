/**
 * Issue 14 (scale-out): one API process and two workers as real processes on loopback, one PostgreSQL, one
 * Redis. Sessions spread over both workers; `/ws` and WHEP reach them through the API; kill -9 of a worker ends
 * its sessions `worker_lost` (billed to the last beat, clients told) while the other worker's keep playing;
 * losing an API process loses nothing accepted; a Redis restart ends nothing.
 */
import { NodeViewer } from '@agenthuman/rooms/testing';
import { postgresUnavailableReason } from '@agenthuman/store/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pcmBase64, tone, WsTestClient } from '../live/testing/ws-test-client.js';
import { killHard, owns, stopGracefully } from '../testing/cluster.js';
import { sleep, startTestCluster, type TestCluster, until } from '../testing/test-cluster.js';
import { ADMIN_KEY } from '../testing/test-server.js';
import { joinRoomOverWhep } from '../testing/whep-viewer.js';

type Created = {
  session_id: string;
  session_token: string;
  room?: { platform: string; name: string; token: string };
};

/** The parts of the API's replies these tests read. */
type Reply = { session: Created & { status: string }; api_key: { key: string } };

const unavailable = postgresUnavailableReason();

describe.skipIf(Boolean(unavailable))('scale-out: api and worker processes', () => {
  let cluster: TestCluster;
  let key: string;
  const clients: WsTestClient[] = [];
  const viewers: NodeViewer[] = [];

  const call = async (base: string, method: string, path: string, body?: unknown, apiKey = key) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'x-api-key': apiKey, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Reply };
  };

  const createSession = async (base = cluster.api.url): Promise<Created> =>
    until('a session placed on a worker', 15_000, async () => {
      const res = await call(base, 'POST', '/v1/sessions', { avatar: 'PUBLIC/Avatars/ada' });
      if (res.status === 503) return undefined;
      expect(res.status).toBe(200);
      return res.body.session;
    });

  const ownerOf = async (id: string) =>
    until(
      `media owner of ${id}`,
      10_000,
      async () => (await cluster.store.sessions.findById(id))?.mediaOwner,
    );

  async function connect(base: string, session: Created): Promise<WsTestClient> {
    const client = await WsTestClient.open(
      `${base.replace(/^http/, 'ws')}/ws?session_id=${session.session_id}`,
    );
    clients.push(client);
    client.send({
      type: 'session.init',
      session_id: session.session_id,
      session_token: session.session_token,
    });
    await client.next('connection.established', 20_000);
    return client;
  }

  async function speak(client: WsTestClient, seconds: number): Promise<void> {
    client.send({ type: 'agent.speak', audio: pcmBase64(tone(seconds)) });
    await client.next('agent.speak.confirmed', 15_000);
  }

  /** An agent_video session of a new agent that knows the opening hours, placed on a worker. */
  async function createAgentSession(): Promise<Created> {
    const agent = await call(cluster.api.url, 'POST', '/v1/agents', {
      name: 'Ava',
      knowledge: 'Acme Bikes is open Monday to Saturday from 9 am to 6 pm.',
      custom_greeting: 'Hi.',
    });
    expect(agent.status).toBe(200);
    const agentId = (agent.body as unknown as { agent: { agent_id: string } }).agent.agent_id;
    const created = await call(cluster.api.url, 'POST', '/v1/sessions', {
      agent_id: agentId,
      session_type: 'agent_video',
    });
    expect(created.status).toBe(200);
    const session = created.body.session;
    await ownerOf(session.session_id);
    return session;
  }

  /** Posts the user's question to a messages route; the agent's answer has the opening hours. */
  async function askOpeningHours(path: string): Promise<void> {
    const answer = await call(cluster.api.url, 'POST', path, { message: 'When are you open?' });
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.body)).toContain('Monday to Saturday');
  }

  /** Ends the session over the API; its socket hears `session.ended` (client). */
  async function endByClient(session: Created, client: WsTestClient): Promise<void> {
    expect((await call(cluster.api.url, 'POST', `/v1/sessions/${session.session_id}/end`)).status).toBe(200);
    expect((await client.next('session.ended', 10_000)).reason).toBe('client');
  }

  /** A real WebRTC viewer (libwebrtc) joined through the API's relayed WHEP signalling. */
  async function watch(session: Created): Promise<NodeViewer> {
    const viewer = new NodeViewer();
    viewers.push(viewer);
    await joinRoomOverWhep(cluster.api.url, session.room!, { viewer, connectTimeoutMs: 15_000 });
    await until('a first video frame', 15_000, async () => viewer.framesDecoded > 0);
    return viewer;
  }

  async function fps(viewer: NodeViewer, ms = 2_000): Promise<number> {
    const before = viewer.framesDecoded;
    await sleep(ms);
    return ((viewer.framesDecoded - before) * 1000) / ms;
  }

  beforeAll(async () => {
    // Room for every session the tests leave running plus a preview (a full cluster shows the still face).
    cluster = await startTestCluster({ env: { AGENTHUMAN_MAX_LIVE_SESSIONS: '6' } });
    key = await cluster.accountKey('cluster');
  }, 120_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    for (const viewer of viewers) viewer.close();
    await cluster?.stop();
  }, 60_000);

  const sessions: Created[] = [];
  /** Sessions still running after the worker loss, each with a client connected through the API. */
  let survivors: Created[] = [];

  it('spreads sessions over both workers and reaches them through the API (/ws, WHEP)', async () => {
    for (let i = 0; i < 4; i += 1) sessions.push(await createSession());
    const owners = await Promise.all(sessions.map((s) => ownerOf(s.session_id)));
    expect(owners.filter((o) => owns(cluster.workers[0]!, o))).toHaveLength(2);
    expect(owners.filter((o) => owns(cluster.workers[1]!, o))).toHaveLength(2);
    const sockets = await Promise.all(sessions.map((s) => connect(cluster.api.url, s)));
    await Promise.all(sockets.map((client) => speak(client, 1)));
    await Promise.all(sockets.map((client) => client.next('avatar.speaking.started', 15_000)));
    const viewer = await watch(sessions[0]!);
    // Video arrives (the rate itself is the load of the machine; the loss test compares it before and after).
    expect(await fps(viewer)).toBeGreaterThan(1);
  }, 60_000);

  it('carries agent turns to the session’s worker, where its avatar speaks them', async () => {
    const session = await createAgentSession();
    const client = await connect(cluster.api.url, session);
    await askOpeningHours(`/v1/sessions/${session.session_id}/messages`);
    // Spoken by the avatar on the worker: its socket (relayed) hears it speak.
    await client.next('avatar.speaking.started', 20_000);
    await endByClient(session, client);
  }, 60_000);

  it('carries legacy /api/v1 agent turns to the session’s worker; a foreign one reads as unknown', async () => {
    const session = await createAgentSession();
    const seq = (await cluster.store.sessions.findById(session.session_id))!.seq;
    const client = await connect(cluster.api.url, session);
    await askOpeningHours(`/api/v1/sessions/${seq}/messages`);
    // Answered on the worker: the avatar there speaks it (an API process has no voice to give).
    await client.next('avatar.speaking.started', 20_000);

    const other = await call(
      cluster.api.url,
      'POST',
      '/v1/admin/accounts',
      { plan: 'enterprise', name: 'other' },
      ADMIN_KEY,
    );
    const otherKey = other.body.api_key.key;
    const foreign = await call(
      cluster.api.url,
      'POST',
      `/api/v1/sessions/${seq}/messages`,
      { message: 'hi' },
      otherKey,
    );
    const unknown = await call(
      cluster.api.url,
      'POST',
      '/api/v1/sessions/2147483647/messages',
      { message: 'hi' },
      otherKey,
    );
    expect(foreign.status).toBe(404);
    expect(foreign).toEqual(unknown);
    await endByClient(session, client);
  }, 60_000);

  it('plays a live preview from a worker through the API (link page, relayed WHEP), not the still face', async () => {
    const link = await call(cluster.api.url, 'POST', '/v1/avatars/preview', {
      avatar_id: 'PUBLIC/Avatars/ada',
    });
    expect(link.status).toBe(200);
    const { url } = link.body as unknown as { url: string };
    const page = await (await fetch(`${cluster.api.url}${new URL(url).pathname}`)).text();
    expect(page).not.toContain('this preview is a still');
    const room = /src="\/rooms\/([^"?]+)\?token=([^"]+)"/.exec(page);
    expect(room).not.toBeNull();
    const viewer = await watch({
      session_id: '',
      session_token: '',
      room: { platform: 'builtin', name: room![1]!, token: decodeURIComponent(room![2]!) },
    });
    // Over two of the worker's media beats: a preview has no row, and its beat must not take it for moved.
    expect(await fps(viewer, 5_000)).toBeGreaterThan(1);
    // A worker runs it (its key names one of ours); counting sessions would race other tests' sessions ending.
    const client = new Redis(cluster.redis.url);
    try {
      const keys = await client.keys('agenthuman:preview:*');
      const runners = await Promise.all(keys.map((k) => client.get(k)));
      expect(runners.some((id) => cluster.workers.some((w) => owns(w, id)))).toBe(true);
    } finally {
      client.disconnect();
    }
    viewer.close();
  }, 60_000);

  it('answers nobody but API processes on a worker (internal secret), except /health', async () => {
    const worker = cluster.workers[1]!.url;
    expect((await fetch(`${worker}/health`)).status).toBe(200);
    const tries: Record<string, string>[] = [{}, { 'x-agenthuman-internal': 'wrong' }, { 'x-api-key': key }];
    for (const headers of tries) {
      expect((await fetch(`${worker}/v1/sessions`, { headers })).status).toBe(404);
      const start = await fetch(`${worker}/internal/sessions/${sessions[0]!.session_id}/media`, {
        method: 'POST',
        headers,
      });
      expect(start.status).toBe(404);
    }
  });

  it('ends a killed worker’s sessions worker_lost within 15 s, billed to the last beat; the other worker plays on', async () => {
    const owners = await Promise.all(sessions.map((s) => ownerOf(s.session_id)));
    const victim = cluster.workers[0]!;
    const lost = sessions.filter((_, i) => owns(victim, owners[i]));
    const kept = sessions.filter((_, i) => !owns(victim, owners[i]));
    survivors = kept;
    const keptViewer = await watch(kept[0]!);
    const fpsBefore = await fps(keptViewer);
    const lostSockets = clients.slice(0, 4).filter((_, i) => owns(victim, owners[i]));
    const keptSockets = clients.slice(0, 4).filter((_, i) => !owns(victim, owners[i]));
    // Mid-speech: 5 s queued on every session.
    await Promise.all(clients.slice(0, 4).map((client) => speak(client, 5)));
    const lastBeats = await Promise.all(
      lost.map(async (s) => (await cluster.store.sessions.findById(s.session_id))!.mediaHeartbeatAt!),
    );
    await killHard(victim);
    const killedAt = Date.now();

    const ended = await Promise.all(lostSockets.map((client) => client.next('session.ended', 15_000)));
    const detectedMs = Date.now() - killedAt;
    expect(ended.map((e) => e.reason)).toEqual(['worker_lost', 'worker_lost']);
    expect(detectedMs).toBeLessThan(15_000);
    for (const [i, session] of lost.entries()) {
      const row = (await cluster.store.sessions.findById(session.session_id))!;
      expect(row.endReason).toBe('worker_lost');
      // Billed to the last beat it wrote (at or after the one read before the kill, never past the kill).
      expect(row.endedAt!.getTime()).toBeGreaterThanOrEqual(lastBeats[i]!.getTime());
      expect(row.endedAt!.getTime()).toBeLessThanOrEqual(killedAt);
      expect(row.minutesCharged).toBe(1);
    }
    for (const session of kept) {
      expect((await cluster.store.sessions.findById(session.session_id))!.endedAt).toBeNull();
    }
    await Promise.all(keptSockets.map((client) => speak(client, 0.5)));
    const fpsAfter = await fps(keptViewer);
    expect(fpsAfter).toBeGreaterThan(Math.min(15, fpsBefore * 0.7));

    // A worker started again (new id) does not bring the lost sessions back.
    cluster.workers[0] = await cluster.add('worker', { AGENTHUMAN_MAX_LIVE_SESSIONS: '4' });
    await sleep(2_000);
    for (const session of lost) {
      expect((await cluster.store.sessions.findById(session.session_id))!.endReason).toBe('worker_lost');
    }
  }, 90_000);

  it('loses nothing accepted with an API process: its clients reconnect through another', async () => {
    const spareApi = await cluster.add('api');
    const session = await createSession(cluster.api.url);
    const client = await connect(cluster.api.url, session);
    await speak(client, 0.5);
    await killHard(cluster.api);
    expect((await client.closed).code).toBe(1006);
    // Every client of the lost API process reconnects within the reconnect grace (spec: 5 s).
    for (const s of [session, ...survivors]) {
      const again = await connect(spareApi.url, s);
      await speak(again, 0.5);
      const row = await call(spareApi.url, 'GET', `/v1/sessions/${s.session_id}`);
      expect(row.body.session.status).toBe('started');
    }
    cluster.api = spareApi;
    sessions.push(session);
  }, 60_000);

  it('ends no session when Redis restarts, and places new sessions once the registry is back', async () => {
    const running = (await cluster.store.sessions.listOwnedMedia(100)).map((row) => row.id);
    expect(running.length).toBeGreaterThan(0);
    await cluster.redis.restart();
    await sleep(6_000);
    const ended = [];
    for (const id of running) {
      const row = (await cluster.store.sessions.findById(id))!;
      if (row.endedAt) ended.push(`${id} ${row.endReason}`);
    }
    expect(ended).toEqual([]);
    const fresh = await createSession(cluster.api.url);
    const client = await connect(cluster.api.url, fresh);
    await speak(client, 0.5);
  }, 60_000);

  it('SIGTERM of a worker: its built-in-room sessions end `shutdown`, clients told; the other worker’s go on', async () => {
    const session = await createSession(cluster.api.url);
    const client = await connect(cluster.api.url, session);
    const owner = await ownerOf(session.session_id);
    const victim = cluster.workers.find((w) => owns(w, owner))!;
    const others = (await cluster.store.sessions.listOwnedMedia(100)).filter(
      (row) => !owns(victim, row.mediaOwner),
    );
    await stopGracefully(victim);
    expect((await client.next('session.ended', 10_000)).reason).toBe('shutdown');
    expect((await cluster.store.sessions.findById(session.session_id))!.endReason).toBe('shutdown');
    for (const row of others) expect((await cluster.store.sessions.findById(row.id))!.endedAt).toBeNull();
  }, 60_000);
});

describe.skipIf(!unavailable)('scale-out', () => {
  it('needs PostgreSQL', () => {
    throw new Error(unavailable);
  });
});
