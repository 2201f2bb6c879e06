/**
 * @module The live-session registry of this process: starts a session's media when the session starts (create
 * shapes 2/3 at once, shape 1 at `/start`; or lazily on the first WebSocket or viewer), ends sessions by the
 * automatic rules, and releases the media when the session ends, whatever ended it (`SessionLifecycle.onEnded`).
 * `get(sessionId)` is the interface other code uses to make a running avatar speak.
 */
import { LiveError, type WarmupReport, warmPublicAvatars } from '@agenthuman/engine/live';
import { RenderWorkerPool } from '@agenthuman/engine/render';
import { createFliteWorker, type FliteWorker } from '@agenthuman/engine/tts';
import type { EndReason } from '@agenthuman/protocol';
import { RoomHub } from '@agenthuman/rooms';
import type { SessionRow, Store } from '@agenthuman/store';
import type { BlobStore } from '../avatars/blobs/blob-store.js';
import type { LiveConfig } from '../config/config.js';
import { verifyRoomToken } from '../rooms/room-token.js';
import type { SessionLifecycle } from '../sessions/session-lifecycle.js';
import { EndTimers } from './end-timers.js';
import { type LivePreview, startLivePreview } from './live-preview.js';
import type { LiveSession } from './live-session.js';
import { createLiveKitSeating, type LiveLogger } from './livekit-seating.js';
import { newMediaOwnerId, startMediaHeartbeat } from './media-heartbeat.js';
import { type MediaTarget, needsMedia, targetOf } from './media-target.js';
import { type LiveRecordings, type MediaParts, openMedia } from './open-media.js';

export { PREVIEW_MAX_MS } from './live-preview.js';
export type { LiveRecordings } from './open-media.js';

export type LiveSessionsOptions = {
  config: LiveConfig;
  store: Store;
  lifecycle: SessionLifecycle;
  blobs: BlobStore;
  secret: string;
  /** The process's Flite worker (speak_text, previews, agents' Flite voice); made here when not given. */
  tts?: FliteWorker;
  /** Start media as sessions start (default). false: only when a WebSocket or a viewer first needs it. */
  startWithSession?: boolean;
  /** This process's id in `sessions.media_owner` (see media-heartbeat.ts), and how often it beats. */
  mediaOwner?: string;
  heartbeatIntervalMs?: number;
  /** Records sessions created with `record` (absent: nothing is recorded). */
  recordings?: LiveRecordings;
  /**
   * A cluster worker: the API assigns sessions (it writes `media_owner` first); beats touch only rows still
   * owned, and media of a session ended or moved elsewhere is released at the next beat (the net behind the
   * Redis `session.ended` event).
   */
  assigned?: boolean;
  log?: LiveLogger;
};

/** `stored`: a session row exists (a preview has none, so no heartbeat). */
type Entry = { live: LiveSession; timers: EndTimers; stored: boolean };

export type LiveSessions = ReturnType<typeof createLiveSessions>;

