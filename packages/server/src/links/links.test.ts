import { expect, it } from 'vitest';
import { describeOnBothStores, type TestServer } from '../testing/test-server.js';

const KNOWLEDGE = 'Our support line is open from 8 am to 8 pm every day.';

async function agentOf(t: TestServer, key: string, name = 'Linky') {
  const res = await t.request({
    method: 'POST',
    url: '/v1/agents',
    key,
    payload: { name, knowledge: KNOWLEDGE, avatar_id: 'PUBLIC/Avatars/nora' },
  });
  return res.json().agent.agent_id as string;
}

// Each start from its own address unless one is given (the per-IP limit is 3 in these tests).
let nextIp = 1;
const start = (
  t: TestServer,
  payload: unknown,
  ip = `10.9.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`,
) =>
  t.request({
    method: 'POST',
    url: '/v1/links/start-session',
    payload: payload as object,
    remoteAddress: ip,
  });

describeOnBothStores(
  'links API',
  (t) => {
    it('creates, lists, gets, updates and deletes links; start-session counts successful starts', async () => {
      const { key } = await t().newAccount('pro');
      const agentId = await agentOf(t(), key);
      const res = await t().request({
        method: 'POST',
        url: '/v1/links',
        key,
        payload: { agent_id: agentId, name: 'Demo', use_limit: 5 },
      });
      expect(res.statusCode).toBe(200);
      const link = res.json().link;
      expect(link).toMatchObject({
        name: 'Demo',
        status: 'active',
        uses: 0,
        use_limit: 5,
        expires_at: null,
        agent: { agent_id: agentId, name: 'Linky' },
      });
      expect(link.link_id).toMatch(/^lnk_[0-9A-Z]{26}$/);
      expect(link.url).toBe(`http://api.test/s/${link.link_id}`);
      const unnamed = (
        await t().request({ method: 'POST', url: '/v1/links', key, payload: { agent_id: agentId } })
      ).json().link;
      expect(unnamed.name).toMatch(/^Link \d{4}-\d\d-\d\d/);

      const started = await start(t(), { link_id: link.link_id, aspect_ratio: '16:9' });
      expect(started.statusCode).toBe(200);
      const body = started.json();
      expect(body.session_id).toMatch(/^sess_/);
      expect(body.session_type).toBe('agent_video');
      expect(body.room).toMatchObject({ platform: 'builtin' });
      expect(body.room.url).toMatch(/^http:\/\/api\.test\/rooms\/ah-/);
      expect(body.livekit_url).toBeUndefined();
      expect(body.x).toBeUndefined();
      const session = (
        await t().request({ method: 'GET', url: `/v1/sessions/${body.session_id}`, key })
      ).json().session;
      expect(session).toMatchObject({ status: 'started', agent_id: agentId, aspect_ratio: '4:3' });
      // The page can talk to the agent with the session token alone.
      const reply = await t().request({
        method: 'POST',
        url: `/v1/sessions/${body.session_id}/messages`,
        headers: { 'x-session-token': body.session_token },
        payload: { message: 'When is your support line open?' },
      });
      expect(reply.json().reply.text).toContain('8 am to 8 pm');
      // The reply was spoken in the session's live room: its media now runs; ending frees it.
      expect(t().server.live.get(body.session_id)).toBeDefined();
      await t().request({ method: 'POST', url: `/v1/sessions/${body.session_id}/end`, key });
      expect(t().server.live.get(body.session_id)).toBeUndefined();

      const chat = await start(t(), { link_id: link.link_id, session_type: 'agent_chat' });
      expect(chat.json()).toMatchObject({ session_type: 'agent_chat', room: null });
      expect(
        (await t().request({ method: 'GET', url: `/v1/links/${link.link_id}`, key })).json().link.uses,
      ).toBe(2);

      const listed = (await t().request({ method: 'GET', url: '/v1/links', key })).json().links;
      expect(listed.map((l: { link_id: string }) => l.link_id)).toEqual([unnamed.link_id, link.link_id]);
      const paused = await t().request({
        method: 'PUT',
        url: `/v1/links/${link.link_id}`,
        key,
        payload: { status: 'paused', name: 'Paused demo' },
      });
      expect(paused.json().link).toMatchObject({ status: 'paused', name: 'Paused demo', use_limit: 5 });
      const onlyPaused = (await t().request({ method: 'GET', url: '/v1/links?status=paused', key })).json()
        .links;
      expect(onlyPaused.map((l: { link_id: string }) => l.link_id)).toEqual([link.link_id]);
      const refused = await start(t(), { link_id: link.link_id });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe('LINK_PAUSED');

      const foreign = await t().newAccount('pro');
      expect(
        (await t().request({ method: 'GET', url: `/v1/links/${link.link_id}`, key: foreign.key })).statusCode,
      ).toBe(404);
      const deleted = await t().request({ method: 'DELETE', url: `/v1/links/${link.link_id}`, key });
      expect(deleted.json()).toEqual({ success: true, message: 'Link deleted successfully' });
      const gone = await start(t(), { link_id: link.link_id });
      expect(gone.statusCode).toBe(404);
      expect(gone.json().error.code).toBe('LINK_NOT_FOUND');
    });

    it('refuses expired links and links at their use limit, counting concurrent starts exactly', async () => {
      const { key } = await t().newAccount('pro');
      const agentId = await agentOf(t(), key);
      const limited = (
        await t().request({
          method: 'POST',
          url: '/v1/links',
          key,
          payload: { agent_id: agentId, use_limit: 3 },
        })
      ).json().link;
      const attempts = await Promise.all(
        Array.from({ length: 6 }, (_, i) => start(t(), { link_id: limited.link_id }, `198.51.100.${i + 1}`)),
      );
      expect(attempts.filter((r) => r.statusCode === 200)).toHaveLength(3);
      for (const r of attempts.filter((r) => r.statusCode !== 200)) {
        expect(r.statusCode).toBe(403);
        expect(r.json().error.code).toBe('LINK_USE_LIMIT_REACHED');
      }
      const after = (await t().request({ method: 'GET', url: `/v1/links/${limited.link_id}`, key })).json()
        .link;
      expect(after).toMatchObject({ uses: 3, status: 'expired' });
      const tooLow = await t().request({
        method: 'PUT',
        url: `/v1/links/${limited.link_id}`,
        key,
        payload: { use_limit: 3 },
      });
      expect(tooLow.statusCode).toBe(400);
      expect(tooLow.json().error.details.field).toBe('use_limit');
      const raised = await t().request({
        method: 'PUT',
        url: `/v1/links/${limited.link_id}`,
        key,
        payload: { use_limit: 4 },
      });
      expect(raised.json().link.status).toBe('active');

      const soon = new Date(Date.now() + 1500).toISOString();
      const expiring = (
        await t().request({
          method: 'POST',
          url: '/v1/links',
          key,
          payload: { agent_id: agentId, expires_at: soon },
        })
      ).json().link;
      expect((await start(t(), { link_id: expiring.link_id })).statusCode).toBe(200);
      await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(soon) + 50 - Date.now())));
      const expired = await start(t(), { link_id: expiring.link_id });
      expect(expired.statusCode).toBe(403);
      expect(expired.json().error.code).toBe('LINK_EXPIRED');
      const expiredList = (await t().request({ method: 'GET', url: '/v1/links?status=expired', key })).json()
        .links;
      expect(expiredList.map((l: { link_id: string }) => l.link_id)).toEqual([expiring.link_id]);

      // A start that fails (the owner is at its concurrency limit) does not use the link up.
      const free = await t().newAccount('free');
      const freeAgent = await agentOf(t(), free.key);
      const freeLink = (
        await t().request({
          method: 'POST',
          url: '/v1/links',
          key: free.key,
          payload: { agent_id: freeAgent },
        })
      ).json().link;
      expect((await start(t(), { link_id: freeLink.link_id })).statusCode).toBe(200);
      const busy = await start(t(), { link_id: freeLink.link_id });
      expect(busy.statusCode).toBe(429);
      expect(busy.json().error.code).toBe('CONCURRENCY_LIMIT_REACHED');
      const freeAfter = (
        await t().request({ method: 'GET', url: `/v1/links/${freeLink.link_id}`, key: free.key })
      ).json().link;
      expect(freeAfter.uses).toBe(1);

      // Deleting the agent stops its links at once.
      await t().request({ method: 'DELETE', url: `/v1/agents/${agentId}`, key });
      expect((await start(t(), { link_id: limited.link_id })).statusCode).toBe(404);
    });

    it('limits public starts per client IP, with or without an API key', async () => {
      const { key } = await t().newAccount('pro');
      const agentId = await agentOf(t(), key);
      const link = (
        await t().request({ method: 'POST', url: '/v1/links', key, payload: { agent_id: agentId } })
      ).json().link;
      const ip = '192.0.2.99';
      const results = [];
      for (let i = 0; i < 4; i++) {
        results.push(
          await t().request({
            method: 'POST',
            url: '/v1/links/start-session',
            payload: { link_id: link.link_id },
            remoteAddress: ip,
            headers: { 'x-api-key': `ah_test_${String(i).padStart(32, 'x')}` },
          }),
        );
      }
      expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 429]);
      expect(results[3]!.headers['x-ratelimit-limit']).toBe('3');

      const other = await start(t(), { link_id: link.link_id }, '192.0.2.100');
      expect(other.statusCode, other.body).toBe(200);
      const missing = await start(t(), {}, '192.0.2.101');
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.details.field).toBe('link_id');
    });

    it('serves the public page that starts the session, and refuses unknown or paused links', async () => {
      const { key } = await t().newAccount('pro');
      const agentId = await agentOf(t(), key, 'Page <Agent>');
      const link = (
        await t().request({ method: 'POST', url: '/v1/links', key, payload: { agent_id: agentId } })
      ).json().link;
      const page = await t().request({ method: 'GET', url: `/s/${link.link_id}` });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.body).toContain('Page &lt;Agent&gt;');
      expect(page.body).toContain('/v1/links/start-session');
      const nonce = /script-src 'nonce-([^']+)'/.exec(String(page.headers['content-security-policy']))?.[1];
      expect(page.body).toContain(`<script nonce="${nonce}">`);
      expect((await t().request({ method: 'GET', url: '/s/lnk_NOPE' })).statusCode).toBe(404);
      await t().request({
        method: 'PUT',
        url: `/v1/links/${link.link_id}`,
        key,
        payload: { status: 'paused' },
      });
      const paused = await t().request({ method: 'GET', url: `/s/${link.link_id}` });
      expect(paused.statusCode).toBe(403);
      expect(paused.body).toContain('This link is paused');
    });
  },
  { env: { AGENTHUMAN_LINK_START_RATE_LIMIT: '3' } },
);
