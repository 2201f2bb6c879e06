#!/usr/bin/env node
// `npm test`: makes sure the Debian packages the tests need are present (installing them with apt-get when
// running as root), starts a throwaway PostgreSQL cluster in a temporary directory, then runs every test once inside a
// network namespace that has only loopback, and ends with one line: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addTestHostInterface, ensureTestPeers } from './test-peers.mjs';
import { startThrowawayPostgres } from './throwaway-postgres.mjs';

// Debian package → a file that proves it is installed.
const debianPackages = {
  postgresql: '/usr/bin/pg_ctlcluster',
  chromium: '/usr/bin/chromium',
  'redis-server': '/usr/bin/redis-server',
  iproute2: '/usr/sbin/ip',
  // Offline speech recognition for the agents' STT tests.
  pocketsphinx: '/usr/bin/pocketsphinx_continuous',
  'pocketsphinx-en-us': '/usr/share/pocketsphinx/model/en-us/en-us.lm.bin',
  // Recordings are read back with Debian's ffprobe/ffmpeg (a different build from the bundled encoder).
  ffmpeg: '/usr/bin/ffprobe',
};

const isRoot = process.getuid?.() === 0;
const log = (msg) => console.log(`[test] ${msg}`);

function ensureDebianPackages() {
  const missing = Object.entries(debianPackages)
    .filter(([, file]) => !existsSync(file))
    .map(([pkg]) => pkg);
  if (missing.length === 0) return;
  if (!isRoot) {
    console.error(
      `npm test needs these Debian packages: ${missing.join(' ')}\n  sudo apt-get install -y ${missing.join(' ')}`,
    );
    process.exit(1);
  }
  log(`installing ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  const install = spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], {
    stdio: 'inherit',
    env,
  });
  if (update.status !== 0 || install.status !== 0) {
    console.error(`apt-get could not install: ${missing.join(' ')}`);
    process.exit(1);
  }
}

// PostgreSQL: a throwaway cluster in a temporary directory, reached over its unix socket so that tests inside
// the loopback-only namespace still see it; stopped and deleted when this process exits, also on a signal.
function startPostgres() {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  return startThrowawayPostgres().url;
}

// A namespace with only `lo` keeps every WebRTC ICE check and every request on loopback.
function loopbackNamespace() {
  if (!isRoot || process.env.AGENTHUMAN_TEST_NO_NETNS) return null;
  const name = `agenthuman-test-${process.pid}`;
  const add = spawnSync('ip', ['netns', 'add', name]);
  if (add.status !== 0) {
    log(`could not create a network namespace (${add.stderr}); WebRTC tests pin ICE to 127.0.0.1 instead`);
    return null;
  }
  spawnSync('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  const hostError = addTestHostInterface(name);
  if (hostError) log(`LiveKit clients will find no ICE candidate in the namespace (${hostError})`);
  return name;
}

ensureDebianPackages();
let peerEnv;
try {
  peerEnv = ensureTestPeers(log);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
const databaseUrl = startPostgres();
log('PostgreSQL ready');
const netns = loopbackNamespace();
const resultFile = join(mkdtempSync(join(tmpdir(), 'agenthuman-test-')), 'results.json');
const vitest = [
  'node_modules/.bin/vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${resultFile}`,
  ...process.argv.slice(2),
];
const command = netns ? ['ip', ['netns', 'exec', netns, ...vitest]] : [vitest[0], vitest.slice(1)];
const run = spawnSync(command[0], command[1], {
  stdio: 'inherit',
  env: { ...process.env, ...peerEnv, TEST_DATABASE_URL: databaseUrl, AGENTHUMAN_TEST_NETNS: netns ?? '' },
});
if (netns) spawnSync('ip', ['netns', 'delete', netns]);

let passed = 0;
let failed = 0;
if (existsSync(resultFile)) {
  const results = JSON.parse(readFileSync(resultFile, 'utf8'));
  passed = results.numPassedTests;
  // A file that fails to load has no test results of its own; count it as one failure.
  const brokenFiles = results.testResults.filter(
    (f) => f.status === 'failed' && f.assertionResults.length === 0,
  );
  failed = results.numFailedTests + brokenFiles.length;
} else {
  failed = 1;
}
const ok = run.status === 0 && failed === 0;
console.log(`\n${passed} passed, ${failed} failed${ok ? '' : ' (FAILED)'}`);
process.exit(ok ? 0 : 1);
