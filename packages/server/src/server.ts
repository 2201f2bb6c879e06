/**
 * @module The composition root: config → store → services → app, plus the sweeper. `close()` is the graceful
 * shutdown: stop accepting, let in-flight requests finish, stop the sweeper, close the database.
 *
 * Shutdown ends the sessions whose media runs in this process (`end_reason: shutdown`, their clients told by
 * `session.ended`), closes their rooms and the render workers. Sessions whose media ran in a process that died
 * (kill -9) end `worker_lost` at the next start-up and from the sweeper (live/media-heartbeat.ts). Sessions with no media here (never opened in
 * lazy mode) are left running; the sweeper ends those that expire (billed up to their expiration).
 *
 * `role` splits it for scale-out (cluster/cluster-roles.ts): `api` runs no media (placement, relays, the
 * worker-loss watch), `worker` runs media only and answers API processes only. What differs by role is wired
 * in roles/ (serve-role.ts, api-role.ts, worker-role.ts); everything here is shared by the three.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createFliteWorker } from '@agenthuman/engine/tts';
import { AVATAR_IMAGE_MAX_BYTES } from '@agenthuman/protocol';
import { openStore, type Store } from '@agenthuman/store';
import type { FastifyBaseLogger, FastifyInstance, FastifyServerOptions } from 'fastify';
import { type BootstrapResult, ensureBootstrap } from './accounts/bootstrap.js';
import { buildApp } from './app.js';
import type { AppDeps } from './app-deps.js';
import { createAvatarViews } from './avatars/avatar-views.js';
import type { BlobStore } from './avatars/blobs/blob-store.js';
import { createFsBlobStore } from './avatars/blobs/fs-blob-store.js';
import { createS3BlobStore } from './avatars/blobs/s3-blob-store.js';
import { defaultFetchPolicy, type FetchPolicy } from './avatars/fetch/safe-fetch.js';
import type { FaceIngestor } from './avatars/ingest/face-ingest.js';
import { createFaceWorkerPool } from './avatars/ingest/face-worker-pool.js';
import { createMediaSigner } from './avatars/media/media-signer.js';
import { createMediaSource } from './avatars/media/media-source.js';
import { createPreviewLinks } from './avatars/preview-links.js';
import { createAvatarResolver } from './avatars/resolve-avatar.js';
import { createUploadFace } from './avatars/upload-face.js';
import { assertRoleConfig, type ServerRole } from './cluster/cluster-roles.js';
import { openSharedState } from './cluster/shared-state.js';
import type { BlobStoreConfig, Config } from './config/config.js';
import { createAgentProviders } from './conversations/agent-providers.js';
import { createConversationRegistry } from './conversations/conversation-registry.js';
import type { SpeechOutputs } from './conversations/speech-output.js';
import { createAuthenticator } from './http/auth.js';
import { createRateLimiter } from './http/rate-limit.js';
import type { LiveSessions } from './live/live-sessions.js';
import { newMediaOwnerId } from './live/media-heartbeat.js';
import { checkOutboundUrl, createGuardedFetch } from './net/guarded-fetch.js';
import { createOutboundGuard } from './net/outbound-guard.js';
import { recordingWebhookEvents } from './recordings/recording-webhooks.js';
import {
  createSessionRecordings,
  type RecordingEvents,
  type SessionRecordings,
} from './recordings/session-recordings.js';
import { apiRole } from './roles/api-role.js';
import type { RoleCore, RoleWiring } from './roles/role-wiring.js';
import { serveRole } from './roles/serve-role.js';
import { workerRole } from './roles/worker-role.js';
import { createLiveKitRooms } from './rooms/livekit-rooms.js';
import { createRoomProvisioner } from './rooms/room-provisioner.js';
import { createSessionLifecycle } from './sessions/session-lifecycle.js';
import { toSessionView } from './sessions/session-view.js';
import { createSweeper, type Sweeper } from './sessions/sweeper.js';
import { createDomainEvents } from './webhooks/domain-events.js';
import { createOutboxPruner, type OutboxPruner } from './webhooks/outbox-pruner.js';
import type { RetrySchedule } from './webhooks/retry-schedule.js';
import { createWebhookDispatcher, type WebhookDispatcher } from './webhooks/webhook-dispatcher.js';
import { createWebhookUrlCheck } from './webhooks/webhook-url.js';

export type ServerOptions = {
  logger?: FastifyServerOptions['logger'];
  /** Image URL fetching: tests inject a resolver and a connector so nothing leaves 127.0.0.1. */
  fetchPolicy?: Partial<FetchPolicy>;
  /** A face ingestor to use instead of starting worker threads (not closed by the server). */
  faces?: FaceIngestor;
  /** A blob store to use instead of the configured one. */
  blobs?: BlobStore;
  /** Start the expiry sweeper timer (default true). */
  sweep?: boolean;
  /** Where voice and video agents speak (default: the in-process output, which plays nowhere). */
  speechOutputs?: SpeechOutputs;
  /**
   * Start a session's media as the session starts (default true). false starts it only when its WebSocket
   * or a viewer first needs it: tests that only exercise REST do not pay for pipelines and rooms.
   */
  startMediaWithSession?: boolean;
  /** The built dashboard to serve at `/` (see packages/web). */
  webRoot?: string;
  /** Media heartbeat timing (tests): how often this process beats, and after how long silence an owner is gone. */
  mediaHeartbeat?: { intervalMs?: number; lostAfterMs?: number };
  /** Told when a recording is ready or failed, inside the transaction that records it (default: webhooks). */
  recordingEvents?: RecordingEvents;
  /**
   * `all` (default, `agenthuman serve`): API and media in this process. `api` / `worker`: one side of
   * scale-out (cluster/cluster-roles.ts), each needing DATABASE_URL and REDIS_URL.
   */
  role?: ServerRole;
  /**
   * Webhook delivery: `deliver: false` runs no dispatcher (events still queue); tests inject a short retry
   * schedule and poll interval (the receiver stays real).
   */
  webhooks?: {
    deliver?: boolean;
    pollMs?: number;
    timeoutMs?: number;
    schedule?: Partial<RetrySchedule>;
  };
};

