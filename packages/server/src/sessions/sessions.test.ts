import { AccessToken } from 'livekit-server-sdk';
import { expect, it } from 'vitest';
import { verifyRoomToken } from '../rooms/room-token.js';
import { describeOnBothStores } from '../testing/test-server.js';

// A well-formed LiveKit-style JWT (header.payload.signature) for validation cases that fail on another field.
const JWT =
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZ2VudGh1bWFuLWF2YXRhci1hZ2VudCJ9.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2ln';

describeOnBothStores('sessions API', (t) => {
  const create = (key: string, payload: unknown) =>
    t().request({ method: 'POST', url: '/v1/sessions', key, payload: payload as object });
  const get = (key: string, id: string) => t().request({ method: 'GET', url: `/v1/sessions/${id}`, key });

  it('seed shape: created with a platform room and tokens, then start, end and idempotent end', async () => {
    const { key } = await t().newAccount('pro');
    const res = await create(key, {
      avatar_id: 'PUBLIC/Avatars/ada',
      metadata: { user: 'x' },
      aspect_ratio: '1:1',
    });
    expect(res.statusCode).toBe(200);
    const { session, usage, message } = res.json();
    expect(message).toBe('Session created successfully');
    // Not started yet: ws_uri comes from start.
    expect(session).not.toHaveProperty('ws_uri');
    expect(session).toMatchObject({
      status: 'created',
      started_at: null,
      expiration: null,
      duration: null,
      aspect_ratio: '1:1',
    });
    expect(session.avatar).toMatchObject({ avatar_id: 'PUBLIC/Avatars/ada', name: 'Ada' });
    expect(session.access_token).toBe(session.session_token);
    expect(session.room).toMatchObject({
      platform: 'builtin',
      url: `http://api.test/rooms/${session.room.name}`,
    });
    const secret = await t().server.deps.store.settings.get('server_secret');
    expect(verifyRoomToken(secret!, session.room.token)).toMatchObject({ session_id: session.session_id });
    expect(usage).toEqual({
      concurrency: { current: 0, max: 20, available: 20 },
      minutes: { total_remaining: 1500 },
    });

    const fetched = (await get(key, session.session_id)).json().session;
    expect(fetched.session_token).toBeUndefined();
    expect(fetched.access_token).toBeUndefined();
    expect(fetched.room.name).toBe(session.room.name);

    const start = await t().request({ method: 'PUT', url: `/v1/sessions/${session.session_id}/start`, key });
    expect(start.json()).toMatchObject({
      success: true,
      ws_uri: `ws://api.test/ws?session_id=${session.session_id}`,
      message: 'Session started successfully',
    });
    expect(Date.parse(start.json().expiration) - Date.now()).toBeGreaterThan(179 * 60_000);
    const again = await t().request({ method: 'POST', url: `/v1/sessions/${session.session_id}/start`, key });
    expect(again.json()).toEqual(start.json());
    expect((await get(key, session.session_id)).json().session.status).toBe('started');

    const end = await t().request({ method: 'POST', url: `/v1/sessions/${session.session_id}/end`, key });
    expect(end.statusCode).toBe(200);
    expect(end.json()).toMatchObject({
      message: 'Session ended successfully',
      session: { status: 'ended', end_reason: 'client' },
    });
    // Billed whole minutes of whole seconds: nothing for under a second, one minute on a loaded machine.
    const used = end.json().session.duration;
    expect(used).toBeTypeOf('number');
    expect(end.json().session.billing).toEqual({
      minutes_charged: used > 0 ? 1 : 0,
      included_minutes_used: used > 0 ? 1 : 0,
      purchased_minutes_used: 0,
    });
    const endAgain = await t().request({
      method: 'PUT',
      url: `/v1/sessions/${session.session_id}/end`,
      key,
      payload: {},
    });
    expect(endAgain.statusCode).toBe(200);
    expect(endAgain.json().session.ended_at).toBe(end.json().session.ended_at);

    const restart = await t().request({
      method: 'PUT',
      url: `/v1/sessions/${session.session_id}/start`,
      key,
    });
    expect(restart.statusCode).toBe(409);
    expect(restart.json().error.code).toBe('SESSION_ENDED');
  });

  it('current shape: started at once, customer room stored but never echoed', async () => {
    const { key } = await t().newAccount('pro');
    const token = new AccessToken('customer-key', 'customer-secret-customer-secret-0', {
      identity: 'agenthuman-avatar-agent',
    });
    token.addGrant({ roomJoin: true, room: 'customer-room' });
    const jwt = await token.toJwt();
    const room = { platform: 'livekit', url: 'wss://lk.example.com', token: jwt, display_name: 'AI' };
    const res = await create(key, {
      avatar: 'avat_01KMZJ4WE5QCD9G3EK21QW8NJK',
      room,
      extra_field: 'ignored',
    });
    expect(res.statusCode).toBe(200);
    const { session, usage } = res.json();
    expect(session.status).toBe('started');
    expect(session.avatar.name).toBe('Eileen');
    expect(usage.concurrency).toEqual({ current: 1, max: 20, available: 19 });
    expect(session.duration).toBe(0);
    expect(session.daily_room).toBeNull();
    expect(res.body).not.toContain(jwt);
    // Started at create: the reply says where the command channel is (issue 15 item 14); GET never does.
    expect(session.ws_uri).toBe(`ws://api.test/ws?session_id=${session.session_id}`);
    const fetched = await get(key, session.session_id);
    expect(fetched.json().session).not.toHaveProperty('ws_uri');
    expect(fetched.body).not.toContain(jwt);
    expect(fetched.json().session.room).toBeUndefined();
    const stored = await t().server.deps.store.sessions.findById(session.session_id);
    expect(stored?.room).toMatchObject({ kind: 'customer', platform: 'livekit', token: jwt });
    expect(stored?.createShape).toBe('avatar');
  });

  it('duration counts whole seconds while running for the current shape, null for the seed shape', async () => {
    const { key } = await t().newAccount('pro');
    const current = (await create(key, { avatar: 'PUBLIC/Avatars/ada' })).json().session;
    const seed = (await create(key, { avatar_id: 'PUBLIC/Avatars/ada' })).json().session;
    expect([current.duration, seed.duration]).toEqual([0, null]);
    await t().request({ method: 'PUT', url: `/v1/sessions/${seed.session_id}/start`, key });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const view = async (id: string) => (await get(key, id)).json().session;
    const running = await view(current.session_id);
    expect(Number.isInteger(running.duration)).toBe(true);
    expect(running.duration).toBeGreaterThanOrEqual(1);
    expect(running.daily_room).toBeNull();
    expect((await view(seed.session_id)).duration).toBeNull();
    const ended = (
      await t().request({ method: 'POST', url: `/v1/sessions/${seed.session_id}/end`, key })
    ).json().session;
    expect(ended.duration).toBeGreaterThanOrEqual(1);
  });

  it('agent shape: an agent session started at once', async () => {
    const { key } = await t().newAccount('pro');
    const agent = await t().request({
      method: 'POST',
      url: '/v1/agents',
      key,
      payload: { name: 'Helper', avatar_id: 'PUBLIC/Avatars/kai' },
    });
    expect(agent.statusCode).toBe(200);
    const agentId = agent.json().agent.agent_id;
    const res = await create(key, { agent_id: agentId, session_type: 'voice' });
    expect(res.json()).toMatchObject({
      message: 'Session started successfully',
      session: { status: 'started', agent_id: agentId, session_type: 'agent_voice', avatar: { name: 'Kai' } },
    });
    const video = await create(key, { agent_id: agentId, session_type: 'agent_video' });
    expect(video.json().session.session_type).toBe('agent_video');
    const messages = await t().request({
      method: 'POST',
      url: `/v1/sessions/${video.json().session.session_id}/messages`,
      key,
      payload: { message: 'hi' },
    });
    expect(messages.statusCode).toBe(200);
    expect(messages.json().reply).toMatchObject({ role: 'agent', interrupted: false });
    expect(messages.json().reply.text.length).toBeGreaterThan(0);
  });

  it.each([
    [{}, 'avatar'],
    [{ avatar: 'PUBLIC/Avatars/ada', avatar_id: 'PUBLIC/Avatars/ada' }, 'avatar_id,avatar'],
    [{ avatar: 'PUBLIC/Avatars/ada', aspect_ratio: '16:9' }, 'aspect_ratio'],
    [{ avatar: 'PUBLIC/Avatars/ada', metadata: [1, 2] }, 'metadata'],
    [{ avatar: 'PUBLIC/Avatars/ada', metadata: 'text' }, 'metadata'],
    [{ avatar: 'PUBLIC/Avatars/ada', metadata: null }, 'metadata'],
    [{ avatar: 'PUBLIC/Avatars/ada', room: { platform: 'zoom' } }, 'room'],
    [{ avatar: 'PUBLIC/Avatars/ada', room: { platform: 'livekit', token: JWT } }, 'room.url'],
    [
      { avatar: 'PUBLIC/Avatars/ada', room: { platform: 'livekit', url: 'ftp://lk', token: JWT } },
      'room.url',
    ],
    [{ avatar: 'PUBLIC/Avatars/ada', room: { platform: 'livekit', url: 'wss://lk' } }, 'room.token'],
    [
      { avatar: 'PUBLIC/Avatars/ada', room: { platform: 'livekit', url: 'wss://lk', token: 'abc' } },
      'room.token',
    ],
    [
      { avatar: 'PUBLIC/Avatars/ada', room: { platform: 'livekit', url: 'wss://lk', token: 'a.b.c' } },
      'room.token',
    ],
    [{ agent_id: 'agnt_x', session_type: 'hologram' }, 'session_type'],
  ])('refuses %j with 400 VALIDATION_ERROR naming %s', async (payload, field) => {
    const { key } = await t().newAccount('pro');
    const res = await create(key, payload);
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.success).toBe(false);
    expect(body.error.code).toBe('VALIDATION_ERROR');
    expect(String(body.error.details.field)).toContain(field);
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('never echoes a refused room token', async () => {
    const { key } = await t().newAccount('pro');
    const secret = 'secret-token-not-a-jwt-1234567890';
    const res = await create(key, {
      avatar: 'PUBLIC/Avatars/ada',
      room: { platform: 'livekit', url: 'wss://lk.example.com', token: secret },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'room.token' } });
    expect(res.body).not.toContain(secret);
  });

  it('refuses Daily rooms with 400 DAILY_NOT_SUPPORTED (seed, current and agent shapes) and makes no session', async () => {
    const { key } = await t().newAccount('pro');
    const room = { platform: 'daily', url: 'https://x.daily.co/r', token: 't' };
    for (const shape of [{ avatar: 'PUBLIC/Avatars/ada' }, { avatar_id: 'PUBLIC/Avatars/ada' }]) {
      const res = await create(key, { ...shape, room });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'DAILY_NOT_SUPPORTED',
        details: { field: 'room.platform' },
      });
      expect(res.json().error.message).toContain('Daily');
    }
    const bare = await create(key, { avatar: 'PUBLIC/Avatars/ada', room: { platform: 'daily' } });
    expect(bare.json().error.code).toBe('DAILY_NOT_SUPPORTED');
    const list = await t().request({ method: 'GET', url: '/v1/sessions', key });
    expect(list.json().sessions).toEqual([]);
  });

  it('accepts metadata up to 16 KB and refuses more', async () => {
    const { key } = await t().newAccount('pro');
    const ok = await create(key, { avatar: 'PUBLIC/Avatars/ada', metadata: { text: 'x'.repeat(16_000) } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().session.metadata.text).toHaveLength(16_000);
    const big = await create(key, { avatar: 'PUBLIC/Avatars/ada', metadata: { text: 'x'.repeat(17_000) } });
    expect(big.statusCode).toBe(400);
    expect(big.json().error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'metadata' } });
  });

  it('answers the avatar errors: unknown 404, foreign exclusive 404 alike, image on free 403, private image URL 400', async () => {
    const owner = await t().newAccount('pro');
    const other = await t().newAccount('pro');
    const free = await t().newAccount('free');
    const mine = await t().server.deps.store.avatars.create({
      accountId: owner.accountId,
      name: 'Mine',
      userExclusive: true,
    });
    expect((await create(owner.key, { avatar: mine.id })).json().session.avatar.name).toBe('Mine');

    const unknown = await create(owner.key, { avatar: 'avat_01ZZZZZZZZZZZZZZZZZZZZZZZZ' });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'AVATAR_NOT_FOUND']);
    // Another account's exclusive avatar reads exactly like an unknown id (issue 15 item 11).
    const foreign = await create(other.key, { avatar: mine.id });
    const unknownLikeIt = await create(other.key, { avatar: `avat_${'Z'.repeat(26)}` });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).toBe(unknownLikeIt.body.replace(`avat_${'Z'.repeat(26)}`, mine.id));
    const seedShape = await create(other.key, { avatar_id: mine.id });
    expect([seedShape.statusCode, seedShape.json().error.code]).toEqual([404, 'AVATAR_NOT_FOUND']);
    const url = await create(free.key, { avatar: 'https://example.com/face.jpg' });
    expect([url.statusCode, url.json().error.code]).toEqual([403, 'PLAN_RESTRICTION']);
    const b64 = await create(free.key, { avatar: 'data:image/png;base64,iVBORw0KGgo=' });
    expect(b64.statusCode).toBe(403);
    // Image avatars run the upload pipeline (tested in avatars/); a loopback URL is refused before any fetch.
    const paid = await create(owner.key, { avatar: 'http://127.0.0.1/face.jpg' });
    expect([paid.statusCode, paid.json().error.code]).toEqual([400, 'IMAGE_URL_NOT_ALLOWED']);
  });

  it('proxy rooms need LiveKit configured', async () => {
    const { key } = await t().newAccount('pro');
    const res = await create(key, { avatar: 'PUBLIC/Avatars/nora', room: { platform: 'proxy' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'LIVEKIT_NOT_CONFIGURED',
      details: { field: 'room.platform' },
    });
    // The message itself says how to run a local LiveKit server.
    expect(res.json().error.message).toContain('livekit-server --dev');
    expect(res.json().error.message).toContain('LIVEKIT_URL=ws://127.0.0.1:7880');
  });

  it('ending a created session is 409 suggesting DELETE; DELETE only removes created sessions', async () => {
    const { key } = await t().newAccount('pro');
    const id = (await create(key, { avatar_id: 'PUBLIC/Avatars/milo' })).json().session.session_id;
    const end = await t().request({ method: 'POST', url: `/v1/sessions/${id}/end`, key });
    expect(end.statusCode).toBe(409);
    expect(end.json().error.code).toBe('SESSION_NOT_STARTED');
    expect(end.json().error.suggestion).toContain('DELETE');
    const del = await t().request({ method: 'DELETE', url: `/v1/sessions/${id}`, key });
    expect(del.json()).toEqual({ success: true, message: 'Session deleted successfully' });
    expect((await get(key, id)).statusCode).toBe(404);

    const started = (await create(key, { avatar: 'PUBLIC/Avatars/milo' })).json().session.session_id;
    const refused = await t().request({ method: 'DELETE', url: `/v1/sessions/${started}`, key });
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'SESSION_ALREADY_STARTED']);
  });

  it("hides another account's sessions exactly like unknown ones", async () => {
    const a = await t().newAccount('pro');
    const b = await t().newAccount('pro');
    const id = (await create(a.key, { avatar: 'PUBLIC/Avatars/eileen' })).json().session.session_id;
    const unknown = await get(b.key, 'sess_01ZZZZZZZZZZZZZZZZZZZZZZZZ');
    for (const res of [
      await get(b.key, id),
      await t().request({ method: 'POST', url: `/v1/sessions/${id}/end`, key: b.key }),
      await t().request({ method: 'PUT', url: `/v1/sessions/${id}/start`, key: b.key }),
      await t().request({ method: 'DELETE', url: `/v1/sessions/${id}`, key: b.key }),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual(unknown.json());
    }
    expect(unknown.json().error).toMatchObject({ message: 'Session not found', code: 'SESSION_NOT_FOUND' });
    const list = await t().request({ method: 'GET', url: '/v1/sessions', key: b.key });
    expect(list.json().sessions).toEqual([]);
  });

  it('lists newest first with status filters and cursor pagination', async () => {
    const { key } = await t().newAccount('pro');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        (await create(key, { avatar: 'PUBLIC/Avatars/ada', metadata: { i } })).json().session.session_id,
      );
    const created = (await create(key, { avatar_id: 'PUBLIC/Avatars/ada' })).json().session.session_id;
    await t().request({ method: 'POST', url: `/v1/sessions/${ids[0]}/end`, key });

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/v1/sessions?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t().request({ method: 'GET', url, key })).json();
      seen.push(...page.sessions.map((s: { session_id: string }) => s.session_id));
      expect(page.has_more).toBe(page.next_cursor !== null);
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual([created, ...[...ids].reverse()]);
    expect(pages).toBe(3);

    const byStatus = async (status: string) =>
      (await t().request({ method: 'GET', url: `/v1/sessions?status=${status}`, key }))
        .json()
        .sessions.map((s: { session_id: string }) => s.session_id);
    expect(await byStatus('created')).toEqual([created]);
    expect(await byStatus('ended')).toEqual([ids[0]]);
    expect((await byStatus('started')).length).toBe(4);
    expect((await byStatus('active')).length).toBe(4);
    expect((await byStatus('bogus')).length).toBe(6);

    const ended = (await t().request({ method: 'GET', url: '/v1/sessions?status=ended', key })).json()
      .sessions[0];
    expect(ended.billing).not.toBeNull();
    for (const bad of ['limit=0', 'limit=501', 'limit=abc', 'cursor=nope']) {
      const res = await t().request({ method: 'GET', url: `/v1/sessions?${bad}`, key });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_ERROR');
    }
  });
});
