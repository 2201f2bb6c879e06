// The README flow with the real `agenthuman` binary against a real server whose closed-socket grace is 1 s:
// `say` waits for its speech and says the session will end; after the grace a second `say` exits 5 with a
// hint; `attach` holds the session past the grace while it reads lines (text and a WAV path) from stdin.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeWav } from '@agenthuman/media';
import { AgentHuman } from '@agenthuman/sdk';
import { type ListeningServer, startListeningServer } from '@agenthuman/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/agenthuman.js', import.meta.url));
const GRACE_S = 1;

let server: ListeningServer;
let key: string;
let client: AgentHuman;

beforeAll(async () => {
  server = await startListeningServer({ env: { AGENTHUMAN_WS_RECONNECT_GRACE_S: String(GRACE_S) } });
  key = (await server.newAccount('enterprise')).key;
  client = new AgentHuman({ baseUrl: server.url, apiKey: key });
}, 60_000);
afterAll(() => server?.close());

const envFor = (home: string) => ({
  PATH: process.env.PATH ?? '',
  HOME: home,
  XDG_CONFIG_HOME: join(home, 'config'),
  NO_COLOR: '1',
  AGENTHUMAN_API_URL: server.url,
  AGENTHUMAN_API_KEY: key,
});

function cli(args: string[], home: string) {
  return new Promise<{ code: number; stdout: string; stderr: string; ms: number }>((resolve) => {
    const started = Date.now();
    execFile(process.execPath, [BIN, ...args], { cwd: home, env: envFor(home), timeout: 30_000 }, (e, o, r) =>
      resolve({
        code: e ? (typeof e.code === 'number' ? e.code : 1) : 0,
        stdout: o,
        stderr: r,
        ms: Date.now() - started,
      }),
    );
  });
}

async function newSession(home: string): Promise<string> {
  const created = await cli(['sessions', 'create', '--json'], home);
  expect(created.code).toBe(0);
  return JSON.parse(created.stdout).session.session_id;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function statusOf(id: string) {
  const session = await client.sessions.get(id);
  return { status: session.status, reason: session.end_reason };
}

/** A 0.6 s 16-bit mono tone at 22.05 kHz. */
function toneWav(): Uint8Array {
  const rate = 22050;
  const frames = Math.round(rate * 0.6);
  const pcm = Int16Array.from({ length: frames }, (_, i) =>
    Math.round(Math.sin((2 * Math.PI * 220 * i) / rate) * 8000),
  );
  return writeWav(pcm, rate);
}

describe('agenthuman say, then the session ends', () => {
  it('waits for the speech to play, says the session will end, and a later say exits 5 with a hint', async () => {
    const home = mkdtempSync(join(tmpdir(), 'agenthuman-attach-'));
    const id = await newSession(home);
    const said = await cli(['say', '--session', id, 'Hello! I was made from a single photo.'], home);
    expect(said.code).toBe(0);
    const seconds = Number(/speaking (\d+\.\d) s of audio/.exec(said.stdout)?.[1]);
    expect(seconds).toBeGreaterThan(1);
    // It returned only after the avatar finished: at least the audio's length after it was accepted.
    expect(said.ms).toBeGreaterThan(seconds * 1000);
    expect(said.stdout).toContain('✓ played');
    expect(said.stderr).toContain(`note: ${id} ends a few seconds`);
    expect(said.stderr).toContain(`agenthuman attach ${id}`);

    await expect
      .poll(() => statusOf(id), { timeout: 10_000 })
      .toEqual({
        status: 'ended',
        reason: 'websocket_closed',
      });
    const again = await cli(['say', '--session', id, 'Are you still there?'], home);
    expect(again.code).toBe(5);
    expect(again.stderr).toContain('SESSION_ENDED');
    expect(again.stderr).toContain('hint:');
    expect(again.stderr).toContain('agenthuman attach');
  }, 60_000);
});

describe('agenthuman attach', () => {
  it('holds the session past the grace while reading text and WAV lines, then detaches', async () => {
    const home = mkdtempSync(join(tmpdir(), 'agenthuman-attach-'));
    const id = await newSession(home);
    const wav = join(home, 'tone.wav');
    writeFileSync(wav, toneWav());
    const child = spawn(process.execPath, [BIN, 'attach', id, '--json'], {
      cwd: home,
      env: envFor(home),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const events = () =>
      stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { type: string; seconds?: number });

    child.stdin.write('Hello there.\n');
    await expect.poll(() => events().length, { timeout: 15_000 }).toBe(1);
    expect(events()[0]).toMatchObject({ type: 'speaking', text: 'Hello there.' });
    // Well past the closed-socket grace: the session lives because attach holds its socket.
    await sleep(GRACE_S * 1000 * 3);
    expect((await statusOf(id)).status).toBe('started');

    child.stdin.write(`${wav}\n`);
    await expect.poll(() => events().length, { timeout: 15_000 }).toBe(2);
    expect(events()[1]).toMatchObject({ type: 'played', file: wav });
    expect(events()[1]?.seconds).toBeCloseTo(0.6, 1);
    child.stdin.write('/interrupt\n');
    await expect.poll(() => events().length, { timeout: 15_000 }).toBe(3);
    expect(events()[2]).toEqual({ type: 'interrupted' });

    child.stdin.end();
    expect(await exited).toBe(0);
    expect(events().at(-1)).toEqual({ type: 'detached', session_id: id });
    expect(stderr).toBe('');
    await expect
      .poll(() => statusOf(id), { timeout: 10_000 })
      .toEqual({
        status: 'ended',
        reason: 'websocket_closed',
      });
  }, 60_000);

  it('exits 5 with a hint when the session ends while attached', async () => {
    const home = mkdtempSync(join(tmpdir(), 'agenthuman-attach-'));
    const id = await newSession(home);
    const child = spawn(process.execPath, [BIN, 'attach', id], {
      cwd: home,
      env: envFor(home),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await expect.poll(() => stderr, { timeout: 15_000 }).toContain(`attached to ${id}`);
    await client.sessions.end(id);
    expect(await exited).toBe(5);
    expect(stderr).toContain('SESSION_ENDED');
    expect(stderr).toContain(`Session ${id} has ended (client)`);
    expect(stderr).toContain('hint:');
  }, 60_000);
});