export type RunningServer = {
  app: FastifyInstance;
  deps: AppDeps;
  /** This process's live-session registry (serve, worker); a cluster API process has none (throws). */
  readonly live: LiveSessions;
  sweeper: Sweeper;
  /** Recordings made in this process (recorder stats for tests and benchmarks). */
  recordings: SessionRecordings;
  /** Webhook delivery of this process (tests call `runOnce`). */
  webhooks: WebhookDispatcher;
  /** Deletes delivered and dead outbox rows past their retention (`runOnce` for tests). */
  outboxPruner: OutboxPruner;
  bootstrap: BootstrapResult;
  /** Where it listens, once `listen()` ran. */
  url: string | undefined;
  listen(): Promise<string>;
  close(): Promise<void>;
};

export async function createServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  assertRoleConfig(options.role ?? 'all', config);
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
  });
  try {
    return await assemble(config, store, options);
  } catch (error) {
    await store.close();
    throw error;
  }
}

async function assemble(config: Config, store: Store, options: ServerOptions): Promise<RunningServer> {
  // The app's logger exists only after the app; Redis and cluster parts log through this until then (nowhere).
  let appLogger: FastifyBaseLogger | undefined;
  const log = {
    info: (obj: object, msg: string) => appLogger?.info(obj, msg),
    warn: (obj: object, msg: string) => appLogger?.warn(obj, msg),
    error: (obj: object, msg: string) => appLogger?.error(obj, msg),
  };
  const bootstrap = await ensureBootstrap(store, config);
  const secret = await store.settings.getOrCreate('server_secret', () =>
    randomBytes(32).toString('base64url'),
  );
  const blobs = options.blobs ?? openBlobStore(config.blobStore);
  const faces = options.faces ?? createFaceWorkerPool(config.faceWorkers);
  const signer = createMediaSigner({ secret, publicUrl: config.publicUrl });
  const avatarViews = createAvatarViews(signer);
  // Webhook payloads are the API's own views; `avatars` is made below and read only when an event is published.
  const events = createDomainEvents({
    session: (row, now) => toSessionView(row, avatars, now),
    avatar: (row) => avatarViews.user(row),
  });
  const lifecycle = createSessionLifecycle({ store, plans: config.plans, events });
  // One guard for every URL an account sets (image URLs, llm.base_url): public addresses, plus the operator's
  // AGENTHUMAN_ALLOWED_PRIVATE_HOSTS.
  const guard = createOutboundGuard(config.allowedPrivateHosts);
  const fetchPolicy: FetchPolicy = {
    ...defaultFetchPolicy(AVATAR_IMAGE_MAX_BYTES),
    blockedReason: guard.blockedReason,
    ...options.fetchPolicy,
  };
  const uploadFace = createUploadFace({ store, plans: config.plans, blobs, faces, fetchPolicy, events });
  const avatars = createAvatarResolver({ store, signer, uploadFace });
  // One Flite thread for the process: speak_text, previews and the agents' Flite voice.
  const flite = createFliteWorker();
  const mediaOwner = newMediaOwnerId();
  const recordings = createSessionRecordings({
    store,
    blobs,
    tempDir: join(config.dataDir, 'recordings'),
    owner: mediaOwner,
    events: options.recordingEvents ?? recordingWebhookEvents(),
  });
  const role = ROLES[options.role ?? 'all']({
    config,
    store,
    lifecycle,
    secret,
    blobs,
    recordings,
    tts: flite,
    mediaOwner,
    log,
    ...(options.startMediaWithSession !== undefined && {
      startMediaWithSession: options.startMediaWithSession,
    }),
    ...(options.mediaHeartbeat?.intervalMs !== undefined && {
      heartbeatIntervalMs: options.mediaHeartbeat.intervalMs,
    }),
  });
  const { live } = role;
  const outbound = { guard, resolver: fetchPolicy.resolver, connector: fetchPolicy.connector };
  const agentProviders = createAgentProviders(config.agents, {
    flite,
    outbound: {
      checkUrl: async (url) => void (await checkOutboundUrl(url, outbound)),
      fetch: createGuardedFetch(outbound),
    },
  });
  let logError: (error: unknown) => void = () => {};
  const conversations = createConversationRegistry({
    store,
    providers: agentProviders,
    outputs: options.speechOutputs ?? role.speechOutputs,
    lifecycle,
    onError: (error) => logError(error),
    voiceEndSilenceMs: config.agents.voiceEndSilenceMs,
    voiceEarlyEnd: config.agents.voiceEarlyEnd,
  });
  const rooms = createRoomProvisioner({
    publicUrl: config.publicUrl,
    secret,
    livekit: config.livekit && createLiveKitRooms(config.livekit),
    defaultRoom: config.defaultRoom,
  });
  // Redis-backed shared state (REDIS_URL): limits and revocations hold across API processes.
  const shared = config.redisUrl ? openSharedState(config.redisUrl, log) : undefined;
  const rateLimiter = createRateLimiter({
    perMinute: config.rateLimitPerMinute,
    ...(shared && { shared: shared.rateWindows('api') }),
  });
  let logWebhook: (error: unknown) => void = () => {};
  const dispatcher = createWebhookDispatcher({
    store,
    fetch: createGuardedFetch(outbound),
    owner: mediaOwner,
    ...(options.webhooks?.schedule && { schedule: options.webhooks.schedule }),
    ...(options.webhooks?.pollMs !== undefined && { pollMs: options.webhooks.pollMs }),
    ...(options.webhooks?.timeoutMs !== undefined && { timeoutMs: options.webhooks.timeoutMs }),
    onError: (error) => logWebhook(error),
  });
  const outboxPruner = createOutboxPruner({
    store,
    deliveredRetentionMs: config.webhookRetention.deliveredMs,
    deadRetentionMs: config.webhookRetention.deadMs,
    onError: (error) => app.log.error({ err: error }, 'webhook outbox pruning failed'),
  });
  const deps: AppDeps = {
    ...role.wire({ conversations, rateLimiter }),
    config,
    plans: config.plans,
    store,
    auth: createAuthenticator(store, {
      onFailure: (request) => rateLimiter.authFailed(request),
      ...(shared && { revocations: shared.revocations }),
    }),
    rateLimiter,
    avatars,
    blobs,
    media: { signer, source: createMediaSource({ blobs, faces }), views: avatarViews },
    uploadFace,
    previews: createPreviewLinks({ store, avatars, publicUrl: config.publicUrl }),
    rooms,
    lifecycle,
    agentProviders,
    conversations,
    linkStartLimiter: createRateLimiter({
      perMinute: config.linkStartRateLimitPerMinute,
      by: 'ip',
      ...(shared && { shared: shared.rateWindows('link-start') }),
    }),
    webhooks: { checkUrl: createWebhookUrlCheck(outbound), wake: () => dispatcher.wake() },
  };
  const app = await buildApp(deps, { logger: options.logger ?? false, webRoot: options.webRoot });
  live?.setLogger(app.log);
  recordings.setLogger(app.log);
  appLogger = app.log;
  await role.attach(app, { conversations });
  logError = (error) => app.log.error({ err: error }, 'agent conversation failed');
  logWebhook = (error) => app.log.error({ err: error }, 'webhook delivery failed to run');
  // A LiveKit room we made lives as long as its session: closing it disconnects everyone in it.
  lifecycle.onEnded(({ session }) => {
    if (!session.room) return;
    rooms.release(session.room).catch((error: unknown) => {
      app.log.warn(
        { err: error, session_id: session.id },
        'could not close the LiveKit room of an ended session',
      );
    });
  });
  const sweeper = createSweeper({
    store,
    lifecycle,
    intervalMs: config.sweepIntervalMs,
    mediaOwner,
    ...(options.mediaHeartbeat?.lostAfterMs !== undefined && {
      mediaLostAfterMs: options.mediaHeartbeat.lostAfterMs,
    }),
    onError: (error) => app.log.error({ err: error }, 'session sweep failed'),
  });
  // Sessions whose media died with a previous process end before this one answers (their slots come back).
  const lost = await sweeper.endLostMediaAtStart(store.kind === 'pglite');
  if (lost > 0) app.log.warn({ sessions: lost }, 'ended sessions whose media process was gone (worker_lost)');
  // Their recordings: the partial file is stored (or the recording fails) before this process answers.
  let recovering: Promise<unknown> | undefined;
  const recover = () => {
    recovering ??= recordings
      .recoverAbandoned()
      .catch((error) => app.log.error({ err: error }, 'recording recovery failed'))
      .finally(() => {
        recovering = undefined;
      });
    return recovering;
  };
  // Only where media runs: a leftover's file is on the host that recorded it (a cluster API process has none).
  let recoveryTimer: NodeJS.Timeout | undefined;
  if (live) {
    await recover();
    if (options.sweep !== false) {
      // Sessions lost elsewhere end `worker_lost` (sweeper, API processes): their recordings are finished here.
      recoveryTimer = setInterval(() => void recover(), config.sweepIntervalMs);
      recoveryTimer.unref();
    }
  }
  if (options.sweep !== false && role.sweeps) sweeper.start();
  if (options.webhooks?.deliver !== false) {
    dispatcher.start();
    outboxPruner.start();
    // A start or end just committed its events: look now rather than at the next poll.
    lifecycle.onStarted(() => dispatcher.wake());
    lifecycle.onEnded(() => dispatcher.wake());
  }

  let closing: Promise<void> | undefined;
  const server: RunningServer = {
    app,
    deps,
    get live(): LiveSessions {
      if (!live) throw new Error('A cluster API process runs no media: its sessions run on workers');
      return live;
    },
    sweeper,
    recordings,
    webhooks: dispatcher,
    outboxPruner,
    bootstrap,
    url: undefined,
    async listen() {
      const address = await app.listen({ port: config.port, host: config.host });
      role.listening();
      server.url = address.replace('[::1]', 'localhost');
      return server.url;
    },
    close() {
      closing ??= (async () => {
        // Sessions end (and their sockets close) before the HTTP server waits for connections to finish.
        // Conversations stop first, so nothing speaks into media that is closing.
        await role.leave();
        await conversations.closeAll();
        clearInterval(recoveryTimer);
        await role.close();
        await flite.close();
        await app.close();
        if (!options.faces) await faces.close();
        await sweeper.stop();
        await dispatcher.stop();
        await outboxPruner.stop();
        if (shared) await shared.close();
        await store.close();
      })();
      return closing;
    },
  };
  return server;
}

const ROLES: Record<ServerRole, (core: RoleCore) => RoleWiring> = {
  all: serveRole,
  api: apiRole,
  worker: workerRole,
};

function openBlobStore(config: BlobStoreConfig): BlobStore {
  return config.kind === 's3' ? createS3BlobStore(config.s3) : createFsBlobStore(config.root);
}
