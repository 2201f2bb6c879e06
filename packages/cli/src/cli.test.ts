// Runs the real `agenthuman` binary (node packages/cli/bin/agenthuman.js) against a real server listening on
// loopback, and checks stdout, stderr, exit codes and the config file it writes.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeWav } from '@agenthuman/media';
import { type ListeningServer, startListeningServer } from '@agenthuman/sdk/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/agenthuman.js', import.meta.url));

type Result = { code: number; stdout: string; stderr: string };

let server: ListeningServer;
let key: string;

function cli(args: string[], options: { env?: Record<string, string>; input?: string; home?: string } = {}) {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'agenthuman-cli-'));
  return new Promise<Result>((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: home,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: home,
          XDG_CONFIG_HOME: join(home, 'config'),
          NO_COLOR: '1',
          AGENTHUMAN_API_URL: server.url,
          AGENTHUMAN_API_KEY: key,
          ...options.env,
        },
        timeout: 20_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}

/** A mono 16-bit tone WAV, written by @agenthuman/media (code apart from the SDK's parser). */
function toneWav(rate: number, seconds: number): Uint8Array {
  const frames = Math.round(rate * seconds);
  const pcm = Int16Array.from({ length: frames }, (_, i) =>
    Math.round(Math.sin((2 * Math.PI * 300 * i) / rate) * 9000),
  );
  return writeWav(pcm, rate);
}

beforeAll(async () => {
  server = await startListeningServer();
  key = (await server.newAccount('enterprise')).key;
});
afterAll(() => server.close());

