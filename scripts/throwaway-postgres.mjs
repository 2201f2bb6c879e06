#!/usr/bin/env node
// A PostgreSQL cluster that exists only for one test run: initdb in a temporary directory, reachable only over
// a unix socket in that directory (so tests inside a loopback-only network namespace still see it), trust
// auth (nothing outside the directory can reach it), stopped and deleted at the end, also on failure or a
// signal. The system cluster and its pg_hba.conf are never touched.
//
// `node scripts/throwaway-postgres.mjs` starts one, runs a query, stops it and says so (the check for this
// part of `npm test` on its own); `--hold` keeps it until SIGINT/SIGTERM (used by the cleanup test).
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const PREFIX = 'agenthuman-pg-';
const ROLE = 'agenthuman_test';
// Names the socket file (.s.PGSQL.5432); with listen_addresses='' no TCP port is opened.
const PORT = 5432;

/** The newest /usr/lib/postgresql/<version>/bin that has initdb, or the one pg_config names. */
export function postgresBinDir() {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('PostgreSQL server binaries not found (apt-get install postgresql)');
  }
}

// initdb refuses to run as root: as root the cluster belongs to the `postgres` OS user.
function clusterOwner() {
  if (process.getuid?.() !== 0) return {};
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

function run(bin, args, owner, env = {}) {
  const result = spawnSync(bin, args, {
    ...owner,
    encoding: 'utf8',
    env: { ...process.env, ...env, LC_ALL: 'C' },
    cwd: '/',
  });
  if (result.status !== 0) {
    throw new Error(`${bin} ${args.join(' ')} failed: ${result.stderr || result.stdout || result.error}`);
  }
  return result.stdout;
}

const isAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function postmasterPid(data) {
  try {
    return Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]) || 0;
  } catch {
    return 0;
  }
}

function stopCluster(binDir, dir, owner) {
  const data = join(dir, 'data');
  const pid = postmasterPid(data);
  if (pid) {
    spawnSync(join(binDir, 'pg_ctl'), ['stop', '-D', data, '-m', 'fast', '-w', '-t', '20'], {
      ...owner,
      stdio: 'ignore',
      cwd: '/',
    });
    // pg_ctl -w returns once postmaster.pid is gone, a moment before the process itself exits.
    const until = Date.now() + 5000;
    while (isAlive(pid) && Date.now() < until) spawnSync('sleep', ['0.05']);
  }
  rmSync(dir, { recursive: true, force: true });
}

// A run killed with SIGKILL cannot clean up; the next run stops what it left behind.
function removeLeftovers(binDir, owner) {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(tmpdir(), name);
    let ownerPid = 0;
    try {
      ownerPid = Number(readFileSync(join(dir, 'owner.pid'), 'utf8'));
    } catch {
      // No owner yet: another run may be creating it this instant; only an old one is a leftover.
      if (Date.now() - statSync(dir).mtimeMs < 60_000) continue;
    }
    if (ownerPid && isAlive(ownerPid)) continue;
    stopCluster(binDir, dir, owner);
  }
}

/**
 * Starts a throwaway cluster. Returns its connection URL (superuser `agenthuman_test`, database of the same
 * name), the postmaster pid, its directory and stop() (idempotent, synchronous so it can run in an exit
 * handler). Cleanup on process exit and on SIGINT/SIGTERM/SIGHUP is installed unless `cleanupOnExit: false`.
 */
export function startThrowawayPostgres({ cleanupOnExit = true } = {}) {
  const binDir = postgresBinDir();
  const owner = clusterOwner();
  removeLeftovers(binDir, owner);
  const dir = mkdtempSync(join(tmpdir(), PREFIX));
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  if (owner.uid !== undefined) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    stopCluster(binDir, dir, owner);
  };
  const onSignal = (signal) => {
    stop();
    process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal] ?? 0));
  };
  if (cleanupOnExit) {
    process.once('exit', stop);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, onSignal);
  }
  try {
    run(join(binDir, 'initdb'), ['-D', data, '-U', ROLE, '--auth=trust', '-E', 'UTF8', '--no-sync'], owner);
    const options = `-c listen_addresses='' -c unix_socket_directories='${dir}' -c port=${PORT} -c fsync=off -c max_connections=200`;
    run(
      join(binDir, 'pg_ctl'),
      ['start', '-D', data, '-w', '-t', '30', '-l', join(dir, 'server.log'), '-o', options],
      owner,
    );
    run(join(binDir, 'createdb'), ['-h', dir, '-p', String(PORT), '-U', ROLE, ROLE], owner);
  } catch (error) {
    stop();
    throw error;
  }
  const pid = postmasterPid(data);
  const url = `postgres://${ROLE}@localhost:${PORT}/${ROLE}?host=${encodeURIComponent(dir)}`;
  return { url, dir, pid, stop };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const pg = startThrowawayPostgres();
  if (process.argv.includes('--hold')) {
    console.log(JSON.stringify({ url: pg.url, dir: pg.dir, pid: pg.pid }));
    setInterval(() => {}, 1 << 30);
  } else {
    const binDir = postgresBinDir();
    const answer = execFileSync(
      join(binDir, 'psql'),
      ['-h', pg.dir, '-p', String(PORT), '-U', ROLE, '-tAc', 'select current_user'],
      { encoding: 'utf8' },
    ).trim();
    pg.stop();
    const left = existsSync(pg.dir) || isAlive(pg.pid);
    console.log(`throwaway PostgreSQL: query as ${answer}, stopped, ${left ? 'LEFT BEHIND' : 'removed'}`);
    process.exit(left || answer !== ROLE ? 1 : 0);
  }
}
