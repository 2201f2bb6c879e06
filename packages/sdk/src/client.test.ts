import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentHuman } from './client.js';
import {
  type AgentHumanError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  NotFoundError,
} from './errors.js';
import { type ListeningServer, startListeningServer } from './testing/listening-server.js';

const AVATAR = 'PUBLIC/Avatars/eileen';

let server: ListeningServer;
let client: AgentHuman;

beforeAll(async () => {
  server = await startListeningServer();
  const { key } = await server.newAccount('enterprise');
  client = new AgentHuman({ baseUrl: server.url, apiKey: key });
});
afterAll(() => server.close());

const caught = async (promise: Promise<unknown>): Promise<AgentHumanError> => {
  try {
    await promise;
  } catch (error) {
    return error as AgentHumanError;
  }
  throw new Error('expected the call to fail');
};

describe('AgentHuman sessions', () => {
  it('creates, starts, gets, ends a session and reports its billing', async () => {
    const created = await client.sessions.create({ avatar_id: AVATAR, metadata: { order: 1 } });
    expect(created.session.status).toBe('created');
    expect(created.session.session_token).toMatch(/^st_/);
    expect(created.usage.concurrency.current).toBeGreaterThanOrEqual(0);

    const started = await client.sessions.start(created.session.session_id);
    expect(started.ws_uri).toContain(`session_id=${created.session.session_id}`);
    expect((await client.sessions.get(created.session.session_id)).status).toBe('started');

    const ended = await client.sessions.end(created.session.session_id);
    expect(ended.session.status).toBe('ended');
    expect(ended.session.end_reason).toBe('client');
    // A few seconds of use at most (more on a loaded machine): a whole minute at most, from the included ones.
    expect(ended.session.duration).toBeLessThan(60);
    const charged = ended.session.billing?.minutes_charged ?? -1;
    expect(charged === 0 || charged === 1).toBe(true);
    expect(ended.session.billing).toEqual({
      minutes_charged: charged,
      included_minutes_used: charged,
      purchased_minutes_used: 0,
    });
    expect(ended.session.metadata).toEqual({ order: 1 });
  });

  it('iterates over every page newest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await client.sessions.create({ avatar_id: AVATAR })).session.session_id);
    const page = await client.sessions.list({ status: 'created', limit: 2 });
    expect(page.sessions).toHaveLength(2);
    expect(page.has_more).toBe(true);

    const seen: string[] = [];
    for await (const session of client.sessions.iterate({ status: 'created', limit: 2 })) {
      seen.push(session.session_id);
    }
    expect(seen.slice(0, 5)).toEqual([...ids].reverse());
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of ids) await client.sessions.delete(id);
    expect((await client.sessions.list({ status: 'created' })).sessions).toHaveLength(0);
  });

  it('rebuilds typed errors from the wire: code, status, field and suggestion', async () => {
    const missing = await caught(client.sessions.get('sess_nope'));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing.status).toBe(404);
    expect(missing.code).toBe('SESSION_NOT_FOUND');

    const invalid = await caught(
      client.sessions.create({ avatar_id: AVATAR, aspect_ratio: '16:9' as never }),
    );
    expect(invalid).toBeInstanceOf(BadRequestError);
    expect(invalid.code).toBe('VALIDATION_ERROR');
    expect(invalid.field).toBe('aspect_ratio');

    const created = await client.sessions.create({ avatar_id: AVATAR });
    const conflict = await caught(client.sessions.end(created.session.session_id));
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(conflict.code).toBe('SESSION_NOT_STARTED');
    expect(conflict.suggestion).toMatch(/DELETE/);
    await client.sessions.delete(created.session.session_id);
  });

  it('asks for a recording: 409 RECORDING_NOT_READY before it exists, 404 RECORDING_NOT_FOUND when not recorded', async () => {
    const recorded = await client.sessions.create({ avatar_id: AVATAR, record: true });
    expect(recorded.session.record).toBe(true);
    const notReady = await caught(client.sessions.recording(recorded.session.session_id));
    expect(notReady).toBeInstanceOf(ConflictError);
    expect(notReady.code).toBe('RECORDING_NOT_READY');
    const plain = await client.sessions.create({ avatar_id: AVATAR });
    const notRecorded = await caught(client.sessions.recording(plain.session.session_id));
    expect(notRecorded).toBeInstanceOf(NotFoundError);
    expect(notRecorded.code).toBe('RECORDING_NOT_FOUND');
    for (const id of [recorded.session.session_id, plain.session.session_id])
      await client.sessions.delete(id);
  });
});

describe('AgentHuman auth and keys', () => {
  it('maps the bare-string 401 bodies to codes', async () => {
    const anonymous = new AgentHuman({ baseUrl: server.url });
    const required = await caught(anonymous.usage.get());
    expect(required).toBeInstanceOf(AuthenticationError);
    expect(required.code).toBe('API_KEY_REQUIRED');

    const wrong = new AgentHuman({ baseUrl: server.url, apiKey: 'ah_test_00000000000000000000000000000000' });
    const invalid = await caught(wrong.usage.get());
    expect(invalid.code).toBe('INVALID_API_KEY');
    expect(invalid.suggestion).toBeTruthy();
  });

  it('creates a key shown once, deactivates it, and deletes it', async () => {
    const created = await client.apiKeys.create({ name: 'ci', environment: 'test' });
    expect(created.key).toMatch(/^ah_test_[0-9A-Za-z]{32}$/);
    const listed = await client.apiKeys.list();
    const row = listed.find((k) => k.key_id === created.key_id);
    expect(row?.status).toBe('active');
    expect(JSON.stringify(listed)).not.toContain(created.key);

    const other = new AgentHuman({ baseUrl: server.url, apiKey: created.key });
    expect((await other.usage.get()).plan.key).toBe('enterprise');
    expect((await client.apiKeys.deactivate(created.key_id)).status).toBe('deactivated');
    expect((await caught(other.usage.get())).code).toBe('API_KEY_DEACTIVATED');

    await client.apiKeys.delete(created.key_id);
    expect((await client.apiKeys.list()).some((k) => k.key_id === created.key_id)).toBe(false);
    expect((await caught(client.apiKeys.delete(created.key_id))).code).toBe('API_KEY_NOT_FOUND');
  });
});

describe('AgentHuman usage and agents', () => {
  it('reads usage with its period and concurrency', async () => {
    const usage = await client.usage.get();
    expect(Date.parse(usage.period.end)).toBeGreaterThan(Date.parse(usage.period.start));
    expect(usage.concurrency.max).toBeNull();
    expect(client.rateLimit?.limit).toBe(100000);
  });

  it('creates, lists and gets agents', async () => {
    const agent = await client.agents.create({ name: 'Support', avatar_id: AVATAR, context: 'Be brief.' });
    expect(agent.agent_id).toMatch(/^agnt_/);
    expect((await client.agents.get(agent.agent_id)).name).toBe('Support');
    expect((await client.agents.list()).map((a) => a.agent_id)).toContain(agent.agent_id);
    const missing = await caught(client.agents.get('agnt_missing'));
    expect(missing.code).toBe('AGENT_NOT_FOUND');
  });
});
