/**
 * @module The two processes of scale-out, as the composition root wires them:
 * - `agenthuman api`: REST, `/ws` and WHEP for clients; starting sessions are placed on workers
 *   (media-router.ts), sockets and signalling are relayed to the session's worker, lost workers are watched.
 * - `agenthuman worker`: runs media only; registers in Redis, is reached only by API processes (internal
 *   secret), beats only the sessions assigned to it.
 * Both need PostgreSQL (PGlite is one process) and Redis; `serve` (role `all`) needs neither.
 */

import type { Store } from '@agenthuman/store';
import type { Redis } from 'ioredis';
import { type Config, ConfigError } from '../config/config.js';
import type { ConversationRegistry } from '../conversations/conversation-registry.js';
import type { LiveSessions } from '../live/live-sessions.js';
import { livekitSeatOf } from '../live/livekit-seat.js';
import type { SessionLifecycle } from '../sessions/session-lifecycle.js';
import { internalSecretOf } from './internal-auth.js';
import { createMediaRouter, type MediaRouter } from './media-router.js';
import { createPreviewRelay, isPreviewId } from './preview-relay.js';
import { closeRedisClient, createRedisClient, type RedisLogger } from './redis.js';
import { createSessionEvents } from './session-events.js';
import { watchWorkerLoss } from './worker-loss.js';
import { createWorkerDirectory, registerWorker, type WorkerDirectory } from './worker-registry.js';

export type ServerRole = 'all' | 'api' | 'worker';

/** How often a worker writes its sessions' media heartbeat to the database (serve: every 5 s). */
export const WORKER_MEDIA_HEARTBEAT_MS = 2_000;

/** Refuses, naming what is missing, a role that cannot run with these settings. */
export function assertRoleConfig(role: ServerRole, config: Config): void {
  if (role === 'all') return;
  const missing = [
    !config.databaseUrl && 'DATABASE_URL (PostgreSQL: the embedded PGlite serves one process only)',
    !config.redisUrl && 'REDIS_URL (the worker registry and session events)',
    role === 'worker' && !config.workerUrl && 'AGENTHUMAN_WORKER_URL (where API processes reach this worker)',
  ].filter((line): line is string => Boolean(line));
  if (missing.length > 0) {
    throw new ConfigError(
      `Invalid configuration for \`agenthuman ${role}\`:\n${missing.map((m) => `  ${m}`).join('\n')}`,
    );
  }
}

type Log = RedisLogger & { error(obj: object, msg: string): void };

/** Redis connections and session events shared by both roles; every end this process records is published. */
export function openClusterLinks(
  config: Config,
  serverSecret: string,
  lifecycle: SessionLifecycle,
  log?: Log,
) {
  const redis: Redis = createRedisClient(config.redisUrl!, { name: 'commands', ...(log && { logger: log }) });
  const subscriber: Redis = createRedisClient(config.redisUrl!, {
    name: 'subscriber',
    ...(log && { logger: log }),
  });
  const events = createSessionEvents(redis, subscriber);
  const stopPublishing = lifecycle.onEnded(({ session, reason }) =>
    events.publishEnded({ sessionId: session.id, reason }),
  );
  return {
    redis,
    events,
    internalSecret: internalSecretOf(serverSecret),
    async close(): Promise<void> {
      stopPublishing();
      events.close();
      await Promise.all([closeRedisClient(redis), closeRedisClient(subscriber)]);
    },
  };
}

export type ClusterLinks = ReturnType<typeof openClusterLinks>;

