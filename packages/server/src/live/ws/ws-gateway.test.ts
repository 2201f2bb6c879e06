import { resampledLength } from '@agenthuman/media';
import { WS_MAX_FRAME_BYTES } from '@agenthuman/protocol';
import { serverForSuite } from '@agenthuman/server/testing/server-fixture';
import { beforeAll, describe, expect, it } from 'vitest';
import { pcmBase64, tone, WsTestClient } from '../testing/ws-test-client.js';

// The command channel over a real port, real PGlite, real pipelines on real render workers (no viewers).
describe('WebSocket command channel', () => {
  const t = serverForSuite('pglite', {
    env: { AGENTHUMAN_WS_RECONNECT_GRACE_S: '0.4', AGENTHUMAN_MAX_LIVE_SESSIONS: '40' },
  });
  let wsUrl: string;
  let key: string;

  beforeAll(async () => {
    wsUrl = `${(await t().server.listen()).replace(/^http/, 'ws')}/ws`;
    key = (await t().newAccount()).key;
  });

  async function createSession(payload: Record<string, unknown> = { avatar: 'PUBLIC/Avatars/ada' }) {
    const res = await t().request({ method: 'POST', url: '/v1/sessions', key, payload });
    expect(res.statusCode).toBe(200);
    return res.json().session as { session_id: string; session_token: string; status: string };
  }

  async function connect(session?: { session_id: string; session_token: string }) {
    const s = session ?? (await createSession());
    const client = await WsTestClient.open(`${wsUrl}?session_id=${s.session_id}`);
    client.send({ type: 'session.init', session_id: s.session_id, session_token: s.session_token });
    expect(await client.next('connection.established')).toEqual({
      type: 'connection.established',
      session_id: s.session_id,
    });
    return { client, session: s };
  }

  const sessionRow = async (id: string) =>
    (await t().request({ method: 'GET', url: `/v1/sessions/${id}`, key })).json().session;

  it.each([
    ['a speak', { type: 'agent.speak', audio: 'AAAA' }],
    ['bad JSON', '{"type":'],
    ['no type', { session_id: 'x' }],
  ])('refuses %s as the first frame with INIT_REQUIRED and closes 1008', async (_name, frame) => {
    const client = await WsTestClient.open(wsUrl);
    client.send(frame);
    expect(await client.next('error')).toEqual({
      type: 'error',
      error: 'First message must be session.init',
      code: 'INIT_REQUIRED',
    });
    expect((await client.closed).code).toBe(1008);
  });

  it('refuses a binary first frame the same way', async () => {
    const client = await WsTestClient.open(wsUrl);
    client.socket.send(Buffer.from([1, 2, 3]));
    expect((await client.next('error')).code).toBe('INIT_REQUIRED');
    expect((await client.closed).code).toBe(1008);
  });

  it('refuses a wrong token, an unknown, an unstarted and an ended session, each with its code', async () => {
    const good = await createSession();
    const seed = await createSession({ avatar_id: 'PUBLIC/Avatars/ada' });
    expect(seed.status).toBe('created');
    const ended = await createSession();
    await t().request({ method: 'POST', url: `/v1/sessions/${ended.session_id}/end`, key });
    const cases: [Record<string, string>, string][] = [
      [{ session_id: good.session_id, session_token: 'st_wrong' }, 'INVALID_CREDENTIALS'],
      [{ session_id: 'sess_01ARZ3NDEKTSV4RRFFQ69G5FAV', session_token: 'st_x' }, 'SESSION_NOT_FOUND'],
      [{ session_id: seed.session_id, session_token: seed.session_token }, 'SESSION_NOT_STARTED'],
      [{ session_id: ended.session_id, session_token: ended.session_token }, 'SESSION_ENDED'],
    ];
    for (const [init, code] of cases) {
      const client = await WsTestClient.open(wsUrl);
      client.send({ type: 'session.init', ...init });
      expect((await client.next('error')).code).toBe(code);
      expect((await client.closed).code).toBe(1008);
    }
  });

  it('accepts the legacy init form and checks its room platform and video size', async () => {
    const s = await createSession();
    const legacy = (extra: Record<string, unknown>) => ({
      type: 'session.init',
      config: { session_id: s.session_id, access_token: s.session_token, ...extra },
    });
    for (const [extra, code, error] of [
      [
        { room: { platform: 'zoom', url: 'x', token: 'y' } },
        'INVALID_ROOM_PLATFORM',
        'Invalid room platform',
      ],
      [{ video_width: -5, video_height: 720 }, 'INVALID_VIDEO_DIMENSIONS', 'Invalid video dimensions'],
      [{ video_width: 1280, video_height: 'tall' }, 'INVALID_VIDEO_DIMENSIONS', 'Invalid video dimensions'],
    ] as const) {
      const client = await WsTestClient.open(wsUrl);
      client.send(legacy(extra));
      expect(await client.next('error')).toMatchObject({ code, error });
      expect((await client.closed).code).toBe(1008);
    }
    const client = await WsTestClient.open(wsUrl);
    client.send(
      legacy({
        room: { platform: 'daily', url: 'https://x.daily.co/r', token: 't' },
        video_width: 1280,
        video_height: 720,
      }),
    );
    expect(await client.next('connection.established')).toEqual({
      type: 'connection.established',
      session_id: s.session_id,
    });
    client.close();
  });

  it('answers every bad frame with an error code and keeps the socket open', async () => {
    const { client } = await connect();
    const cases: [unknown, string][] = [
      ['not json', 'INVALID_JSON'],
      [{ type: 'agent.dance' }, 'UNKNOWN_MESSAGE_TYPE'],
      [{ no: 'type' }, 'INVALID_MESSAGE'],
      [{ type: 'agent.speak', audio: '!!not base64!!' }, 'INVALID_AUDIO'],
      [{ type: 'agent.speak', audio: Buffer.from([1, 2, 3]).toString('base64') }, 'INVALID_AUDIO'],
      [{ type: 'agent.speak', audio: '' }, 'EMPTY_AUDIO'],
      [{ type: 'agent.speak', audio: 12 }, 'INVALID_AUDIO'],
      [{ type: 'agent.speak', audio: 'AAAA', sample_rate: 4000 }, 'INVALID_SAMPLE_RATE'],
      [{ type: 'agent.speak', audio: 'AAAA', sample_rate: 96000 }, 'INVALID_SAMPLE_RATE'],
      [{ type: 'agent.speak_text', text: '' }, 'INVALID_MESSAGE'],
      [{ type: 'session.init', session_id: 'a', session_token: 'b' }, 'ALREADY_INITIALIZED'],
    ];
    for (const [frame, code] of cases) {
      client.send(frame);
      const error = await client.next('error');
      expect(error.code, JSON.stringify(frame)).toBe(code);
      expect(typeof error.error).toBe('string');
    }
    client.socket.send(Buffer.from([0, 1]));
    expect((await client.next('error')).code).toBe('BINARY_NOT_SUPPORTED');
    // Still open and working.
    client.send({ type: 'agent.speak', audio: pcmBase64(tone(0.1)) });
    expect(await client.next('agent.speak.confirmed')).toEqual({
      type: 'agent.speak.confirmed',
      audio_samples: 1600,
    });
    client.close();
  });

  it('confirms each chunk with its samples at 16 kHz, in order, summing exactly for any input rate', async () => {
    const { client } = await connect();
    for (const rate of [48_000, 22_050, 8_000]) {
      const chunks = [0.02, 0.013, 0.1, 0.037].map((s) => tone(s, rate));
      for (const chunk of chunks)
        client.send({ type: 'agent.speak', audio: pcmBase64(chunk), sample_rate: rate });
      let sum = 0;
      for (const _ of chunks) sum += (await client.next('agent.speak.confirmed')).audio_samples as number;
      const total = chunks.reduce((n, c) => n + c.length, 0);
      expect(sum).toBe(resampledLength(total, rate));
    }
    client.send({ type: 'agent.interrupt' });
    await client.next('agent.interrupt.confirmed');
    client.close();
  });

  it('refuses audio past 120 s queued with QUEUE_FULL and keeps what was queued', async () => {
    const { client, session } = await connect();
    const minute = pcmBase64(tone(60));
    client.send({ type: 'agent.speak', audio: minute });
    client.send({ type: 'agent.speak', audio: minute });
    expect((await client.next('agent.speak.confirmed')).audio_samples).toBe(960_000);
    expect((await client.next('agent.speak.confirmed')).audio_samples).toBe(960_000);
    // Some of the first minute may have played by now (a loaded machine decodes 4 MB frames slowly).
    client.send({ type: 'agent.speak', audio: pcmBase64(tone(10)) });
    expect((await client.next('error')).code).toBe('QUEUE_FULL');
    const live = t().server.live.get(session.session_id)!;
    expect(live.avatar.stats.queuedMs).toBeGreaterThan(110_000);
    client.send({ type: 'agent.interrupt' });
    await client.next('agent.interrupt.confirmed');
    expect(live.avatar.stats.queuedMs).toBe(0);
    client.close();
  });

  it('interrupts speech: stopped {interrupted:true}, queue dropped, confirmed', async () => {
    const { client, session } = await connect();
    client.send({ type: 'agent.speak', audio: pcmBase64(tone(3)) });
    await client.next('agent.speak.confirmed');
    await client.next('avatar.speaking.started');
    client.send({ type: 'agent.interrupt' });
    await client.next('agent.interrupt.confirmed');
    expect(await client.next('avatar.speaking.stopped')).toEqual({
      type: 'avatar.speaking.stopped',
      interrupted: true,
    });
    const live = t().server.live.get(session.session_id)!;
    expect(live.avatar.stats.queuedMs).toBe(0);
    expect(live.avatar.speaking).toBe(false);
    // Audio after the interrupt plays normally and stops by itself.
    client.send({ type: 'agent.speak', audio: pcmBase64(tone(0.2)) });
    await client.next('agent.speak.confirmed');
    await client.next('avatar.speaking.started');
    expect(await client.next('avatar.speaking.stopped')).toEqual({
      type: 'avatar.speaking.stopped',
      interrupted: false,
    });
    client.close();
  });

  it('speaks text through Flite (speak_text) and reports it', async () => {
    const { client } = await connect();
    client.send({ type: 'agent.speak_text', text: 'Hello there, nice to meet you.' });
    const confirmed = await client.next('agent.speak_text.confirmed');
    expect(confirmed.audio_samples as number).toBeGreaterThan(16_000);
    await client.next('avatar.speaking.started');
    client.send({ type: 'agent.speak_text', text: 'x', voice_id: 'nobody' });
    expect((await client.next('error')).code).toBe('TTS_FAILED');
    client.close();
  });

  it('closes a frame over 10 MB with 1009 and says why', async () => {
    const { client } = await connect();
    client.send({ type: 'agent.speak', audio: 'A'.repeat(WS_MAX_FRAME_BYTES + 16) });
    expect((await client.next('error')).code).toBe('MESSAGE_TOO_LARGE');
    const closed = await client.closed;
    expect(closed.code).toBe(1009);
    expect(closed.reason).toMatch(/at most 10 MB/);
  });

  it('replaces the first socket when a second one opens for the same session', async () => {
    const { client: first, session } = await connect();
    const { client: second } = await connect(session);
    await first.next('session.replaced');
    expect((await first.closed).code).toBe(1000);
    // The replaced socket's close does not start the 'websocket closed' countdown.
    await new Promise((r) => setTimeout(r, 700));
    expect((await sessionRow(session.session_id)).status).toBe('started');
    second.send({ type: 'agent.speak', audio: pcmBase64(tone(0.05)) });
    expect((await second.next('agent.speak.confirmed')).audio_samples).toBe(800);
    second.close();
  });

  it('20 sessions speak at once over 20 sockets, every confirmation in order', async () => {
    const opened = await Promise.all(Array.from({ length: 20 }, () => connect()));
    const chunkSizes = Array.from({ length: 15 }, (_, i) => 320 + i * 160);
    for (const { client } of opened) {
      for (const n of chunkSizes) client.send({ type: 'agent.speak', audio: pcmBase64(tone(n / 16_000)) });
    }
    await Promise.all(
      opened.map(async ({ client }) => {
        for (const n of chunkSizes)
          expect((await client.next('agent.speak.confirmed', 20_000)).audio_samples).toBe(n);
        client.send({ type: 'agent.interrupt' });
        await client.next('agent.interrupt.confirmed', 20_000);
      }),
    );
    const confirmations = opened.map(({ client }) =>
      client.events.filter((e) => e.type === 'agent.speak.confirmed').map((e) => e.audio_samples),
    );
    for (const list of confirmations) expect(list).toEqual(chunkSizes);
    for (const { client } of opened) client.close();
  }, 60_000);
});