describe('agenthuman login', () => {
  it('checks the key, saves URL and key with mode 0600, and later commands use them', async () => {
    const home = mkdtempSync(join(tmpdir(), 'agenthuman-cli-'));
    const env = { AGENTHUMAN_API_KEY: '', AGENTHUMAN_API_URL: '' };
    const login = await cli(['login', '--url', server.url], { env, input: `${key}\n`, home });
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`logged in to ${server.url}`);
    const file = join(home, 'config', 'agenthuman', 'config.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ api_url: server.url, api_key: key });

    const usage = await cli(['usage'], { env, home });
    expect(usage.code).toBe(0);
    expect(usage.stdout).toMatch(/plan\s+Enterprise/i);

    const status = await cli(['login', '--status'], { env, home });
    expect(status.stdout).toContain('(file)');
    expect(status.stdout).not.toContain(key);
  });

  it('refuses a wrong key with exit 3 and saves nothing', async () => {
    const home = mkdtempSync(join(tmpdir(), 'agenthuman-cli-'));
    const bad = 'ah_test_0000000000000000000000000000000x';
    const result = await cli(['login', '--url', server.url, '--key', bad], {
      home,
      env: { AGENTHUMAN_API_KEY: '' },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('Invalid API key (INVALID_API_KEY, HTTP 401)');
    expect(() => statSync(join(home, 'config', 'agenthuman', 'config.json'))).toThrow();
  });

  it('lets AGENTHUMAN_API_KEY in the environment win over the saved file', async () => {
    const home = mkdtempSync(join(tmpdir(), 'agenthuman-cli-'));
    await cli(['login', '--url', server.url, '--key', key], { home, env: { AGENTHUMAN_API_KEY: '' } });
    const result = await cli(['usage'], {
      home,
      env: { AGENTHUMAN_API_KEY: 'ah_test_wrongwrongwrongwrongwrongwrong12' },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('INVALID_API_KEY');
  });
});

describe('agenthuman sessions', () => {
  it('creates, lists, gets and ends a session, as tables and as JSON', async () => {
    const created = await cli(['sessions', 'create', '--avatar', 'PUBLIC/Avatars/eileen', '--json']);
    expect(created.code).toBe(0);
    const reply = JSON.parse(created.stdout);
    const id: string = reply.session.session_id;
    expect(reply.session.status).toBe('started');

    const list = await cli(['sessions', 'list', '--status', 'started']);
    expect(list.code).toBe(0);
    const [header, ...rows] = list.stdout.trim().split('\n');
    expect(header).toMatch(/^SESSION\s+STATUS\s+AVATAR\s+TYPE\s+CREATED\s+DURATION\s+END REASON\s+BILLED$/);
    const row = rows.find((r) => r.startsWith(id));
    expect(row).toMatch(/live\s+Eileen\s+webrtc_video/);
    // Aligned: every row's status column starts where the header's does.
    expect(row?.indexOf('live')).toBe(header?.indexOf('STATUS'));

    const get = await cli(['sessions', 'get', id, '--json']);
    expect(JSON.parse(get.stdout).session_id).toBe(id);

    const ended = await cli(['sessions', 'end', id]);
    expect(ended.code).toBe(0);
    expect(ended.stdout).toMatch(new RegExp(`session ${id} ended after \\d+s; billed \\d+ min`));
    const detail = await cli(['sessions', 'get', id]);
    expect(detail.stdout).toMatch(/end reason\s+client/);
    expect(detail.stdout).toMatch(/billing\s+\d+ min \(included \d+, purchased \d+\)/);
  });

  it('exits 4 for an unknown session and 5 for a wrong state, with code and hint on stderr', async () => {
    const missing = await cli(['sessions', 'get', 'sess_01NOPE']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('(SESSION_NOT_FOUND, HTTP 404)');
    expect(missing.stdout).toBe('');

    const created = JSON.parse((await cli(['sessions', 'create', '--no-start', '--json'])).stdout);
    const conflict = await cli(['sessions', 'end', created.session.session_id]);
    expect(conflict.code).toBe(5);
    expect(conflict.stderr).toContain('SESSION_NOT_STARTED');
    expect(conflict.stderr).toMatch(/hint: .*DELETE/);

    const jsonError = await cli(['sessions', 'end', created.session.session_id, '--json']);
    expect(JSON.parse(jsonError.stderr).error).toMatchObject({ code: 'SESSION_NOT_STARTED', status: 409 });
    expect((await cli(['sessions', 'delete', created.session.session_id])).code).toBe(0);
  });

  it('says which field is wrong on a validation error', async () => {
    const result = await cli(['sessions', 'create', '--aspect-ratio', '16:9']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('VALIDATION_ERROR');
    expect(result.stderr).toContain('field: aspect_ratio');
  });

  it('says text and plays a WAV into a session it created, with its saved token', async () => {
    const home = mkdtempSync(join(tmpdir(), 'agenthuman-cli-'));
    const created = JSON.parse((await cli(['sessions', 'create', '--json'], { home })).stdout);
    const id: string = created.session.session_id;
    const tokens = join(home, 'config', 'agenthuman', 'session-tokens.json');
    expect(statSync(tokens).mode & 0o777).toBe(0o600);

    const said = await cli(['say', '--session', id, 'Hello', 'from', 'the', 'terminal.'], { home });
    expect(said.stderr).toMatch(new RegExp(`^note: ${id} ends a few seconds .*agenthuman attach ${id}`));
    expect(said.code).toBe(0);
    expect(said.stdout).toMatch(/✓ speaking \d+\.\d s of audio/);

    const wav = join(home, 'tone.wav');
    writeFileSync(wav, toneWav(24000, 0.5));
    const played = await cli(['play', '--session', id, wav, '--json'], { home });
    expect(played.code).toBe(0);
    const result = JSON.parse(played.stdout);
    expect(result.chunks).toBe(13);
    expect(Math.abs(result.samples16k - 8000)).toBeLessThanOrEqual(26);
    expect((await cli(['sessions', 'end', id], { home })).code).toBe(0);
  }, 60_000);

  it('refuses say on a session whose token it does not have, with exit 3', async () => {
    const result = await cli(['say', '--session', 'sess_unknown', 'hello']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('SESSION_TOKEN_REQUIRED');
  });
});

describe('agenthuman avatars', () => {
  const portrait = fileURLToPath(new URL('../../engine/assets/avatars/eileen.jpg', import.meta.url));

  it('lists public avatars, uploads a portrait, shows it as yours, and deletes it', async () => {
    const list = await cli(['avatars', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/PUBLIC\/Avatars\/eileen\s+Eileen\s+public/);

    const upload = await cli(['avatars', 'upload', portrait, '--name', 'CLI face', '--json']);
    expect(upload.stderr).toBe('');
    expect(upload.code).toBe(0);
    const id: string = JSON.parse(upload.stdout).avatar_id;
    expect(id).toMatch(/^avat_/);
    const mine = await cli(['avatars', 'list', '--mine']);
    expect(mine.stdout).toMatch(new RegExp(`${id}\\s+CLI face\\s+yours`));

    expect((await cli(['avatars', 'delete', id])).code).toBe(0);
    const gone = await cli(['avatars', 'get', id]);
    expect(gone.code).toBe(4);
    expect(gone.stderr).toContain('AVATAR_NOT_FOUND');
  }, 60_000);

  it("prints the server's reason for a photo without a face, and checks the file first", async () => {
    const home = mkdtempSync(join(tmpdir(), 'agenthuman-cli-'));
    const blank = join(home, 'wall.jpg');
    writeFileSync(
      blank,
      await sharp({ create: { width: 400, height: 400, channels: 3, background: '#8899aa' } })
        .jpeg()
        .toBuffer(),
    );
    const refused = await cli(['avatars', 'upload', blank], { home });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('NO_FACE_DETECTED, HTTP 400');
    const missing = await cli(['avatars', 'upload', join(home, 'nope.jpg')], { home });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    const wrongType = await cli(['avatars', 'upload', join(home, 'notes.txt')], { home });
    expect(wrongType.code).toBe(2);
  }, 60_000);
});

describe('agenthuman keys, agents, usage', () => {
  it('creates a key shown once, lists it by prefix, and revokes it', async () => {
    const created = JSON.parse((await cli(['keys', 'create', '--name', 'ci', '--test', '--json'])).stdout);
    expect(created.key).toMatch(/^ah_test_/);
    const list = await cli(['keys', 'list']);
    expect(list.stdout).toContain(created.key_id);
    expect(list.stdout).not.toContain(created.key);
    expect((await cli(['keys', 'revoke', created.key_id])).code).toBe(0);
    const again = await cli(['keys', 'revoke', created.key_id]);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain('API_KEY_NOT_FOUND');
  });

  it('creates and lists agents', async () => {
    const created = await cli(['agents', 'create', '--name', 'Concierge', '--prompt', 'Be kind.', '--json']);
    expect(created.code).toBe(0);
    const agent = JSON.parse(created.stdout);
    const list = await cli(['agents', 'list']);
    expect(list.stdout).toMatch(new RegExp(`${agent.agent_id}\\s+Concierge`));
    const missingName = await cli(['agents', 'create']);
    expect(missingName.code).toBe(1);
    expect(missingName.stderr).toContain('field: name');
  });

  it('creates a link for an agent, lists it, pauses it and deletes it', async () => {
    const agent = JSON.parse((await cli(['agents', 'create', '--name', 'Greeter', '--json'])).stdout);
    const created = await cli([
      'links',
      'create',
      '--agent',
      agent.agent_id,
      '--name',
      'Demo',
      '--limit',
      '5',
      '--json',
    ]);
    expect(created.code).toBe(0);
    const link = JSON.parse(created.stdout);
    expect(link).toMatchObject({ name: 'Demo', status: 'active', uses: 0, use_limit: 5 });
    expect(link.url).toContain(`/s/${link.link_id}`);
    const list = await cli(['links', 'list']);
    expect(list.stdout).toMatch(new RegExp(`${link.link_id}\\s+Demo\\s+Greeter\\s+active\\s+0/5`));
    expect((await cli(['links', 'pause', link.link_id])).stdout).toContain('paused');
    expect((await cli(['links', 'delete', link.link_id])).code).toBe(0);
    expect((await cli(['links', 'get', link.link_id])).code).toBe(4);
    expect((await cli(['links', 'create', '--agent', agent.agent_id, '--limit', '0'])).code).toBe(2);
  });

  it('prints usage as aligned fields and as JSON', async () => {
    const table = await cli(['usage']);
    expect(table.stdout).toMatch(/^plan\s+Enterprise \(enterprise\)$/m);
    // Values line up in one column after the longest key.
    const starts = table.stdout
      .trim()
      .split('\n')
      .map((line) => line.search(/(?<=\s{2})\S/));
    expect(new Set(starts)).toEqual(new Set(['max session  '.length]));
    expect(table.stdout).toMatch(/^live now\s+\d+ sessions? \(max unlimited\)/m);
    const json = JSON.parse((await cli(['usage', '--json'])).stdout);
    expect(json.plan.key).toBe('enterprise');
  });
});

describe('agenthuman usage errors and reachability', () => {
  it('exits 2 on unknown commands, flags and missing arguments; 0 on --help', async () => {
    expect((await cli(['frobnicate'])).code).toBe(2);
    const flag = await cli(['sessions', 'list', '--bogus']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("Unknown option '--bogus'");
    expect((await cli(['sessions', 'get'])).code).toBe(2);
    const help = await cli(['avatars', 'upload', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: agenthuman avatars upload');
  });

  it('exits 7 when the server cannot be reached', async () => {
    const result = await cli(['usage'], { env: { AGENTHUMAN_API_URL: 'http://127.0.0.1:9' } });
    expect(result.code).toBe(7);
    expect(result.stderr).toContain('CONNECTION_ERROR');
    expect(result.stderr).toContain('hint:');
  });
});

describe('agenthuman api / worker', () => {
  it('refuse to start without PostgreSQL and Redis, naming each missing setting (exit 1)', async () => {
    const worker = await cli(['worker']);
    expect(worker.code).toBe(1);
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'AGENTHUMAN_WORKER_URL'])
      expect(worker.stderr).toContain(name);
    const api = await cli(['api'], { env: { DATABASE_URL: 'postgres://u@127.0.0.1:1/db' } });
    expect(api.code).toBe(1);
    expect(api.stderr).toContain('REDIS_URL');
    expect(api.stderr).not.toContain('AGENTHUMAN_WORKER_URL');
  });
});