export function createLiveSessions(options: LiveSessionsOptions) {
  const { config, store, lifecycle } = options;
  const pool = new RenderWorkerPool({ size: config.renderWorkers });
  const ownTts = options.tts ? undefined : createFliteWorker();
  const tts: FliteWorker = options.tts ?? ownTts!;
  const hub = new RoomHub({
    verifyToken: (roomName, token) => verifyRoomToken(options.secret, token)?.room === roomName,
    iceServers: config.iceServers,
    loopbackOnly: config.loopbackOnly,
    emptyTimeoutMs: config.roomEmptyTimeoutMs,
  });
  const running = new Map<string, Entry>();
  const starting = new Map<string, Promise<LiveSession>>();
  const ending = new Set<string>();
  const seating = createLiveKitSeating({ end, log: () => log });
  const media: MediaParts = {
    blobs: options.blobs,
    hub,
    pool,
    tts,
    seating,
    recordings: options.recordings,
    log: () => log,
  };
  const warmup = new AbortController();
  /** Told when a session's media starts, so code that waits for it (an agent's voice) need not poll. */
  const startedListeners = new Set<(live: LiveSession) => void>();
  let closed = false;
  let log: LiveLogger | undefined = options.log;
  const heartbeat = startMediaHeartbeat({
    store,
    owner: options.mediaOwner ?? newMediaOwnerId(),
    // Previews have no row: on a worker a beat that wrote none of them would take them for moved elsewhere.
    sessionIds: () => [...running].filter(([, entry]) => entry.stored).map(([id]) => id),
    ...(options.heartbeatIntervalMs !== undefined && { intervalMs: options.heartbeatIntervalMs }),
    ...(options.assigned && { onDisowned: (ids: string[]) => void releaseDisowned(ids) }),
    onError: (error) => log?.warn({ err: error }, 'media heartbeat not recorded'),
  });

  const unsubscribe = [
    lifecycle.onStarted((row) => {
      if (options.startWithSession === false || !needsMedia(row)) return;
      start(targetOf(row)).catch((error) =>
        log?.error({ err: error, sessionId: row.id }, 'live media did not start'),
      );
    }),
    lifecycle.onEnded(({ session, reason }) => {
      void release(session.id, reason);
    }),
  ];

  let warm = !config.warmAvatars;
  const warmed: Promise<WarmupReport | undefined> = config.warmAvatars
    ? warmPublicAvatars(pool, { signal: warmup.signal })
        .catch((error) => {
          log?.warn({ err: error }, 'avatar warm-up failed');
          return undefined;
        })
        .then((report) => {
          warm = true;
          if (report) log?.info({ warmup: report }, 'public avatars warm on the render workers');
          return report;
        })
    : Promise.resolve(undefined);

  function hasCapacity(): boolean {
    return !closed && running.size + starting.size < config.maxSessions;
  }

  function start(target: MediaTarget): Promise<LiveSession> {
    const existing = running.get(target.id)?.live ?? starting.get(target.id);
    if (existing) return Promise.resolve(existing);
    if (!hasCapacity()) {
      return Promise.reject(
        new LiveError('NO_CAPACITY', 'No avatar capacity is free on this server right now'),
      );
    }
    const promise = startMedia(target).finally(() => starting.delete(target.id));
    starting.set(target.id, promise);
    return promise;
  }

  async function startMedia(row: MediaTarget): Promise<LiveSession> {
    const { live, joining } = await openMedia(media, row);
    const timers = new EndTimers({
      reconnectGraceMs: config.wsReconnectGraceMs,
      end: (reason) => void end(row.id, reason),
    });
    live.room?.on('empty-timeout', () => void end(row.id, 'room_empty'));
    live.avatar.on('error', (error) => log?.warn({ err: error, sessionId: row.id }, 'live pipeline error'));
    running.set(row.id, { live, timers, stored: row.stored });
    for (const listener of startedListeners) listener(live);
    if (row.stored) void heartbeat.beat();
    timers.expireAt(row.expiration);
    if (row.livekit && joining) void seating.seat(row.id, live, row.livekit, joining);
    // Ended while its media was starting: release at once (not `release`, which waits for this start).
    if (row.stored && (await isEnded(row.id))) await releaseEntry(row.id, 'client');
    return live;
  }

  /** Ended elsewhere (reason from the row) or moved to another worker while this one was thought lost. */
  async function releaseDisowned(ids: string[]): Promise<void> {
    for (const id of ids) {
      if (seating.isHandingOver(id)) continue;
      const row = await store.sessions.findById(id).catch(() => undefined);
      await release(id, (row?.endReason as EndReason | null | undefined) ?? 'worker_lost');
    }
  }

  async function isEnded(sessionId: string): Promise<boolean> {
    const row = await store.sessions.findById(sessionId);
    return !row || row.endedAt !== null;
  }

  async function release(sessionId: string, reason: EndReason): Promise<void> {
    const pending = starting.get(sessionId);
    if (pending) await pending.catch(() => undefined);
    await releaseEntry(sessionId, reason);
  }

  async function releaseEntry(sessionId: string, reason: EndReason): Promise<void> {
    const entry = running.get(sessionId);
    if (!entry) return;
    running.delete(sessionId);
    entry.timers.stop();
    await entry.live.close(reason);
    // After the avatar closed: the recorder has had its last frame.
    await options.recordings?.finish(sessionId).catch((error) => {
      log?.error({ err: error, sessionId }, 'recording not finished');
    });
  }

  /** Ends a session by an automatic rule: its client hears `session.ended` first, then it is ended and billed. */
  async function end(sessionId: string, reason: EndReason, detail?: string): Promise<void> {
    if (ending.has(sessionId)) return;
    ending.add(sessionId);
    try {
      running.get(sessionId)?.live.announceEnding(reason);
      await lifecycle.end(sessionId, reason, detail ? { detail } : {});
      // Ended before (or unknown to the store): the media still goes.
      await release(sessionId, reason);
    } catch (error) {
      log?.error({ err: error, sessionId }, `could not end session (${reason})`);
    } finally {
      ending.delete(sessionId);
    }
  }

  return {
    hub,
    pool,
    /** Resolves when the public avatars are warm on every render worker (undefined when warm-up is off). */
    warmed,

    get size(): number {
      return running.size;
    },

    /** Sessions running or starting here (what counts against `maxSessions`). */
    get load(): number {
      return running.size + starting.size;
    },

    /** True once the start-up warm-up finished (or when it is off). */
    get warm(): boolean {
      return warm;
    },

    hasCapacity,

    /** The app's logger exists only after the registry (the app needs the registry first). */
    setLogger(logger: LiveLogger): void {
      log = logger;
    },

    /** Calls `listener` each time a session's media starts in this process; returns the unsubscribe. */
    onMediaStarted(listener: (live: LiveSession) => void): () => void {
      startedListeners.add(listener);
      return () => startedListeners.delete(listener);
    },

    /** The running session's media, or undefined (not started here, or ended). */
    get(sessionId: string): LiveSession | undefined {
      return running.get(sessionId)?.live;
    },

    /** The running session's media, starting it if the session is started but its media is not yet. */
    async ensure(row: SessionRow): Promise<LiveSession> {
      if (!needsMedia(row))
        throw new LiveError('NO_AVATAR_MEDIA', 'This session has no avatar media (agent_chat)');
      return start(targetOf(row));
    },

    /** An avatar preview (the single-use preview link): a short-lived room, no session row (live-preview.ts). */
    startPreview(avatar: { avatarId: string; name: string }): Promise<LivePreview> {
      return startLivePreview({ start, secret: options.secret, log: () => log }, avatar);
    },

    /** A room's session, for viewers arriving while its media has not started (lazy mode). */
    async ensureForRoomToken(token: string): Promise<void> {
      const claims = verifyRoomToken(options.secret, token);
      if (!claims || hub.get(claims.room)) return;
      const row = await store.sessions.findById(claims.session_id);
      if (row?.startedAt && !row.endedAt && row.room?.kind === 'builtin' && row.room.name === claims.room) {
        await start(targetOf(row)).catch(() => undefined);
      }
    },

    socketOpened(sessionId: string): void {
      running.get(sessionId)?.timers.socketOpened();
    },

    socketClosed(sessionId: string): void {
      running.get(sessionId)?.timers.socketClosed();
    },

    end,

    /** Ids of the sessions whose media runs here. */
    runningIds(): string[] {
      return [...running.keys()];
    },

    /**
     * Graceful stop of a worker: `place` moves the session to another worker and starts it there; when it did,
     * the media here goes without ending anything (no `ended` to the room, the socket told to reconnect).
     * False: nobody took it, it still runs here (and ends `shutdown` with the rest).
     */
    async handOver(sessionId: string, place: () => Promise<boolean>): Promise<boolean> {
      const entry = running.get(sessionId);
      if (!entry || ending.has(sessionId)) return false;
      return seating.handOver(sessionId, place, async () => {
        running.delete(sessionId);
        entry.timers.stop();
        await entry.live.close('shutdown', { handOver: true });
      });
    },

    /** Shutdown: every session with media here ends (`shutdown`), then the workers and rooms go. */
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      warmup.abort();
      await heartbeat.stop();
      await Promise.allSettled([...starting.values()]);
      await Promise.all([...running.keys()].map((id) => end(id, 'shutdown')));
      for (const stop of unsubscribe) stop();
      hub.closeAll();
      await warmed;
      await Promise.all([pool.close(), ownTts?.close()]);
    },
  };
}
