// The real peers the LiveKit tests talk to, installed once and cached outside the checkout:
// - a LiveKit server built from its Go module (needs the Go toolchain and the Go module proxy);
// - a Python virtual environment with the real agent frameworks (livekit-agents, pipecat-ai) from PyPI.
// `npm test` calls ensureTestPeers() and hands the paths to the tests through the environment; a test run on its
// own finds them at the same cache paths (livekitServerPath(), pythonPeersPath()).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// v1.13.6 and later carry `replace` lines in go.mod, which `go install module@version` refuses.
export const LIVEKIT_SERVER_VERSION = 'v1.13.5';
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const requirementsFile = join(repoRoot, 'e2e', 'livekit', 'requirements.txt');
const cacheRoot = () => process.env.AGENTHUMAN_CACHE_DIR ?? join(homedir(), '.cache', 'agenthuman');

/** Where the livekit-server binary lives (built or not). */
export function livekitServerPath() {
  return (
    process.env.AGENTHUMAN_LIVEKIT_SERVER ??
    join(cacheRoot(), 'livekit-server', LIVEKIT_SERVER_VERSION, 'server')
  );
}

/** The Python interpreter of the peers' venv (made or not); the venv is keyed by its requirements. */
export function pythonPeersPath() {
  if (process.env.AGENTHUMAN_PEERS_PYTHON) return process.env.AGENTHUMAN_PEERS_PYTHON;
  const hash = createHash('sha256').update(readFileSync(requirementsFile)).digest('hex').slice(0, 12);
  return join(cacheRoot(), `pyenv-${hash}`, 'bin', 'python');
}

function has(command, args = ['--version']) {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

export function ensureLivekitServer(log = console.log) {
  const binary = livekitServerPath();
  if (existsSync(binary)) return binary;
  if (!has('go', ['version'])) {
    throw new Error(
      `the LiveKit tests need livekit-server ${LIVEKIT_SERVER_VERSION}, built with the Go toolchain, and \`go\` is not on PATH: install Go (apt-get install golang-go, or go.dev/dl), then run npm test again`,
    );
  }
  log(`building livekit-server ${LIVEKIT_SERVER_VERSION} with go install (once; a few minutes)`);
  const build = spawnSync(
    'go',
    ['install', `github.com/livekit/livekit-server/cmd/server@${LIVEKIT_SERVER_VERSION}`],
    {
      stdio: 'inherit',
      // GOTOOLCHAIN=auto lets an older local Go fetch the toolchain the module asks for.
      env: { GOTOOLCHAIN: 'auto', ...process.env, GOBIN: dirname(binary) },
    },
  );
  if (build.status !== 0 || !existsSync(binary)) {
    throw new Error(`go install of livekit-server ${LIVEKIT_SERVER_VERSION} failed (status ${build.status})`);
  }
  return binary;
}

export function ensurePythonPeers(log = console.log) {
  const python = pythonPeersPath();
  const venv = dirname(dirname(python));
  const done = join(venv, '.installed');
  if (existsSync(done)) return python;
  const base = ['python3', 'python'].find((candidate) => has(candidate));
  if (!base) {
    throw new Error(
      'the LiveKit tests need Python 3 with venv and pip (apt-get install python3 python3-venv), and no python3 is on PATH',
    );
  }
  log(`making the Python peers' venv at ${venv} (once; livekit-agents, pipecat-ai from PyPI)`);
  rmSync(venv, { recursive: true, force: true });
  mkdirSync(dirname(venv), { recursive: true });
  const make = spawnSync(base, ['-m', 'venv', venv], { stdio: 'inherit' });
  if (make.status !== 0) {
    throw new Error(`${base} -m venv failed: install the venv module (apt-get install python3-venv)`);
  }
  const pip = spawnSync(
    python,
    ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', '-r', requirementsFile],
    { stdio: 'inherit' },
  );
  if (pip.status !== 0) throw new Error(`pip install -r ${requirementsFile} failed (status ${pip.status})`);
  writeFileSync(done, `${new Date().toISOString()}\n`);
  return python;
}

/** Installs what is missing and returns the environment the tests read the peers from. */
export function ensureTestPeers(log = console.log) {
  return {
    AGENTHUMAN_LIVEKIT_SERVER: ensureLivekitServer(log),
    AGENTHUMAN_PEERS_PYTHON: ensurePythonPeers(log),
  };
}

/**
 * rtc-node's libwebrtc ignores loopback adapters (its default network ignore mask, which rtc-node does not
 * expose), so in a namespace with only `lo` a LiveKit client gathers no ICE candidate at all. A veth pair whose
 * both ends stay inside the namespace, with one address from the benchmarking range (198.18.0.0/15, never routed),
 * gives it one; every packet still stays inside the namespace.
 */
export function addTestHostInterface(netns, ip = 'ip') {
  const run = (...args) => spawnSync(ip, ['-n', netns, ...args], { encoding: 'utf8' });
  const steps = [
    ['link', 'add', 'ahtest0', 'type', 'veth', 'peer', 'name', 'ahtest1'],
    ['addr', 'add', '198.18.0.1/32', 'dev', 'ahtest0'],
    ['link', 'set', 'ahtest0', 'up'],
    ['link', 'set', 'ahtest1', 'up'],
  ];
  for (const step of steps) {
    const result = run(...step);
    if (result.status !== 0) return `ip ${step.join(' ')}: ${result.stderr.trim()}`;
  }
  return null;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    console.log(
      JSON.stringify(
        ensureTestPeers((msg) => console.error(`[test-peers] ${msg}`)),
        null,
        2,
      ),
    );
  } catch (error) {
    console.error(`[test-peers] ${error.message}`);
    process.exit(1);
  }
}
