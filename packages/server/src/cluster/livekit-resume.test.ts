/**
 * Issue 14: a session whose room is a LiveKit room outlives its worker. kill -9 of the worker running the
 * avatar → the avatar rejoins the room from the other worker (same identity) within 10 s and the session is
 * not ended. Real LiveKit server, one API process and two workers on loopback, PostgreSQL, Redis.
 */
import { postgresUnavailableReason } from '@agenthuman/store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AVATAR_IDENTITY } from '../rooms/livekit-rooms.js';
import { killHard, owns } from '../testing/cluster.js';
import { livekitServerMissing } from '../testing/livekit-server.js';
import {
  createClusterSession,
  startTestCluster,
  type TestCluster,
  waitForAvatarInRoom,
} from '../testing/test-cluster.js';

const unavailable = postgresUnavailableReason() ?? livekitServerMissing();

describe.skipIf(Boolean(unavailable))(
  'scale-out: a LiveKit-room session resumes on a surviving worker',
  () => {
    let cluster: TestCluster;

    beforeAll(async () => {
      cluster = await startTestCluster({ livekitRooms: true });
    }, 120_000);

    afterAll(async () => {
      await cluster?.stop();
    }, 60_000);

    it('rejoins the room from the other worker within 10 s, same identity, session not ended', async () => {
      const { store, workers } = cluster;
      const livekit = cluster.livekit!;
      const key = await cluster.accountKey('resume');
      const session = await createClusterSession(cluster, key, { avatar: 'PUBLIC/Avatars/ada' });
      const first = await waitForAvatarInRoom(livekit, session.room.name, 30_000);
      const owner = (await store.sessions.findById(session.session_id))!.mediaOwner;
      const victim = workers.find((w) => owns(w, owner))!;
      const survivor = workers.find((w) => w !== victim)!;
      expect(victim).toBeDefined();

      await killHard(victim);
      const killedAt = Date.now();
      const again = await waitForAvatarInRoom(livekit, session.room.name, 15_000, first.sid);
      const gapMs = Date.now() - killedAt;
      expect(again.identity).toBe(AVATAR_IDENTITY);
      expect(gapMs).toBeLessThan(10_000);
      const row = (await store.sessions.findById(session.session_id))!;
      expect(row.endedAt).toBeNull();
      expect(owns(survivor, row.mediaOwner)).toBe(true);
    }, 60_000);
  },
);

describe.skipIf(!unavailable)('scale-out: LiveKit resume', () => {
  it('needs PostgreSQL and the LiveKit server binary', () => {
    throw new Error(unavailable);
  });
});
