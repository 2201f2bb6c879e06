/**
 * Recordings through the real server: a session created with `record: true` speaks ~30 s of PCM over the
 * WebSocket; its MP4 (Debian ffprobe/ffmpeg read it back) lasts as long as what the session published, its
 * audio clicks sit where the session published them, and the signed URL downloads it without an API key
 * (forged or expired URLs are refused). A server killed with SIGKILL mid-recording leaves a partial recording
 * that the next start-up stores.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AudioChunk, VideoFrame } from '@agenthuman/engine/live';
import { clickTimes, fileZeroS, probeRecording } from '@agenthuman/engine/testing';
import { serversForEachTest } from '@agenthuman/server/testing/server-fixture';
import { describeEachBackend } from '@agenthuman/store/testing/store-fixture';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { pcmBase64, WsTestClient } from '../live/testing/ws-test-client.js';
import { type TestServer, testServerEnv } from '../testing/test-server.js';
import { recordingFilePath } from './recording-files.js';

const dir = mkdtempSync(join(tmpdir(), 'recordings-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** FAKE room: notes the pts of what the session published (last frame, click onsets). */
class PublishedTap {
  lastVideoPts = 0;
  readonly clicks: number[] = [];
  #loudUntil = -Infinity;
  writeVideo(frame: VideoFrame): void {
    this.lastVideoPts = frame.ptsMs;
  }
  writeAudio(chunk: AudioChunk): void {
    chunk.pcm.forEach((sample, i) => {
      if (Math.abs(sample) < 8000) return;
      const at = chunk.ptsMs + i / 16;
      if (at - this.#loudUntil > 200) this.clicks.push(at);
      this.#loudUntil = at;
    });
  }
}

/** One second of speech-like audio: a 150 ms loud click-tone, then a quiet 180 Hz hum (below click level). */
function secondWithClick(): Int16Array {
  return Int16Array.from({ length: 16_000 }, (_, i) =>
    i < 2400
      ? Math.floor(i / 16) % 2 === 0
        ? 20000
        : -20000
      : Math.round(3000 * Math.sin((2 * Math.PI * 180 * i) / 16_000)),
  );
}

async function waitFor<T>(
  read: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(100);
  }
}

/** Downloads a recording by its signed URL (no API key) into the test's folder. */
async function downloadRecording(server: TestServer, signedUrl: string, name: string) {
  const url = new URL(signedUrl);
  const download = await server.request({ method: 'GET', url: url.pathname + url.search });
  expect(download.statusCode).toBe(200);
  const file = join(dir, name);
  writeFileSync(file, download.rawPayload);
  return { url, download, file };
}

/**
 * What a process on another host leaves: a recorded session's row `recording` (owned there, its file at
 * `tempPath`), its session ended worker_lost. Returns the session id.
 */
async function abandonRecording(
  t: TestServer,
  { key, accountId }: { key: string; accountId: string },
  tempPath: string | null,
): Promise<string> {
  const created = await t.request({
    method: 'POST',
    url: '/v1/sessions',
    key,
    payload: { avatar_id: 'PUBLIC/Avatars/ada', record: true },
  });
  const id = created.json().session.session_id;
  await t.server.deps.store.recordings.start({
    sessionId: id,
    accountId,
    owner: 'other-host:1:dead',
    tempPath,
  });
  await t.request({ method: 'PUT', url: `/v1/sessions/${id}/start`, key });
  await t.server.deps.lifecycle.end(id, 'worker_lost');
  return id;
}