/** API role: the directory of workers, the router, the placement of starting sessions and the loss watch. */
export function startApiCluster(deps: {
  links: ClusterLinks;
  store: Store;
  lifecycle: SessionLifecycle;
  log?: Log;
}) {
  const directory: WorkerDirectory = createWorkerDirectory(deps.links.redis, {
    onError: (error) => deps.log?.warn({ cause: String(error) }, 'worker registry unreadable'),
  });
  void directory.refresh();
  const router: MediaRouter = createMediaRouter({
    store: deps.store,
    directory,
    internalSecret: deps.links.internalSecret,
    ...(deps.log && { log: deps.log }),
  });
  const stopPlacing = deps.lifecycle.onStarted((row) => {
    if (row.sessionType === 'agent_chat') return;
    void router
      .place(row)
      .then(async (worker) => {
        if (worker) return;
        await deps.lifecycle.end(row.id, 'worker_lost', {
          detail: 'No worker had a free slot for this session',
        });
      })
      .catch((error: unknown) =>
        deps.log?.error({ err: error, sessionId: row.id }, 'could not place the session'),
      );
  });
  const watch = watchWorkerLoss({
    store: deps.store,
    directory,
    router,
    lifecycle: deps.lifecycle,
    ...(deps.log && { log: deps.log }),
  });
  const previews = createPreviewRelay({
    redis: deps.links.redis,
    directory,
    internalSecret: deps.links.internalSecret,
  });
  /** What /health and the capacity checks read on an API process, and where previews start. */
  const capacity = {
    hasCapacity: () => router.hasCapacity(),
    startPreview: previews.startPreview,
    get size() {
      return directory.list().reduce((sum, w) => sum + w.load, 0);
    },
    get warm() {
      return true;
    },
    /** Live workers in the registry (shown by /health on an API process). */
    get workers() {
      return directory.list().length;
    },
  };
  return {
    directory,
    router,
    capacity,
    workerUrlOf: (sessionId: string) => router.workerUrlOf(sessionId),
    /** The worker of a room token's session or preview (WHEP). */
    roomWorkerUrlOf: (id: string) => (isPreviewId(id) ? previews.workerUrlOf(id) : router.workerUrlOf(id)),
    workerOf: (sessionId: string) => router.workerOf(sessionId),
    workerOfSeq: (seq: number) => router.workerOfSeq(seq),
    async close(): Promise<void> {
      stopPlacing();
      await watch.stop();
      directory.close();
    },
  };
}

/** Worker role: the registry entry, and media released when any process ends one of its sessions. */
export function startWorkerCluster(deps: {
  links: ClusterLinks;
  store: Store;
  live: LiveSessions;
  conversations: ConversationRegistry;
  config: Config;
  workerId: string;
  log?: Log;
}) {
  let registration: ReturnType<typeof registerWorker> | undefined;
  const stopStarted = deps.live.onMediaStarted(() => void registration?.beat());
  const stopEnded = deps.links.events.onEnded(({ sessionId, reason }) => {
    if (deps.live.get(sessionId)) void deps.live.end(sessionId, reason);
    void deps.conversations.close(sessionId);
  });
  return {
    /** Joins the registry: only once the worker listens, so nothing is placed here that it cannot take. */
    register(): void {
      registration ??= registerWorker(
        deps.links.redis,
        () => ({
          id: deps.workerId,
          url: deps.config.workerUrl!,
          capacity: deps.config.live.maxSessions,
          load: deps.live.load,
        }),
        { onError: () => undefined },
      );
    },
    beat: () => void registration?.beat(),
    /**
     * Leaves the registry first, so no API process places anything here while it shuts down, then hands its
     * LiveKit-room sessions to other workers (what an API process does after a worker loss, but at once).
     */
    async close(): Promise<void> {
      stopStarted();
      await registration?.stop();
      await handOverLiveKitSessions(deps).catch((error: unknown) =>
        deps.log?.error({ err: error }, 'could not hand sessions over'),
      );
      stopEnded();
    },
  };
}

/**
 * A stopping worker's LiveKit-room sessions go on elsewhere: the room and its agent outlive this process, so
 * the avatar rejoins from another worker (same identity) and the session is not ended. Placement is the API's
 * (the same router, reading the same registry, moving `media_owner` only from this worker). Built-in rooms
 * live in this process: those sessions end `shutdown` with the rest.
 */
async function handOverLiveKitSessions(deps: {
  links: ClusterLinks;
  store: Store;
  live: LiveSessions;
  conversations: ConversationRegistry;
  workerId: string;
  log?: Log;
}): Promise<void> {
  const ids = deps.live.runningIds();
  if (ids.length === 0) return;
  const directory = createWorkerDirectory(deps.links.redis);
  try {
    await directory.refresh();
    const router = createMediaRouter({
      store: deps.store,
      directory,
      internalSecret: deps.links.internalSecret,
      ...(deps.log && { log: deps.log }),
    });
    await Promise.all(
      ids.map(async (sessionId) => {
        const row = await deps.store.sessions.findById(sessionId);
        if (!row || row.endedAt || row.mediaOwner !== deps.workerId || !livekitSeatOf(row)) return;
        let to: string | undefined;
        const moved = await deps.live.handOver(sessionId, async () => {
          const placed = await router.place(row, deps.workerId);
          to = placed === 'raced' ? undefined : placed;
          return to !== undefined;
        });
        if (!moved) return;
        // Its conversation (an agent session) opened on the new worker with the media.
        await deps.conversations.close(sessionId);
        deps.log?.info({ sessionId, to }, 'session handed over to another worker');
      }),
    );
  } finally {
    directory.close();
  }
}
