/** Issue 15 item 2: one PGlite data dir, one process. A second one refuses to start, naming the holder. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { openStore, StoreLockedError } from './open-store.js';

const holder = fileURLToPath(new URL('./testing/hold-store-main.ts', import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'agenthuman-lock-'));
  dirs.push(dir);
  return dir;
}

/** Starts a process that opens the store in `dataDir` and keeps it open. */
async function holdInChild(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', holder, dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`holder exited early (${code})`)));
  });
  return child;
}

it('refuses a second process on the same data dir, naming the pid that holds it; takes over after a crash', async () => {
  const dataDir = tempDir();
  const child = await holdInChild(dataDir);
  const refused = await openStore({ dataDir }).then(
    async (store) => {
      await store.close();
      return undefined;
    },
    (error: unknown) => error,
  );
  expect(refused).toBeInstanceOf(StoreLockedError);
  expect((refused as Error).message).toContain(`process ${child.pid}`);
  expect((refused as Error).message).toContain(dataDir);

  // kill -9 leaves the lock file behind; its pid is gone, so the next process takes the directory over.
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  expect(readFileSync(join(dataDir, 'db.lock'), 'utf8')).toContain(String(child.pid));
  const store = await openStore({ dataDir });
  expect(readFileSync(join(dataDir, 'db.lock'), 'utf8')).toContain(String(process.pid));
  await store.close();
}, 60_000);

it('refuses a second open in the same process, and frees the directory on close', async () => {
  const dataDir = tempDir();
  const first = await openStore({ dataDir });
  await expect(openStore({ dataDir })).rejects.toThrow(StoreLockedError);
  await first.close();
  const again = await openStore({ dataDir });
  await again.close();
});

it('takes over a lock left by a pid that no longer runs', async () => {
  const dataDir = tempDir();
  // A pid above the kernel's pid_max cannot be running.
  writeFileSync(join(dataDir, 'db.lock'), JSON.stringify({ pid: 4_194_305, host: 'elsewhere' }));
  const store = await openStore({ dataDir });
  await store.close();
});
