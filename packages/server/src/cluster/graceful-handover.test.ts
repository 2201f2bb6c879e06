/**
 * Issue 14 follow-up: a worker stopped gracefully (SIGTERM) hands its LiveKit-room sessions to another worker
 * before it leaves, instead of ending them `shutdown`: the avatar is back in the room from the other worker
 * (same identity), the session is not ended, and the client's socket through the API stays open and is carried
 * to the new worker. Real LiveKit server, one API process and two workers on loopback, PostgreSQL, Redis.
 */
import { postgresUnavailableReason } from '@agenthuman/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pcmBase64, tone, WsTestClient } from '../live/testing/ws-test-client.js';
import { AVATAR_IDENTITY } from '../rooms/livekit-rooms.js';
import { owns, stopGracefully } from '../testing/cluster.js';
import { livekitServerMissing } from '../testing/livekit-server.js';
import {
  createClusterSession,
  startTestCluster,
  type TestCluster,
  waitForAvatarInRoom,
} from '../testing/test-cluster.js';

const unavailable = postgresUnavailableReason() ?? livekitServerMissing();

describe.skipIf(Boolean(unavailable))('scale-out: a gracefully stopped worker hands sessions over', () => {
  let cluster: TestCluster;
  let client: WsTestClient | undefined;

  beforeAll(async () => {
    cluster = await startTestCluster({ livekitRooms: true });
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await cluster?.stop();
  }, 60_000);

  it('SIGTERM: the LiveKit session resumes on the other worker, not ended, its socket carried over', async () => {
    const { api, store, workers } = cluster;
    const livekit = cluster.livekit!;
    const key = await cluster.accountKey('handover');
    const session = await createClusterSession(cluster, key, { avatar: 'PUBLIC/Avatars/ada' });
    const first = await waitForAvatarInRoom(livekit, session.room.name, 30_000);

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
    // Handed over before it left: the new owner is recorded by the time the process has exited.
    const row = (await store.sessions.findById(session.session_id))!;
    expect(row.endedAt).toBeNull();
    expect(owns(survivor, row.mediaOwner)).toBe(true);
    const again = await waitForAvatarInRoom(livekit, session.room.name, 10_000, first.sid);
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
