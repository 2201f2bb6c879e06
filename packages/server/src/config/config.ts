/**
 * @module The only reader of process.env: every setting, validated at start-up. The settings of one domain
 * (live sessions, rooms, blob store, agents) are parsed and checked in their own file; this one joins them.
 */
import { resolve } from 'node:path';
import { API_KEY_PATTERN, PlanKey } from '@agenthuman/protocol';
import { z } from 'zod';
import { type AgentProviderConfig, AgentsEnv, agentsConfig } from './agents-config.js';
import { type BlobStoreConfig, BlobStoreEnv, blobStoreConfig } from './blob-store-config.js';
import { invalidConfig } from './config-error.js';
import { addressList, optionalHttpUrl, optionalJson, optionalString } from './env-values.js';
import { type LiveConfig, LiveEnv, liveConfig } from './live-config.js';
import { buildPlanTable, PlanOverrides, type PlanTable } from './plans.js';
import { type LiveKitConfig, RoomsEnv, roomsConfig } from './rooms-config.js';

export type { AgentProviderConfig } from './agents-config.js';
export type { BlobStoreConfig } from './blob-store-config.js';
export { ConfigError } from './config-error.js';
export { DEFAULT_MAX_LIVE_SESSIONS, type IceServer, type LiveConfig } from './live-config.js';
export type { LiveKitConfig } from './rooms-config.js';

const ServerEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  AGENTHUMAN_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
  ),
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .refine((url) => URL.canParse(url), 'must be a valid URL')
      .optional(),
  ),
  AGENTHUMAN_BOOTSTRAP_KEY: optionalString.pipe(
    z
      .string()
      .regex(API_KEY_PATTERN, 'must be ah_live_ or ah_test_ followed by 32 letters or digits')
      .optional(),
  ),
  AGENTHUMAN_PUBLIC_URL: optionalHttpUrl({ trimSlashes: true }),
  AGENTHUMAN_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
  AGENTHUMAN_TRUST_PROXY: addressList('IP addresses or CIDR ranges'),
  AGENTHUMAN_ALLOWED_PRIVATE_HOSTS: addressList('host names, IP addresses or CIDR ranges', true),
  AGENTHUMAN_DEFAULT_PLAN: PlanKey.default('enterprise'),
  AGENTHUMAN_PLANS: optionalJson(PlanOverrides, 'must be JSON'),
  AGENTHUMAN_SWEEP_INTERVAL_S: z.coerce.number().min(1).max(3600).default(30),
  // Days kept in the webhook outbox: succeeded deliveries, and failed (dead) ones; fractions allowed.
  AGENTHUMAN_WEBHOOK_DELIVERED_RETENTION_DAYS: z.coerce.number().min(0.01).max(3650).default(7),
  AGENTHUMAN_WEBHOOK_DEAD_RETENTION_DAYS: z.coerce.number().min(0.01).max(3650).default(30),
  AGENTHUMAN_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  AGENTHUMAN_FACE_WORKERS: z.coerce.number().int().min(1).max(32).default(1),
  AGENTHUMAN_FACE_QUEUE: z.coerce.number().int().min(0).max(1000).default(16),
  AGENTHUMAN_LINK_START_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  // Scale-out: the URL API processes reach this worker at (`agenthuman worker`).
  AGENTHUMAN_WORKER_URL: optionalHttpUrl({ trimSlashes: true }),
});

