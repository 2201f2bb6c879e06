/**
 * @module The live-session registry of this process: starts a session's media when the session starts (create
 * shapes 2/3 at once, shape 1 at `/start`; or lazily on the first WebSocket or viewer), ends sessions by the
 * automatic rules, and releases the media when the session ends, whatever ended it (`SessionLifecycle.onEnded`).
 * `get(sessionId)` is the interface other code uses to make a running avatar speak.
 */
import {
  type AspectRatio,
  AudioLipSync,
  createAnimator,
  RenderWorkerPool,
  SessionPipeline,
} from '@agenthuman/engine';
import type { EndReason } from '@agenthuman/protocol';
import { type BuiltinRoom, RoomHub } from '@agenthuman/rooms';
import type { SessionRow, Store } from '@agenthuman/store';
import { ulid } from 'ulid';
import type { BlobStore } from '../avatars/blobs/blob-store.js';
import type { LiveConfig } from '../config/config.js';
import { signRoomToken, verifyRoomToken } from '../rooms/room-token.js';
import type { SessionLifecycle } from '../sessions/session-lifecycle.js';
import { EndTimers } from './end-timers.js';
import { LiveError, LiveSession } from './live-session.js';
import { type WarmupReport, warmPublicAvatars } from './media/avatar-warmup.js';
import { rendererSpecFor } from './media/renderer-spec.js';
import { newMediaOwnerId, startMediaHeartbeat } from './media-heartbeat.js';
import { createFliteWorker, type SpeechSynthesizer } from './tts/flite-worker.js';

export type LiveSessionsOptions = {
  config: LiveConfig;
  store: Store;
  lifecycle: SessionLifecycle;
  blobs: BlobStore;
  secret: string;
  /** Start media as sessions start (default). false: only when a WebSocket or a viewer first needs it. */
  startWithSession?: boolean;
  /** This process's id in `sessions.media_owner` (see media-heartbeat.ts), and how often it beats. */
  mediaOwner?: string;
  heartbeatIntervalMs?: number;
  log?: Logger;
};

type Logger = {
  info(object: unknown, message: string): void;
  warn(object: unknown, message: string): void;
  error(object: unknown, message: string): void;
};

type Entry = { live: LiveSession; timers: EndTimers };

/** What a session's media is made from: a stored session, or an avatar preview that has no session row. */
type MediaTarget = {
  id: string;
  avatarId: string | null;
  aspectRatio: AspectRatio;
  roomName: string | undefined;
  expiration: Date | null;
  /** false for previews: nothing in the store to check or end. */
  stored: boolean;
  emptyTimeoutMs?: number;
};

const targetOf = (row: SessionRow): MediaTarget => ({
  id: row.id,
  avatarId: row.avatarId,
  aspectRatio: row.aspectRatio as AspectRatio,
  roomName: row.room?.kind === 'builtin' ? row.room.name : undefined,
  expiration: row.expiration,
  stored: true,
});

/** A preview lives this long at most, and ends this soon after its visitor leaves. */
const PREVIEW_MAX_MS = 3 * 60_000;
const PREVIEW_EMPTY_MS = 5_000;

export type LiveSessions = ReturnType<typeof createLiveSessions>;

