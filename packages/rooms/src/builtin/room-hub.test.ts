import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeViewer } from '../testing/node-viewer.js';
import { type RoomServer, startRoomServer } from '../testing/room-server.js';
import type { RoomHub } from './room-hub.js';
import { candidateAddresses } from './sdp.js';

const TOKEN = 'token-for-alpha';

describe('RoomHub signalling over HTTP', () => {
  let hub: RoomHub;
  let server: RoomServer;
  let base = '';
  let offer = '';
  let viewer: NodeViewer;

  beforeAll(async () => {
    server = await startRoomServer();
    ({ hub, baseUrl: base } = server);
    hub.create('alpha');
    viewer = new NodeViewer();
    offer = await viewer.offer();
  });

  afterAll(async () => {
    viewer.close();
    await server.close();
  });

  const post = (room: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/rooms/${room}/whep`, {
      method: 'POST',
      headers: { 'content-type': 'application/sdp', authorization: `Bearer ${TOKEN}`, ...headers },
      body,
    });

  async function expectError(response: Response, status: number, code: string) {
    expect(response.status).toBe(status);
    const body = (await response.json()) as { success: boolean; error: { code: string; message: string } };
    expect(body.success).toBe(false);
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(0);
    expect(JSON.stringify(body)).not.toContain(TOKEN);
  }

  it('answers 401 without a token and 403 with a wrong one', async () => {
    await expectError(await post('alpha', offer, { authorization: '' }), 401, 'ROOM_TOKEN_REQUIRED');
    await expectError(await post('alpha', offer, { authorization: 'Basic abc' }), 401, 'ROOM_TOKEN_REQUIRED');
    await expectError(
      await post('alpha', offer, { authorization: 'Bearer token-for-beta' }),
      403,
      'ROOM_TOKEN_INVALID',
    );
  });

  it('answers 404 for a room that does not exist, even with a token valid for that name', async () => {
    await expectError(
      await post('beta', offer, { authorization: 'Bearer token-for-beta' }),
      404,
      'ROOM_NOT_FOUND',
    );
  });

  it('answers 400 for a body that is not an SDP offer, and for one libwebrtc cannot parse', async () => {
    await expectError(await post('alpha', 'hello'), 400, 'INVALID_SDP');
    await expectError(await post('alpha', ''), 400, 'INVALID_SDP');
    const broken = offer.replace(/^m=video .*$/m, 'm=video banana UDP/TLS/RTP/SAVPF 96');
    await expectError(await post('alpha', broken), 400, 'INVALID_SDP');
    expect(hub.get('alpha')?.stats().pendingViewers).toBe(0);
  });

  it('answers 415 for another content type, 413 for a huge body and 405 for trickle PATCH', async () => {
    await expectError(
      await post('alpha', offer, { 'content-type': 'text/plain' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    await expectError(await post('alpha', `v=0\r\n${'a=x\r\n'.repeat(20_000)}`), 413, 'PAYLOAD_TOO_LARGE');
    const patch = await fetch(`${base}/rooms/alpha/whep/some-viewer`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(patch.headers.get('allow')).toBe('DELETE');
    await expectError(patch, 405, 'METHOD_NOT_ALLOWED');
  });

  it('answers GET on the room with its state while live, 404 once it has closed, 403 with a wrong token', async () => {
    const status = (room: string, token = `token-for-${room}`) =>
      fetch(`${base}/rooms/${room}/whep`, { headers: { authorization: `Bearer ${token}` } });
    hub.create('brief');
    const live = await status('brief');
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ state: 'live', viewers: 0 });
    await expectError(await status('brief', 'token-for-alpha'), 403, 'ROOM_TOKEN_INVALID');
    hub.get('brief')?.close();
    await expectError(await status('brief'), 404, 'ROOM_NOT_FOUND');
  });

  it('answers 404 when deleting a viewer that is not there', async () => {
    const response = await fetch(`${base}/rooms/alpha/whep/nobody`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    await expectError(response, 404, 'VIEWER_NOT_FOUND');
  });

  it('joins with 201 + an SDP answer offering only 127.0.0.1, then leaves with DELETE', async () => {
    const room = hub.get('alpha')!;
    const joined = new Promise((resolve) => room.once('viewer-joined', resolve));
    const response = await post('alpha', offer);
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/sdp');
    const location = response.headers.get('location') ?? '';
    expect(location).toMatch(/^\/rooms\/alpha\/whep\/[0-9a-f-]{36}$/);
    const answer = await response.text();
    expect(answer.startsWith('v=0')).toBe(true);
    const addresses = candidateAddresses(answer);
    expect(addresses.length).toBeGreaterThan(0);
    expect(new Set(addresses)).toEqual(new Set(['127.0.0.1']));
    await viewer.pc.setRemoteDescription({ type: 'answer', sdp: answer });
    await joined;
    expect(room.viewerCount).toBe(1);

    const left = new Promise((resolve) => room.once('viewer-left', resolve));
    const bye = await fetch(`${base}${location}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(bye.status).toBe(200);
    expect(await left).toMatchObject({ reason: 'left', viewers: 0 });
    expect(room.viewerCount).toBe(0);
  });

  it('serves the room page, which carries the signalling URL but not the token', async () => {
    const response = await fetch(`${base}/rooms/alpha?token=${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toContain('"whepUrl":"/rooms/alpha/whep"');
    expect(html).not.toContain(TOKEN);
  });
});
