// `agenthuman webhooks` with the real binary against a real server and a real receiver on 127.0.0.1.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ListeningServer, startListeningServer } from '@agenthuman/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/agenthuman.js', import.meta.url));

let server: ListeningServer;
let key: string;
let receiver: Server;
let receiverUrl: string;
let hits = 0;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    hits++;
    req.resume();
    res.end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/in`;
  server = await startListeningServer({
    env: { AGENTHUMAN_ALLOWED_PRIVATE_HOSTS: '127.0.0.1' },
    server: { webhooks: { pollMs: 20 } },
  });
  key = (await server.newAccount('enterprise')).key;
}, 60_000);
afterAll(async () => {
  await server?.close();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

function cli(args: string[]) {
  const home = mkdtempSync(join(tmpdir(), 'agenthuman-cli-'));
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    NO_COLOR: '1',
    AGENTHUMAN_API_URL: server.url,
    AGENTHUMAN_API_KEY: key,
  };
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: home, env, timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('agenthuman webhooks', () => {
  it('creates (secret printed once), tests, lists deliveries, refuses bad input, deletes', async () => {
    const created = JSON.parse(
      (await cli(['webhooks', 'create', receiverUrl, '--events', 'session.ended', '--json'])).stdout,
    );
    expect(created.secret).toMatch(/^whsec_/);
    const id = created.webhook.webhook_id;
    const list = await cli(['webhooks', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(id);
    expect(list.stdout).not.toContain(created.secret);

    expect((await cli(['webhooks', 'test', id])).code).toBe(0);
    const deadline = Date.now() + 10_000;
    while (hits === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    let deliveries = '';
    while (Date.now() < deadline) {
      deliveries = (await cli(['webhooks', 'deliveries', id])).stdout;
      if (deliveries.includes('succeeded')) break;
    }
    expect(deliveries).toMatch(/webhook\.test\s+succeeded\s+1\s+200/);

    const bad = await cli(['webhooks', 'create', 'ftp://example.com/x']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('VALIDATION_ERROR');
    expect(bad.stderr).toContain('url');

    expect((await cli(['webhooks', 'delete', id])).code).toBe(0);
    const gone = await cli(['webhooks', 'delete', id]);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('WEBHOOK_NOT_FOUND');
  }, 90_000);
});