export function createLiveSessions(options: LiveSessionsOptions) {
  const { config, store, lifecycle } = options;
  const pool = new RenderWorkerPool({ size: config.renderWorkers });
  const tts: SpeechSynthesizer = createFliteWorker();
  const hub = new RoomHub({
    verifyToken: (roomName, token) => verifyRoomToken(options.secret, token)?.room === roomName,
    iceServers: config.iceServers,
    loopbackOnly: config.loopbackOnly,
    emptyTimeoutMs: config.roomEmptyTimeoutMs,
  });
  const running = new Map<string, Entry>();
  const starting = new Map<string, Promise<LiveSession>>();
  const ending = new Set<string>();
  const warmup = new AbortController();
  let closed = false;
  let log: Logger | undefined = options.log;
  const heartbeat = startMediaHeartbeat({
    store,
    owner: options.mediaOwner ?? newMediaOwnerId(),
    sessionIds: () => running.keys(),
    ...(options.heartbeatIntervalMs !== undefined && { intervalMs: options.heartbeatIntervalMs }),
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
    const { spec, seed } = await rendererSpecFor(options.blobs, row.avatarId, row.aspectRatio);
    let live: LiveSession | undefined;
    // The room exists before the first frame so a viewer can connect while the lane opens.
    const room: BuiltinRoom | undefined =
      row.roomName !== undefined
        ? hub.create(row.roomName, {
            onFrameSent: (ptsMs, atMs) => live?.frameSent(ptsMs, atMs),
            ...(row.emptyTimeoutMs !== undefined && { emptyTimeoutMs: row.emptyTimeoutMs }),
          })
        : undefined;
    let pipeline: SessionPipeline;
    try {
      pipeline = await SessionPipeline.start({
        renderer: spec,
        animator: createAnimator({ seed }),
        lipSync: new AudioLipSync(),
        pool,
        videoSinks: room ? [{ writeVideo: (frame) => room.pushVideo(frame) }] : [],
        audioSinks: room
          ? [
              {
                writeAudio: (chunk) =>
                  room.pushAudio({ samples: chunk.pcm, sampleRate: chunk.sampleRate, ptsMs: chunk.ptsMs }),
              },
            ]
          : [],
      });
    } catch (error) {
      room?.close();
      throw error;
    }
    live = new LiveSession({ sessionId: row.id, pipeline, room, tts });
    const timers = new EndTimers({
      reconnectGraceMs: config.wsReconnectGraceMs,
      end: (reason) => void end(row.id, reason),
    });
    room?.on('empty-timeout', () => void end(row.id, 'room_empty'));
    pipeline.on('error', (error) => log?.warn({ err: error, sessionId: row.id }, 'live pipeline error'));
    running.set(row.id, { live, timers });
    if (row.stored) void heartbeat.beat();
    timers.expireAt(row.expiration);
    // Ended while its media was starting: release at once (not `release`, which waits for this start).
    if (row.stored && (await isEnded(row.id))) await releaseEntry(row.id, 'client');
    return live;
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
  }

  /** Ends a session by an automatic rule: its client hears `session.ended` first, then it is ended and billed. */
  async function end(sessionId: string, reason: EndReason): Promise<void> {
    if (ending.has(sessionId)) return;
    ending.add(sessionId);
    try {
      running.get(sessionId)?.live.announceEnding(reason);
      await lifecycle.end(sessionId, reason);
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

    /** True once the start-up warm-up finished (or when it is off). */
    get warm(): boolean {
      return warm;
    },

    hasCapacity,

    /** The app's logger exists only after the registry (the app needs the registry first). */
    setLogger(logger: Logger): void {
      log = logger;
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

    /**
     * An avatar preview (the single-use preview link): a short-lived live room, no session row, no billing.
     * The avatar greets the first visitor with Flite; the room ends 5 s after the visitor leaves, or after 3 min.
     */
    async startPreview(avatar: {
      avatarId: string;
      name: string;
    }): Promise<{ previewId: string; roomName: string; token: string }> {
      const id = `preview_${ulid()}`;
      const roomName = `ah-preview-${ulid()}`;
      const live = await start({
        id,
        avatarId: avatar.avatarId,
        aspectRatio: '4:3',
        roomName,
        expiration: new Date(Date.now() + PREVIEW_MAX_MS),
        stored: false,
        emptyTimeoutMs: PREVIEW_EMPTY_MS,
      });
      live.room?.once('viewer-joined', () => {
        const greeting = `Hi, I'm ${avatar.name}. This is a live preview: I can say anything your app sends me, in real time.`;
        live.speakText(greeting).catch((error) => log?.warn({ err: error }, 'preview greeting failed'));
      });
      const token = signRoomToken(options.secret, {
        room: roomName,
        session_id: id,
        role: 'client',
        exp: Math.floor((Date.now() + PREVIEW_MAX_MS) / 1000),
      });
      return { previewId: id, roomName, token };
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
      await Promise.all([pool.close(), tts.close()]);
    },
  };
}

const needsMedia = (row: SessionRow) => row.sessionType !== 'agent_chat';
