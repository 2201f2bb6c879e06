/**
 * Issue 15 item 10: nothing a request carried as a secret reaches the log, even when a query fails and the
 * database driver's error holds the query's parameters (room tokens, customer room tokens, token hashes).
 */
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { describeOnBothStores } from '../testing/test-server.js';

const log: string[] = [];
const stream = new Writable({
  write(chunk, _encoding, done) {
    log.push(chunk.toString());
    done();
  },
});

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describeOnBothStores(
  'secrets never reach the log',
  (t) => {
    let key = '';
    let session = { session_id: '', session_token: '', room: { token: '' } };

    beforeAll(async () => {
      ({ key } = await t().newAccount('pro'));
      session = (
        await t().request({
          method: 'POST',
          url: '/v1/sessions',
          key,
          payload: { avatar_id: 'PUBLIC/Avatars/ada' },
        })
      ).json().session;
    });

    it('greps the log of failing and succeeding requests for every secret they carried', async () => {
      // A LiveKit access token (create checks the shape): header, claims and a signature no one else carries.
      const customerToken = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'customer-room-secret-4f9a1c' })}.c2VjcmV0LXNpZ25hdHVyZS00ZjlhMWM`;
      const { db } = t().server.deps.store;
      // A real failed query: every insert into sessions raises, so the driver's error carries the parameters.
      await db.execute(sql`create or replace function refuse_insert() returns trigger language plpgsql as
        $$ begin raise exception 'inserts refused by the test'; end $$`);
      await db.execute(
        sql`create trigger refuse_sessions before insert on sessions for each row execute function refuse_insert()`,
      );
      try {
        const failed = await t().request({
          method: 'POST',
          url: '/v1/sessions',
          key,
          payload: {
            avatar: 'PUBLIC/Avatars/ada',
            room: { platform: 'livekit', url: 'wss://lk.example.com', token: customerToken },
          },
        });
        expect(failed.statusCode).toBe(500);
        const seedShape = await t().request({
          method: 'POST',
          url: '/v1/sessions',
          key,
          payload: { avatar_id: 'PUBLIC/Avatars/ada', metadata: { note: 'x' } },
        });
        expect(seedShape.statusCode).toBe(500);
      } finally {
        await db.execute(sql`drop trigger refuse_sessions on sessions`);
      }
      await t().request({
        method: 'GET',
        url: `/v1/sessions/${session.session_id}/messages`,
        headers: { 'x-session-token': session.session_token },
      });
      await t().request({ method: 'GET', url: `/rooms/nowhere?token=${session.room.token}` });
      await t().request({
        method: 'POST',
        url: '/rooms/nowhere/whep',
        headers: { authorization: `Bearer ${session.room.token}`, 'content-type': 'application/sdp' },
        payload: 'v=0',
      });

      const text = log.join('');
      // The failure itself is logged (so operators see it), without its parameters.
      expect(text).toContain('inserts refused by the test');
      expect(text).toContain('params: [redacted]');
      expect(text).not.toMatch(/params: (?!\[redacted\])/);
      expect(text).not.toContain('"params":');
      for (const secret of [key, customerToken, session.session_token, session.room.token]) {
        expect(text).not.toContain(secret);
      }
      // The room token of the session whose insert failed: a signed token, recognisable by its payload.
      expect(text).not.toMatch(/eyJyb29tIjoi/);
    });
  },
  { server: { logger: { level: 'info', stream } } },
);
