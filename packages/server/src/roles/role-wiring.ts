/**
 * @module What differs between the three roles of `createServer` (serve, cluster API, cluster worker): where
 * media runs, how sockets, viewers and agent turns reach it, and what joins or leaves the cluster. The
 * composition root (server.ts) builds everything shared and hands the rest to one role's wiring, in phases
 * that follow the order the shared parts come into being.
 */
import type { FliteWorker } from '@agenthuman/engine/tts';
import type { Store } from '@agenthuman/store';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import type { BlobStore } from '../avatars/blobs/blob-store.js';
import type { RedisLogger } from '../cluster/redis.js';
import type { Config } from '../config/config.js';
import type { ConversationRegistry } from '../conversations/conversation-registry.js';
import type { SpeechOutputs } from '../conversations/speech-output.js';
import type { RateLimiter } from '../http/rate-limit.js';
import type { LiveSessions } from '../live/live-sessions.js';
import type { SessionRecordings } from '../recordings/session-recordings.js';
import type { SessionLifecycle } from '../sessions/session-lifecycle.js';

export type RoleLog = RedisLogger & { error(obj: object, msg: string): void };

/** The shared parts a role's wiring starts from. */
export type RoleCore = {
  config: Config;
  store: Store;
  lifecycle: SessionLifecycle;
  /** `settings.server_secret`: room tokens, and the cluster's internal secret. */
  secret: string;
  blobs: BlobStore;
  recordings: SessionRecordings;
  /** The process's one Flite thread. */
  tts: FliteWorker;
  /** This process's media-owner id (also a worker's registry id). */
  mediaOwner: string;
  /** Logs to the app's logger once there is one (cluster parts start before it). */
  log: RoleLog;
  /** ServerOptions.startMediaWithSession (serve only). */
  startMediaWithSession?: boolean;
  /** ServerOptions.mediaHeartbeat.intervalMs (tests). */
  heartbeatIntervalMs?: number;
};

/** The parts of AppDeps that depend on where media runs. */
export type RoleAppDeps = Pick<AppDeps, 'live' | 'connectSocket' | 'signalling'> &
  Partial<Pick<AppDeps, 'messageRelay' | 'internalSecret'>>;

export type RoleWiring = {
  /** This process's live-session registry (serve, worker); a cluster API process has none. */
  live: LiveSessions | undefined;
  /** Where agents speak unless ServerOptions.speechOutputs says otherwise. */
  speechOutputs: SpeechOutputs;
  /** Whether this process runs the expiry sweeper (a worker leaves it to the API processes). */
  sweeps: boolean;
  /** Once conversations and the API's rate limiter exist: the role's part of AppDeps. */
  wire(parts: { conversations: ConversationRegistry; rateLimiter: RateLimiter }): RoleAppDeps;
  /** Once the app exists (its logger set): routes and cluster parts that need it. */
  attach(app: FastifyInstance, parts: { conversations: ConversationRegistry }): Promise<void>;
  /** Once the app listens. */
  listening(): void;
  /** Shutdown, first: stop taking or placing media (conversations close after this). */
  leave(): Promise<void>;
  /** Shutdown, after conversations: this process's media, then its cluster connections. */
  close(): Promise<void>;
};
