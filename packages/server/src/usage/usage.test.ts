import { tables } from '@agenthuman/store';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { ADMIN_KEY, describeOnBothStores, type TestServer } from '../testing/test-server.js';

const backdate = (t: TestServer, sessionId: string, seconds: number) =>
  t.server.deps.store.db
    .update(tables.sessions)
    .set({ startedAt: new Date(Date.now() - seconds * 1000) })
    .where(eq(tables.sessions.id, sessionId));

describeOnBothStores(
  'usage and limits',
  (t) => {
    const create = (key: string, payload: object = { avatar: 'PUBLIC/Avatars/eileen' }) =>
      t().request({ method: 'POST', url: '/v1/sessions', key, payload });
    const end = (key: string, id: string) =>
      t().request({ method: 'POST', url: `/v1/sessions/${id}/end`, key });
    const usage = async (key: string) =>
      (await t().request({ method: 'GET', url: '/v1/usage', key })).json().usage;

    it('reports usage in the documented shape', async () => {
      const { key } = await t().newAccount('free');
      const u = await usage(key);
      const now = new Date();
      expect(u.period.start).toBe(
        new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString(),
      );
      expect(u).toMatchObject({
        included_minutes: { total: 5, used: 0, remaining: 5 },
        purchased_minutes: { total: 0, remaining: 0 },
        total_remaining: 5,
        active_sessions: [],
        active_minutes: 0,
        concurrency: { current: 0, max: 1, available: 1 },
        avatars: { limit: 0, used: 0, remaining: 0 },
        plan: { key: 'free', name: 'Free', max_session_duration: 10, will_renew: true },
      });
      const id = (await create(key)).json().session.session_id;
      const running = await usage(key);
      expect(running.active_sessions.map((s: { session_id: string }) => s.session_id)).toEqual([id]);
      expect(running.active_minutes).toBe(1);
      expect(running.concurrency).toEqual({ current: 1, max: 1, available: 0 });
    });

    it('refuses a session over the concurrency limit with 429 and details, and at start', async () => {
      const { key } = await t().newAccount('free');
      const waiting = (await create(key, { avatar_id: 'PUBLIC/Avatars/ada' })).json().session.session_id;
      const first = (await create(key)).json().session.session_id;
      const second = await create(key);
      expect(second.statusCode).toBe(429);
      expect(second.json().error).toMatchObject({
        code: 'CONCURRENCY_LIMIT_REACHED',
        details: { current: 1, max: 1, available: 0 },
      });
      const start = await t().request({ method: 'PUT', url: `/v1/sessions/${waiting}/start`, key });
      expect([start.statusCode, start.json().error.code]).toEqual([429, 'CONCURRENCY_LIMIT_REACHED']);
      await end(key, first);
      expect((await create(key)).statusCode).toBe(200);
    });

    it('charges ceil(minutes) on end, included first then purchased, and refuses with 402 when none are left', async () => {
      const { key, accountId } = await t().newAccount('free');
      await t().request({
        method: 'PUT',
        url: `/v1/admin/accounts/${accountId}`,
        key: ADMIN_KEY,
        payload: { add_purchased_minutes: 3 },
      });

      const a = (await create(key)).json().session.session_id;
      await backdate(t(), a, 4 * 60 + 30);
      const endedA = (await end(key, a)).json().session;
      expect(endedA.billing).toEqual({
        minutes_charged: 5,
        included_minutes_used: 5,
        purchased_minutes_used: 0,
      });
      expect(endedA.duration).toBeGreaterThanOrEqual(270);

      const b = (await create(key)).json();
      // Only the purchased 3 minutes are left, so the session may run 3 minutes, not the plan's 10.
      expect(b.usage.minutes.total_remaining).toBe(3);
      const expiresInMs = Date.parse(b.session.expiration) - Date.parse(b.session.started_at);
      expect(expiresInMs).toBe(3 * 60_000);
      await backdate(t(), b.session.session_id, 2 * 60 + 5);
      const endedB = (await end(key, b.session.session_id)).json().session;
      expect(endedB.billing).toEqual({
        minutes_charged: 3,
        included_minutes_used: 0,
        purchased_minutes_used: 3,
      });

      const u = await usage(key);
      expect(u).toMatchObject({
        included_minutes: { total: 5, used: 5, remaining: 0 },
        purchased_minutes: { total: 3, remaining: 0 },
        total_remaining: 0,
      });
      const refused = await create(key);
      expect(refused.statusCode).toBe(402);
      expect(refused.json().error).toMatchObject({
        code: 'INSUFFICIENT_MINUTES',
        message: 'No minutes remaining. Please purchase additional minutes or upgrade your plan.',
      });
    });

    it('the sweeper ends expired sessions with end_reason expired, billed up to the expiration', async () => {
      const { key } = await t().newAccount('pro');
      const id = (await create(key)).json().session.session_id;
      const keep = (await create(key)).json().session.session_id;
      const startedAt = new Date(Date.now() - 5 * 60_000);
      const expiration = new Date(Date.now() - 2 * 60_000);
      await t()
        .server.deps.store.db.update(tables.sessions)
        .set({ startedAt, expiration })
        .where(eq(tables.sessions.id, id));
      const ended = await t().server.sweeper.runOnce();
      expect(ended).toBeGreaterThanOrEqual(1);
      const session = (await t().request({ method: 'GET', url: `/v1/sessions/${id}`, key })).json().session;
      expect(session).toMatchObject({
        status: 'ended',
        end_reason: 'expired',
        ended_at: expiration.toISOString(),
        duration: 180,
      });
      expect(session.billing.minutes_charged).toBe(3);
      const other = (await t().request({ method: 'GET', url: `/v1/sessions/${keep}`, key })).json().session;
      expect(other.status).toBe('started');
    });
  },
  { env: { AGENTHUMAN_PLANS: '{"free":{"includedMinutes":5}}' } },
);