const EnvSchema = z.object({
  ...ServerEnv.shape,
  ...RoomsEnv.shape,
  ...BlobStoreEnv.shape,
  ...AgentsEnv.shape,
  ...LiveEnv.shape,
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /**
   * Shared state of several API processes and workers (rate limits, key revocation, ...); absent: one process
   * keeps it all in memory (the embedded mode).
   */
  redisUrl: string | undefined;
  bootstrapKey: string | undefined;
  /** Base URL clients reach this server at (room URLs, ws_uri); defaults to http://localhost:<port>. */
  publicUrl: string;
  rateLimitPerMinute: number;
  /** Proxies (IPs, CIDRs) whose X-Forwarded-For names the client; empty: the socket's address is the client. */
  trustProxy: string[];
  /**
   * Private, loopback or link-local hosts (names, IPs, CIDRs) that account-supplied URLs (image URLs, an agent's
   * `llm.base_url`) may reach; every other such address is refused, at save time and at connect time.
   */
  allowedPrivateHosts: string[];
  defaultPlan: PlanKey;
  plans: PlanTable;
  sweepIntervalMs: number;
  /** How long the webhook outbox keeps succeeded and failed (dead) deliveries. */
  webhookRetention: { deliveredMs: number; deadMs: number };
  logLevel: z.infer<typeof ServerEnv>['AGENTHUMAN_LOG_LEVEL'];
  databasePoolSize: number;
  livekit: LiveKitConfig | undefined;
  /** The kind of room the platform makes when the caller names none (AGENTHUMAN_ROOMS). */
  defaultRoom: 'builtin' | 'livekit';
  blobStore: BlobStoreConfig;
  /** Face ingest worker threads, and uploads allowed to wait for one. */
  faceWorkers: { size: number; maxQueue: number };
  agents: AgentProviderConfig;
  /** Successful-or-not public link starts per client IP per minute. */
  linkStartRateLimitPerMinute: number;
  live: LiveConfig;
  /** Where API processes reach this process when it runs as a worker (AGENTHUMAN_WORKER_URL). */
  workerUrl: string | undefined;
};

/** Reads the settings from `env`; a bad value throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw invalidConfig(
      parsed.error.issues.map((issue) => `${String(issue.path[0] ?? '?')}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  // Checks across variables, in this order: rooms, blob store, provider keys.
  const rooms = roomsConfig(e);
  const dataDir = resolve(e.AGENTHUMAN_DATA_DIR);
  const blobStore = blobStoreConfig(e, dataDir);
  const agents = agentsConfig(e);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    bootstrapKey: e.AGENTHUMAN_BOOTSTRAP_KEY,
    publicUrl: e.AGENTHUMAN_PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    rateLimitPerMinute: e.AGENTHUMAN_RATE_LIMIT,
    trustProxy: e.AGENTHUMAN_TRUST_PROXY,
    allowedPrivateHosts: e.AGENTHUMAN_ALLOWED_PRIVATE_HOSTS,
    defaultPlan: e.AGENTHUMAN_DEFAULT_PLAN,
    plans: buildPlanTable(e.AGENTHUMAN_PLANS ?? {}),
    sweepIntervalMs: e.AGENTHUMAN_SWEEP_INTERVAL_S * 1000,
    webhookRetention: {
      deliveredMs: e.AGENTHUMAN_WEBHOOK_DELIVERED_RETENTION_DAYS * 86_400_000,
      deadMs: e.AGENTHUMAN_WEBHOOK_DEAD_RETENTION_DAYS * 86_400_000,
    },
    logLevel: e.AGENTHUMAN_LOG_LEVEL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    ...rooms,
    blobStore,
    faceWorkers: { size: e.AGENTHUMAN_FACE_WORKERS, maxQueue: e.AGENTHUMAN_FACE_QUEUE },
    agents,
    linkStartRateLimitPerMinute: e.AGENTHUMAN_LINK_START_RATE_LIMIT,
    live: liveConfig(e),
    workerUrl: e.AGENTHUMAN_WORKER_URL,
  };
}

/** What the CLI's client commands need: where the server is and which key to use. */
export function loadClientConfig(env: Record<string, string | undefined> = process.env) {
  const config = loadConfig(env);
  const apiKey = env.AGENTHUMAN_API_KEY?.trim() || undefined;
  const serverUrl = (env.AGENTHUMAN_URL?.trim() || `http://127.0.0.1:${config.port}`).replace(/\/+$/, '');
  return { serverUrl, apiKey, dataDir: config.dataDir };
}
