// `npm test`'s PostgreSQL: a throwaway cluster in a temporary directory that answers queries, never edits the
// system cluster's pg_hba.conf, and is stopped and deleted at the end: by stop(), and when the process that
// started it is told to stop (SIGTERM, SIGINT).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startThrowawayPostgres } from '../scripts/throwaway-postgres.mjs';

const SCRIPT = join(import.meta.dirname, '..', 'scripts', 'throwaway-postgres.mjs');
const SYSTEM_HBA = '/etc/postgresql';

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function systemHbaFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  if (!existsSync(SYSTEM_HBA)) return files;
  for (const version of readdirSync(SYSTEM_HBA)) {
    for (const cluster of readdirSync(join(SYSTEM_HBA, version))) {
      const file = join(SYSTEM_HBA, version, cluster, 'pg_hba.conf');
      if (existsSync(file)) files[file] = readFileSync(file, 'utf8');
    }
  }
  return files;
}

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('throwaway PostgreSQL for npm test', () => {
  it('answers over its own socket, leaves pg_hba.conf alone, and stop() removes it', async () => {
    const hbaBefore = systemHbaFiles();
    const db = startThrowawayPostgres({ cleanupOnExit: false });
    try {
      expect(db.url).toContain(encodeURIComponent(db.dir));
      expect(await query(db.url, 'select current_user as who')).toEqual([{ who: 'agenthuman_test' }]);
      // Superuser: the test helpers create and drop a database per test file.
      await query(db.url, 'create database agenthuman_probe');
      await query(db.url, 'drop database agenthuman_probe');
      expect(isAlive(db.pid)).toBe(true);
    } finally {
      db.stop();
    }
    expect(isAlive(db.pid)).toBe(false);
    expect(existsSync(db.dir)).toBe(false);
    expect(systemHbaFiles()).toEqual(hbaBefore);
  }, 60_000);

  it('stops and deletes what a run killed with SIGKILL left behind, at the next start', async () => {
    const child = spawn(process.execPath, [SCRIPT, '--hold'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    const started = Date.now();
    while (!out.includes('\n') && Date.now() - started < 30_000 && child.exitCode === null) await sleep(50);
    const left = JSON.parse(out) as { dir: string; pid: number };
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(isAlive(left.pid)).toBe(true);
    const next = startThrowawayPostgres({ cleanupOnExit: false });
    try {
      expect(isAlive(left.pid)).toBe(false);
      expect(existsSync(left.dir)).toBe(false);
    } finally {
      next.stop();
    }
  }, 60_000);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`is stopped and deleted when its process gets ${signal}`, async () => {
      const child = spawn(process.execPath, [SCRIPT, '--hold'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      const started = Date.now();
      while (!out.includes('\n') && Date.now() - started < 30_000 && child.exitCode === null) await sleep(50);
      const { url, dir, pid } = JSON.parse(out) as { url: string; dir: string; pid: number };
      expect(await query(url, 'select 1 as one')).toEqual([{ one: 1 }]);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill(signal);
      expect(await exited).toBe(signal === 'SIGTERM' ? 143 : 130);
      expect(isAlive(pid)).toBe(false);
      expect(existsSync(dir)).toBe(false);
    }, 60_000);
  }
});
