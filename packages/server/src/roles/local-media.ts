/** @module Media in this process (serve and cluster workers): the live registry and the app parts that use it. */
import { WORKER_MEDIA_HEARTBEAT_MS } from '../cluster/cluster-roles.js';
import { createLiveSessions, type LiveSessions } from '../live/live-sessions.js';
import { localSignalling } from '../live/room-routes.js';
import { localConnections } from '../live/ws/ws-gateway.js';
import type { RoleAppDeps, RoleCore } from './role-wiring.js';

export function startLocalMedia(core: RoleCore, role: 'all' | 'worker'): LiveSessions {
  const worker = role === 'worker';
  return createLiveSessions({
    recordings: core.recordings,
    // A worker's sockets all come from API processes, which apply the per-IP upgrade limit.
    config: worker ? { ...core.config.live, wsUpgradesPerMinute: Number.MAX_SAFE_INTEGER } : core.config.live,
    store: core.store,
    lifecycle: core.lifecycle,
    blobs: core.blobs,
    secret: core.secret,
    tts: core.tts,
    startWithSession: !worker && (core.startMediaWithSession ?? true),
    mediaOwner: core.mediaOwner,
    assigned: worker,
    ...(worker && { heartbeatIntervalMs: WORKER_MEDIA_HEARTBEAT_MS }),
    ...(core.heartbeatIntervalMs !== undefined && { heartbeatIntervalMs: core.heartbeatIntervalMs }),
  });
}

/** Sockets and viewers reach this process's own media. */
export function localAppDeps(core: RoleCore, live: LiveSessions): RoleAppDeps {
  return {
    live,
    connectSocket: localConnections({ store: core.store, live }),
    signalling: localSignalling(live),
  };
}
