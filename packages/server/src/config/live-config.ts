/** @module Settings of live sessions: the built-in room's ICE, capacity, render workers, WebSocket timings. */
import { z } from 'zod';
import { optionalJson } from './env-values.js';

/**
 * The target for a 2-core machine at 640×480; `npm run bench:live` measures what a given machine holds
 * (set AGENTHUMAN_MAX_LIVE_SESSIONS to that).
 */
export const DEFAULT_MAX_LIVE_SESSIONS = 6;

const IceUrl = z
  .string()
  .regex(/^(stun|stuns|turn|turns):/, 'must start with stun:, stuns:, turn: or turns:');
const IceServers = z.array(
  z.object({
    urls: z.union([IceUrl, z.array(IceUrl).min(1)]),
    username: z.string().optional(),
    credential: z.string().optional(),
  }),
);
export type IceServer = z.infer<typeof IceServers>[number];

export const LiveEnv = z.object({
  AGENTHUMAN_ICE_SERVERS: optionalJson(IceServers, 'must be a JSON array of {urls, username?, credential?}'),
  AGENTHUMAN_ROOM_LOOPBACK_ONLY: z.enum(['true', 'false']).default('false'),
  AGENTHUMAN_MAX_LIVE_SESSIONS: z.coerce.number().int().min(1).max(1000).default(DEFAULT_MAX_LIVE_SESSIONS),
  AGENTHUMAN_RENDER_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  AGENTHUMAN_WS_RECONNECT_GRACE_S: z.coerce.number().min(0.01).max(3600).default(5),
  AGENTHUMAN_ROOM_EMPTY_TIMEOUT_S: z.coerce.number().min(0.01).max(86_400).default(30),
  AGENTHUMAN_WS_PING_INTERVAL_S: z.coerce.number().min(0.05).max(3600).default(20),
  AGENTHUMAN_WS_UPGRADES_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  AGENTHUMAN_WARM_AVATARS: z.enum(['true', 'false']).default('true'),
});

/** Live-session media and the WebSocket channel (issue 4). */
export type LiveConfig = {
  /** STUN/TURN servers for the built-in room, both for the server's peers and the room page. */
  iceServers: IceServer[];
  /** Pin every ICE candidate to 127.0.0.1 (tests; a server behind a local proxy). */
  loopbackOnly: boolean;
  /** Live sessions (pipelines) this process runs at once; beyond it create → 503, start → ws_uri "try_again". */
  maxSessions: number;
  /** Render worker threads; default: the machine's available parallelism. */
  renderWorkers: number | undefined;
  /** A session whose WebSocket closed ends if none re-opens within this (spec: 5 s). */
  wsReconnectGraceMs: number;
  /** A room that had a viewer and stays empty this long ends its session (spec: 30 s). */
  roomEmptyTimeoutMs: number;
  /** Server ping interval; a socket that has not answered the previous ping by the next one is terminated. */
  wsPingIntervalMs: number;
  /** WebSocket upgrades per client IP per minute (the REST limit does not apply to /ws). */
  wsUpgradesPerMinute: number;
  /** Build the public avatars' rigs and idle-loop caches on the render workers at start. */
  warmAvatars: boolean;
};

export function liveConfig(e: z.infer<typeof LiveEnv>): LiveConfig {
  return {
    iceServers: e.AGENTHUMAN_ICE_SERVERS ?? [],
    loopbackOnly: e.AGENTHUMAN_ROOM_LOOPBACK_ONLY === 'true',
    maxSessions: e.AGENTHUMAN_MAX_LIVE_SESSIONS,
    renderWorkers: e.AGENTHUMAN_RENDER_WORKERS,
    wsReconnectGraceMs: Math.round(e.AGENTHUMAN_WS_RECONNECT_GRACE_S * 1000),
    roomEmptyTimeoutMs: Math.round(e.AGENTHUMAN_ROOM_EMPTY_TIMEOUT_S * 1000),
    wsPingIntervalMs: Math.round(e.AGENTHUMAN_WS_PING_INTERVAL_S * 1000),
    wsUpgradesPerMinute: e.AGENTHUMAN_WS_UPGRADES_PER_MINUTE,
    warmAvatars: e.AGENTHUMAN_WARM_AVATARS === 'true',
  };
}
