import { NodeViewer } from '@agenthuman/rooms/testing';
import { serverForSuite } from '@agenthuman/server/testing/server-fixture';
import { beforeAll, describe, expect, it } from 'vitest';
import { joinRoomOverWhep } from '../testing/whep-viewer.js';
import { pcmBase64, tone, WsTestClient } from './testing/ws-test-client.js';

// Automatic end (spec section 3) with short timeouts; config.test.ts checks the real defaults (5 s, 30 s, 20 s).
describe('live sessions end by themselves, and release their media', () => {
  const t = serverForSuite('pglite', {
    env: {
      AGENTHUMAN_WS_RECONNECT_GRACE_S: '0.4',
      AGENTHUMAN_ROOM_EMPTY_TIMEOUT_S: '0.6',
      AGENTHUMAN_WS_PING_INTERVAL_S: '0.25',
      AGENTHUMAN_PLANS: '{"growth":{"maxSessionDuration":0}}',
    },
  });
  let baseUrl: string;
  let key: string;

  beforeAll(async () => {
    baseUrl = await t().server.listen();
    key = (await t().newAccount()).key;
  });

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const get = async (id: string, k = key) =>
    (await t().request({ method: 'GET', url: `/v1/sessions/${id}`, key: k })).json().session;

  async function create(k = key) {
    const res = await t().request({
      method: 'POST',
      url: '/v1/sessions',
      key: k,
      payload: { avatar: 'PUBLIC/Avatars/kai' },
    });
    expect(res.statusCode).toBe(200);
    return res.json().session as {
      session_id: string;
      session_token: string;
      room: { name: string; url: string; token: string };
    };
  }

  async function open(s: { session_id: string; session_token: string }, options = {}) {
    const client = await WsTestClient.open(`${baseUrl.replace(/^http/, 'ws')}/ws`, options);
    client.send({ type: 'session.init', session_id: s.session_id, session_token: s.session_token });
    await client.next('connection.established');
    return client;
  }

  it('ends a session whose WebSocket closed and did not come back (websocket_closed)', async () => {
    const s = await create();
    const client = await open(s);
    client.close();
    await client.closed;
    await expect
      .poll(async () => (await get(s.session_id)).end_reason, { timeout: 5_000 })
      .toBe('websocket_closed');
    expect(t().server.live.get(s.session_id)).toBeUndefined();
  });

  it('keeps a session whose socket re-opened within the grace period', async () => {
    const s = await create();
    const first = await open(s);
    first.close();
    await first.closed;
    await sleep(150);
    const second = await open(s);
    await sleep(800);
    expect((await get(s.session_id)).status).toBe('started');
    second.send({ type: 'agent.speak', audio: pcmBase64(tone(0.1)) });
    expect((await second.next('agent.speak.confirmed')).audio_samples).toBe(1600);
    await t().request({ method: 'POST', url: `/v1/sessions/${s.session_id}/end`, key });
    expect(await second.next('session.ended')).toEqual({ type: 'session.ended', reason: 'client' });
    expect((await second.closed).code).toBe(1000);
  });

  it('streams the avatar to a viewer over HTTP signalling, and ends the session 0.6 s after the room empties (room_empty)', async () => {
    const s = await create();
    const client = await open(s);
    const { viewer, location } = await joinRoomOverWhep(baseUrl, s.room);
    await expect.poll(() => viewer.framesDecoded, { timeout: 10_000 }).toBeGreaterThan(10);
    expect(viewer.lastFrameSize).toEqual({ width: 640, height: 480 });
    expect(t().server.live.get(s.session_id)?.viewers).toBe(1);
    const left = await fetch(`${baseUrl}${location}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${s.room.token}` },
    });
    expect(left.status).toBe(200);
    viewer.close();
    const ended = await client.next('session.ended', 5_000);
    expect(ended).toEqual({ type: 'session.ended', reason: 'room_empty' });
    // Told first, then closed.
    expect(client.events.at(-1)).toEqual(ended);
    expect((await client.closed).code).toBe(1000);
    expect((await get(s.session_id)).end_reason).toBe('room_empty');
    expect(t().server.live.hub.get(s.room.name)).toBeUndefined();
  });

  it('does not end a session nobody watched or connected to just because time passes', async () => {
    const s = await create();
    // A viewer that never connects does not count as "someone joined".
    const page = await fetch(`${baseUrl}/rooms/${s.room.name}?token=${s.room.token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<video');
    await sleep(900);
    expect((await get(s.session_id)).status).toBe('started');
  });

  it('refuses viewers without the room token', async () => {
    const s = await create();
    const viewer = new NodeViewer();
    const offer = await viewer.offer();
    const bad = await fetch(`${baseUrl}/rooms/${s.room.name}/whep`, {
      method: 'POST',
      headers: { authorization: 'Bearer nope', 'content-type': 'application/sdp' },
      body: offer,
    });
    expect(bad.status).toBe(403);
    const none = await fetch(`${baseUrl}/rooms/${s.room.name}/whep`, {
      method: 'POST',
      headers: { 'content-type': 'application/sdp' },
      body: offer,
    });
    expect(none.status).toBe(401);
    const huge = await fetch(`${baseUrl}/rooms/${s.room.name}/whep`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.room.token}`, 'content-type': 'application/sdp' },
      body: 'v=0\r\n'.repeat(20_000),
    });
    expect(huge.status).toBe(413);
    viewer.close();
  });

  it('ends a session at its expiration (expired), telling the client first', async () => {
    const admin = await t().newAccount('growth');
    const s = await create(admin.key);
    const client = await WsTestClient.open(`${baseUrl.replace(/^http/, 'ws')}/ws`);
    client.send({ type: 'session.init', session_id: s.session_id, session_token: s.session_token });
    const first = await Promise.race([client.next('session.ended'), client.next('error')]);
    expect(['session.ended', 'error']).toContain(first.type);
    await expect
      .poll(async () => (await get(s.session_id, admin.key)).end_reason, { timeout: 5_000 })
      .toBe('expired');
  });

  it('terminates a socket that stops answering pings, and keeps one that answers', async () => {
    const quiet = await open(await create(), { autoPong: false });
    const healthy = await open(await create());
    const closed = await quiet.closed;
    expect(closed.code).toBe(1006);
    await sleep(600);
    expect(healthy.socket.readyState).toBe(healthy.socket.OPEN);
    healthy.close();
  });

  it('leaves no pipeline, room or render lane behind once every session has ended', async () => {
    const live = t().server.live;
    const running = (await t().request({ method: 'GET', url: '/v1/sessions?status=started', key })).json()
      .sessions;
    for (const s of running)
      await t().request({ method: 'POST', url: `/v1/sessions/${s.session_id}/end`, key });
    await expect.poll(() => live.size, { timeout: 5_000 }).toBe(0);
    expect(live.hub.size).toBe(0);
    await expect.poll(() => live.pool.load.reduce((n, w) => n + w.lanes, 0), { timeout: 5_000 }).toBe(0);
  });
});