describe('recordings: a 30 s session [pglite]', () => {
  const servers = serversForEachTest();

  it('records a 30 s speaking session to an MP4 that matches what it published, behind a signed URL', async () => {
    const server = await servers.start('pglite', { server: { startMediaWithSession: true } });
    const wsUrl = `${(await server.server.listen()).replace(/^http/, 'ws')}/ws`;
    const { key } = await server.newAccount();
    const created = await server.request({
      method: 'POST',
      url: '/v1/sessions',
      key,
      payload: { avatar: 'PUBLIC/Avatars/ada', record: true },
    });
    expect(created.statusCode, created.body).toBe(200);
    const session = created.json().session;
    expect(session.record).toBe(true);
    const id: string = session.session_id;
    const live = await waitFor(() => server.server.live.get(id));
    const tap = new PublishedTap();
    live.avatar.attach({ video: tap, audio: tap });

    const notReady = await server.request({ method: 'GET', url: `/v1/sessions/${id}/recording`, key });
    expect(notReady.statusCode).toBe(409);
    expect(notReady.json().error).toMatchObject({
      code: 'RECORDING_NOT_READY',
      details: { status: 'recording' },
    });

    const client = await WsTestClient.open(`${wsUrl}?session_id=${id}`);
    client.send({ type: 'session.init', session_id: id, session_token: session.session_token });
    await client.next('connection.established');
    // Real-time pace, a little ahead: the queue never runs dry, so the clicks are exactly 1 s apart.
    for (let second = 0; second < 30; second++) {
      client.send({ type: 'agent.speak', audio: pcmBase64(secondWithClick()), sample_rate: 16_000 });
      await sleep(second === 0 ? 200 : 1000);
    }
    await client.next('avatar.speaking.stopped', 15_000);
    // The file's zero: the first frame the session published (the recorder was attached before it).
    const startPts = server.server.recordings.get(id)!.stats.startPtsMs!;
    const ended = await server.request({ method: 'POST', url: `/v1/sessions/${id}/end`, key });
    expect(ended.statusCode, ended.body).toBe(200);
    client.socket.close();

    const recording = await waitFor(async () => {
      const res = await server.request({ method: 'GET', url: `/v1/sessions/${id}/recording`, key });
      return res.statusCode === 200 ? res.json().recording : undefined;
    });
    expect(recording).toMatchObject({
      status: 'ready',
      content_type: 'video/mp4',
      partial: false,
      failure: null,
    });
    const published = (tap.lastVideoPts + 40 - startPts) / 1000;
    expect(Math.abs(recording.duration - published)).toBeLessThanOrEqual(0.2);

    // The signed URL needs no API key.
    const { url, download, file } = await downloadRecording(server, recording.url, `${id}.mp4`);
    expect(download.headers['content-type']).toBe('video/mp4');
    expect(download.rawPayload.length).toBe(recording.size);

    const probe = probeRecording(file);
    expect(probe.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort()).toEqual([
      'audio:aac',
      'video:h264',
    ]);
    expect(Math.abs(probe.formatDurationS - published)).toBeLessThanOrEqual(0.2);
    // Every video frame the session published is in the file (pts 0, 40, …).
    expect(Math.abs(probe.videoTimesS.length - published * 25)).toBeLessThanOrEqual(2);
    // A/V: every click where the session played it, measured on the file's video frame grid (frame n at
    // zero + 40·n ms): the offset between the audio and the video of the file.
    const clicks = clickTimes(probe.audio, probe.audioStartS - fileZeroS(probe));
    expect(tap.clicks.length).toBe(30);
    expect(clicks.length).toBe(30);
    const signed = clicks.map((at, i) => Math.round((at * 1000 - (tap.clicks[i]! - startPts)) * 10) / 10);
    const errors = signed.map(Math.abs);
    console.log(
      `server recording ${probe.formatDurationS.toFixed(3)} s (published ${published.toFixed(3)} s, ` +
        `${probe.videoTimesS.length} frames); A/V offset of the 30 clicks against the video frame grid: ${Math.min(...signed)} to ${Math.max(...signed)} ms`,
    );
    for (const error of errors) expect(error).toBeLessThanOrEqual(40);

    // Forged and expired URLs are refused with codes; a foreign account sees an unknown session. The forgery
    // changes the signature's first character to another one (a fixed 'A' left 1 in 64 signatures as they were).
    const forged = await server.request({
      method: 'GET',
      url: `${url.pathname}${url.search.replace(/sig=(.)/, (_, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`)}`,
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.code).toBe('INVALID_SIGNATURE');
    const expired = new URL(server.server.deps.media.signer.shortUrl(recordingFilePath(id), -5));
    const late = await server.request({ method: 'GET', url: expired.pathname + expired.search });
    expect(late.statusCode).toBe(403);
    expect(late.json().error.code).toBe('LINK_EXPIRED');
    const other = await server.newAccount();
    const foreign = await server.request({
      method: 'GET',
      url: `/v1/sessions/${id}/recording`,
      key: other.key,
    });
    const unknown = await server.request({
      method: 'GET',
      url: '/v1/sessions/sess_01JUNKNOWN0000000000000000/recording',
      key: other.key,
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).toBe(unknown.body);
  }, 120_000);
});

describeEachBackend('recordings', (backend) => {
  const servers = serversForEachTest();
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
  });

  it('refuses record on agent_chat and answers RECORDING_NOT_FOUND for sessions not recorded', async () => {
    const t = await servers.start(backend);
    const { key } = await t.newAccount();
    const agent = await t.request({
      method: 'POST',
      url: '/v1/agents',
      key,
      payload: { name: 'Recorder', record: true },
    });
    expect(agent.json().agent.record).toBe(true);
    const chat = await t.request({
      method: 'POST',
      url: '/v1/sessions',
      key,
      payload: { agent_id: agent.json().agent.agent_id, session_type: 'agent_chat', record: true },
    });
    expect(chat.statusCode).toBe(400);
    expect(chat.json().error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'record' } });
    // The agent's setting applies to its (media) sessions.
    const voice = await t.request({
      method: 'POST',
      url: '/v1/sessions',
      key,
      payload: { agent_id: agent.json().agent.agent_id, session_type: 'agent_voice' },
    });
    expect(voice.json().session.record).toBe(true);
    const plain = await t.request({
      method: 'POST',
      url: '/v1/sessions',
      key,
      payload: { avatar_id: 'PUBLIC/Avatars/ada' },
    });
    const id = plain.json().session.session_id;
    const res = await t.request({ method: 'GET', url: `/v1/sessions/${id}/recording`, key });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('RECORDING_NOT_FOUND');
  });

  it('fails a lost recording whose file is not on this host, telling the event hook in the same transaction', async () => {
    const events: { code: string; inTransaction: boolean }[] = [];
    const t = await servers.start(backend, {
      server: {
        recordingEvents: {
          async onRecordingFailed(repos, event) {
            // The hook sees the new status through the transaction's own repositories.
            const row = await repos.recordings.findBySession(event.sessionId);
            events.push({ code: event.code, inTransaction: row?.status === 'failed' });
          },
        },
      },
    });
    const account = await t.newAccount();
    const { key } = account;
    const id = await abandonRecording(t, account, join(dir, 'not-here.mp4'));

    expect(await t.server.recordings.recoverAbandoned()).toBe(1);
    expect(events).toEqual([{ code: 'RECORDING_INTERRUPTED', inTransaction: true }]);
    const res = await t.request({ method: 'GET', url: `/v1/sessions/${id}/recording`, key });
    expect(res.statusCode).toBe(200);
    expect(res.json().recording).toMatchObject({
      status: 'failed',
      url: null,
      failure: { code: 'RECORDING_INTERRUPTED' },
    });
    // Taken once: a second pass finds nothing.
    expect(await t.server.recordings.recoverAbandoned()).toBe(0);
  });

  it('queues recording.failed in the webhook outbox by default', async () => {
    const t = await servers.start(backend, {
      env: { AGENTHUMAN_ALLOWED_PRIVATE_HOSTS: '127.0.0.1' },
      server: { webhooks: { deliver: false } },
    });
    const account = await t.newAccount();
    const { key } = account;
    const hook = await t.request({
      method: 'POST',
      url: '/v1/webhooks',
      key,
      payload: { url: 'http://127.0.0.1:9/hook', events: ['recording.failed'] },
    });
    expect(hook.statusCode, hook.body).toBe(200);
    const webhookId = hook.json().webhook.webhook_id;
    await abandonRecording(t, account, null);
    await t.server.recordings.recoverAbandoned();
    const deliveries = await t.request({ method: 'GET', url: `/v1/webhooks/${webhookId}/deliveries`, key });
    expect(deliveries.json().deliveries.map((d: { event_type: string }) => d.event_type)).toEqual([
      'recording.failed',
    ]);
  });

  it('stores the partial recording of a server killed with SIGKILL mid-session at the next start-up', async () => {
    const database = await servers.database(backend);
    const childMain = fileURLToPath(new URL('../testing/serve-child-main.ts', import.meta.url));
    child = spawn(process.execPath, ['--import', 'tsx', childMain], {
      env: {
        ...process.env,
        ...testServerEnv(database, { AGENTHUMAN_RENDER_WORKERS: '1', AGENTHUMAN_LOG_LEVEL: 'silent' }),
        TEST_HEARTBEAT_MS: '200',
        TEST_RECORD: '1',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const running = child;
    const { sessionId, key } = await new Promise<{ sessionId: string; key: string }>((resolve, reject) => {
      let out = '';
      running.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line));
      });
      running.once('exit', (code) => reject(new Error(`server child exited early (${code})`)));
    });
    // Past the first fragment (a keyframe every 2 s), and on PostgreSQL past the owner's silence threshold.
    await sleep(3_000);
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
    // PostgreSQL: start-up ends only sessions whose owner has been silent past the threshold (1 s here).
    await sleep(1_500);

    const t = await servers.start(backend, { database, server: { mediaHeartbeat: { lostAfterMs: 1_000 } } });
    const res = await t.request({ method: 'GET', url: `/v1/sessions/${sessionId}/recording`, key });
    expect(res.statusCode, res.body).toBe(200);
    const recording = res.json().recording;
    expect(recording).toMatchObject({ status: 'ready', partial: true });
    expect(recording.duration).toBeGreaterThan(2);
    const { file } = await downloadRecording(t, recording.url, 'partial.mp4');
    const probe = probeRecording(file);
    expect(probe.formatDurationS).toBeGreaterThan(2);
    expect(probe.videoTimesS.length).toBeGreaterThan(50);
  }, 120_000);
});
