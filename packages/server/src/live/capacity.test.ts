import { NodeViewer } from '@agenthuman/rooms/testing';
import { serverForSuite } from '@agenthuman/server/testing/server-fixture';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

// Media starts with the session here (as in production); one live session fits.
describe('live capacity', () => {
  const t = serverForSuite('pglite', {
    env: { AGENTHUMAN_MAX_LIVE_SESSIONS: '1', AGENTHUMAN_WS_UPGRADES_PER_MINUTE: '3' },
    server: { startMediaWithSession: true },
  });
  let key: string;

  beforeAll(async () => {
    key = (await t().newAccount()).key;
  });

  const post = (url: string, payload?: Record<string, unknown>) =>
    t().request({ method: 'POST', url, key, ...(payload !== undefined && { payload }) });

  it('starts media with the session, answers 503 NO_CAPACITY at create and "try_again" at start when full', async () => {
    const first = (await post('/v1/sessions', { avatar: 'PUBLIC/Avatars/milo' })).json().session;
    await expect
      .poll(() => t().server.live.get(first.session_id) !== undefined, { timeout: 15_000 })
      .toBe(true);
    expect(t().server.live.hub.get(first.room.name)).toBeDefined();

    const refused = await post('/v1/sessions', { avatar: 'PUBLIC/Avatars/milo' });
    expect(refused.statusCode).toBe(503);
    expect(refused.json().error.code).toBe('NO_CAPACITY');

    const seed = (await post('/v1/sessions', { avatar_id: 'PUBLIC/Avatars/milo' })).json().session;
    const busy = await post(`/v1/sessions/${seed.session_id}/start`);
    expect(busy.statusCode).toBe(200);
    expect(busy.json().ws_uri).toBe('try_again');
    expect(
      (await t().request({ method: 'GET', url: `/v1/sessions/${seed.session_id}`, key })).json().session
        .status,
    ).toBe('created');

    await post(`/v1/sessions/${first.session_id}/end`);
    await expect.poll(() => t().server.live.size, { timeout: 5_000 }).toBe(0);
    const started = await post(`/v1/sessions/${seed.session_id}/start`);
    expect(started.json().ws_uri).toBe(`ws://api.test/ws?session_id=${seed.session_id}`);
    await expect
      .poll(() => t().server.live.get(seed.session_id) !== undefined, { timeout: 15_000 })
      .toBe(true);
    await post(`/v1/sessions/${seed.session_id}/end`);
  });

  it('greets the first viewer of an avatar preview with speech', async () => {
    const live = t().server.live;
    const preview = await live.startPreview({ avatarId: 'PUBLIC/Avatars/ada', name: 'Ada' });
    const session = live.get(preview.previewId)!;
    expect(session.avatar.speaking).toBe(false);
    const started = new Promise((resolve) => session.avatar.on('segment.started', resolve));
    const viewer = new NodeViewer();
    await viewer.join(live.hub, preview.roomName, preview.token);
    await viewer.waitForState('connected');
    await started;
    await expect.poll(() => viewer.framesDecoded, { timeout: 10_000 }).toBeGreaterThan(5);
    viewer.close();
    await live.end(preview.previewId, 'client');
    expect(live.get(preview.previewId)).toBeUndefined();
  });

  it('limits WebSocket upgrades per client IP, apart from the REST limit', async () => {
    const wsUrl = `${(await t().server.listen()).replace(/^http/, 'ws')}/ws`;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        await new Promise<number>((resolve) => {
          const socket = new WebSocket(wsUrl);
          socket.on('open', () => {
            socket.close();
            resolve(101);
          });
          socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          socket.on('error', () => undefined);
        }),
      );
    }
    expect(statuses).toEqual([101, 101, 101, 429]);
  });
});
