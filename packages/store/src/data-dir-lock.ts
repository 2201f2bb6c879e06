/**
 * @module One process per PGlite data directory. PGlite has no lock of its own: two servers on one directory
 * both accepted writes and one's vanished after a restart. `<dataDir>/db.lock` holds the owner's pid; a second
 * process refuses to start and names it. A lock whose pid no longer runs (kill -9, power loss) is taken over.
 */
import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export class StoreLockedError extends Error {
  override readonly name = 'StoreLockedError';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The data directory ${dataDir} is in use by process ${pid}: PGlite allows one server per directory. ` +
        'Stop that process, use another AGENTHUMAN_DATA_DIR, or use PostgreSQL (DATABASE_URL) for several processes.',
    );
  }
}

type LockContent = { pid: number; host?: string; since?: string };

// Directories this process holds (a second open in the same process is refused like another process).
const held = new Set<string>();

/** Takes the directory's lock; returns its release. Throws StoreLockedError when a live process holds it. */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, 'db.lock');
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() });
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, mine);
      } finally {
        closeSync(fd);
      }
      held.add(path);
      return () => release(path, mine);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const text = readText(path);
    if (text === undefined) continue; // removed meanwhile: try again
    const owner = parse(text);
    if (owner && (held.has(path) || (owner.pid !== process.pid && isRunning(owner.pid)))) {
      throw new StoreLockedError(dataDir, owner.pid);
    }
    if (!owner && attempt === 0) {
      // Empty or torn: its writer may be between create and write. Look again once before calling it stale.
      sleep(50);
      continue;
    }
    takeOver(path, text);
  }
  throw new Error(`Could not take the lock ${path}: other processes keep changing it`);
}

/** Moves a stale lock aside; if another process replaced it meanwhile, puts theirs back. */
function takeOver(path: string, staleText: string) {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (readText(aside) !== staleText) {
    try {
      renameSync(aside, path);
    } catch {
      // Theirs is gone already; nothing to restore.
    }
    return;
  }
  unlinkSync(aside);
}

function release(path: string, mine: string) {
  held.delete(path);
  // Only our own lock: a process that took a lock we lost (it should not happen) keeps theirs.
  if (readText(path) === mine) unlinkSync(path);
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parse(text: string): LockContent | undefined {
  try {
    const value = JSON.parse(text) as LockContent;
    return Number.isInteger(value.pid) && value.pid > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
