/**
 * Runs agent_peer.py (livekit-agents' DataStreamAudioOutput, in the venv scripts/test-peers.mjs makes) as the
 * agent of a room with a scenario of steps, and collects the JSON events it prints.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pythonPeersPath } from '../../scripts/test-peers.mjs';
import { AVATAR_IDENTITY } from './avatar-harness.js';
import { type LiveKitServer, mintToken } from './livekit-server.js';

/** agent_peer.py: DataStreamAudioOutput alone; agent_session_peer.py: inside a real AgentSession. */
export type AgentScript = 'agent_peer.py' | 'agent_session_peer.py';

export interface AgentEvent {
  event: string;
  /** time.time() in seconds at the agent. */
  t: number;
  position?: number;
  interrupted?: boolean;
  /** agent_session_peer.py's `state` events: the AgentSession's agent state. */
  state?: string;
}

/** Fails with the command that makes the venv when it is missing. */
export function assertPythonPeers(): void {
  const python = pythonPeersPath();
  if (!existsSync(python)) {
    throw new Error(
      `the LiveKit Agents peer needs the Python venv at ${python}: run \`node scripts/test-peers.mjs\` (npm test runs it)`,
    );
  }
}

export type RunningAgent = { events: Promise<AgentEvent[]>; kill(): void };

/** Starts the agent as `identity` in `room`; `events` resolves once it exits (bounded by `timeoutMs`). */
export function runAgent(
  server: Pick<LiveKitServer, 'url' | 'apiKey' | 'apiSecret'>,
  room: string,
  steps: object[],
  options: {
    script?: AgentScript;
    identity?: string;
    /** Join with this token (e.g. the participantToken of a proxy room) instead of one minted here. */
    token?: string;
    avatarIdentity?: string;
    timeoutMs?: number;
    /** Each event as it arrives. */
    onEvent?: (event: AgentEvent) => void;
  } = {},
): RunningAgent {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const token =
    options.token ?? mintToken(server, { identity: options.identity ?? 'agent', room, kind: 'agent' });
  const script = fileURLToPath(new URL(`./${options.script ?? 'agent_peer.py'}`, import.meta.url));
  const child = spawn(
    pythonPeersPath(),
    [script, server.url, token, options.avatarIdentity ?? AVATAR_IDENTITY, JSON.stringify(steps)],
    // rtc's Rust core logs every ICE step at debug; the agent's events come on stdout.
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: 'warn' } },
  );
  const events: AgentEvent[] = [];
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data: Buffer) => {
    stdout += data.toString();
    for (let nl = stdout.indexOf('\n'); nl >= 0; nl = stdout.indexOf('\n')) {
      const line = stdout.slice(0, nl).trim();
      stdout = stdout.slice(nl + 1);
      if (!line.startsWith('{')) continue;
      const event = JSON.parse(line) as AgentEvent;
      events.push(event);
      options.onEvent?.(event);
    }
  });
  child.stderr.on('data', (data: Buffer) => {
    stderr = (stderr + data.toString()).slice(-3000);
  });
  const done = new Promise<AgentEvent[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `agent_peer.py did not finish in ${timeoutMs} ms; events ${JSON.stringify(events)}\n${stderr}`,
        ),
      );
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(events);
      else
        reject(new Error(`agent_peer.py exited with ${code}; events ${JSON.stringify(events)}\n${stderr}`));
    });
  });
  return { events: done, kill: () => child.kill('SIGKILL') };
}
