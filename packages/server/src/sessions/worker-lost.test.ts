/**
 * Issue 15 item 1: a session whose media ran in a process killed with SIGKILL ends `worker_lost` (at the next
 * start-up, or from the sweeper), billed to its last media heartbeat, and frees its concurrency slot.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serversForEachTest } from '@agenthuman/server/testing/server-fixture';
import type { TestDatabase } from '@agenthuman/store/testing';
import { describeEachBackend } from '@agenthuman/store/testing/store-fixture';
import { afterEach, expect, it } from 'vitest';
import { testServerEnv } from '../testing/test-server.js';

const childMain = fileURLToPath(new URL('../testing/serve-child-main.ts', import.meta.url));

type ChildSession = { sessionId: string; key: string; accountId: string };

async function serveInChild(database: TestDatabase): Promise<{ child: ChildProcess; session: ChildSession }> {
  const child = spawn(process.execPath, ['--import', 'tsx', childMain], {
    env: {
      ...process.env,
      ...testServerEnv(database, { AGENTHUMAN_RENDER_WORKERS: '1', AGENTHUMAN_LOG_LEVEL: 'silent' }),
      TEST_HEARTBEAT_MS: '200',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const session = await new Promise<ChildSession>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as ChildSession);
    });
    child.once('exit', (code) => reject(new Error(`server child exited early (${code})`)));
  });
  return { child, session };
}

const killHard = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

describeEachBackend('crash leftovers', (backend) => {
  const servers = serversForEachTest();
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
  });

  it('ends a killed process’s sessions worker_lost, billed to the last heartbeat, freeing the slot', async () => {
    const database = await servers.database(backend);
    const started = await serveInChild(database);
    child = started.child;
    const { sessionId, key } = started.session;
    await killHard(child);
    const killedAt = Date.now();
    // Long enough that billing to "now" (or to the expiration) would differ from billing to the last beat.
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    // PGlite: the new process holds the directory alone, so start-up ends the leftovers at once. PostgreSQL:
    // other processes may be alive, so only owners silent past the threshold (1 s here, 15 s by default).
    const server = await servers.start(backend, {
      database,
      server: { mediaHeartbeat: { lostAfterMs: 1_000 } },
    });
    const stored = await server.server.deps.store.sessions.findById(sessionId);
    expect(stored?.endReason).toBe('worker_lost');
    expect(stored?.mediaHeartbeatAt).toBeInstanceOf(Date);
    expect(stored!.endedAt!.getTime()).toBe(stored!.mediaHeartbeatAt!.getTime());
    expect(stored!.endedAt!.getTime()).toBeLessThanOrEqual(killedAt);
    expect(stored!.endedAt!.getTime()).toBeLessThan(stored!.expiration!.getTime());

    const view = (await server.request({ method: 'GET', url: `/v1/sessions/${sessionId}`, key })).json()
      .session;
    expect(view).toMatchObject({ status: 'ended', end_reason: 'worker_lost' });
    const seconds = Math.round((stored!.endedAt!.getTime() - stored!.startedAt!.getTime()) / 1000);
    expect(view.duration).toBe(seconds);
    expect(view.billing.minutes_charged).toBe(Math.ceil(seconds / 60));

    // The free plan's one concurrency slot is free again.
    const next = await server.request({
      method: 'POST',
      url: '/v1/sessions',
      key,
      payload: { avatar_id: 'PUBLIC/Avatars/ada' },
    });
    expect(next.statusCode, next.body).toBe(200);
    const running = await server.request({
      method: 'PUT',
      url: `/v1/sessions/${next.json().session.session_id}/start`,
      key,
    });
    expect(running.statusCode, running.body).toBe(200);
  }, 180_000);

  it('the sweeper ends only sessions whose owner went silent, never this process’s own', async () => {
    const server = await servers.start(backend, { server: { mediaHeartbeat: { lostAfterMs: 15_000 } } });
    const { key } = await server.newAccount('pro');
    const create = async () =>
      (
        await server.request({
          method: 'POST',
          url: '/v1/sessions',
          key,
          payload: { avatar: 'PUBLIC/Avatars/kai' },
        })
      ).json().session.session_id as string;
    const [alive, silent] = [await create(), await create()];
    const { store } = server.server.deps;
    const lastBeat = new Date(Date.now() - 20_000);
    await store.sessions.recordMediaHeartbeat([alive], 'other-host:1:aaaa', new Date());
    await store.sessions.recordMediaHeartbeat([silent], 'other-host:2:bbbb', lastBeat);

    expect(await server.server.sweeper.runOnce()).toBe(1);
    expect((await store.sessions.findById(alive))?.endedAt).toBeNull();
    const ended = await store.sessions.findById(silent);
    expect(ended?.endReason).toBe('worker_lost');
    // Started ~now, last beat 20 s "ago": billed from its start, never before it.
    expect(ended!.endedAt!.getTime()).toBe(ended!.startedAt!.getTime());
  });
});
