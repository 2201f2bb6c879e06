/** @module The only reader of process.env: every setting, validated at start-up. */
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { API_KEY_PATTERN, PlanKey } from '@agenthuman/protocol';
import { z } from 'zod';
import type { S3Settings } from '../avatars/blobs/s3-blob-store.js';
import { buildPlanTable, PlanOverrides, type PlanTable } from './plans.js';

/**
 * The issue's target for a 2-core machine at 640×480; `npm run bench:live` measures what a given machine holds
 * (set AGENTHUMAN_MAX_LIVE_SESSIONS to that).
 */
export const DEFAULT_MAX_LIVE_SESSIONS = 6;

const IceServers = z.array(
  z.object({
    urls: z.union([
      z.string().regex(/^(stun|stuns|turn|turns):/, 'must start with stun:, stuns:, turn: or turns:'),
      z
        .array(
          z.string().regex(/^(stun|stuns|turn|turns):/, 'must start with stun:, stuns:, turn: or turns:'),
        )
        .min(1),
    ]),
    username: z.string().optional(),
    credential: z.string().optional(),
  }),
);
export type IceServer = z.infer<typeof IceServers>[number];

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

/** A comma-separated list of IPs and CIDRs (and host names when `hosts`), each checked; empty → []. */
function addressList(what: string, hosts = false) {
  return z
    .string()
    .optional()
    .transform((text) =>
      (text ?? '')
        .split(',')
        .map((item) => item.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z.string().refine((item) => isAddressOrCidr(item) || (hosts && HOST_NAME.test(item)), {
          error: `must be comma-separated ${what}`,
        }),
      ),
    );
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

function isAddressOrCidr(item: string): boolean {
  const [address = '', bits, extra] = item.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  const prefix = Number(bits);
  return /^\d{1,3}$/.test(bits) && prefix <= (family === 4 ? 32 : 128);
}

const EnvSchema = z.object({
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
  AGENTHUMAN_PUBLIC_URL: optionalString.pipe(
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
  ),
  AGENTHUMAN_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
  AGENTHUMAN_TRUST_PROXY: addressList('IP addresses or CIDR ranges'),
  AGENTHUMAN_ALLOWED_PRIVATE_HOSTS: addressList('host names, IP addresses or CIDR ranges', true),
  AGENTHUMAN_DEFAULT_PLAN: PlanKey.default('enterprise'),
  AGENTHUMAN_PLANS: optionalString.pipe(
    z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be JSON' });
          return z.NEVER;
        }
      })
      .pipe(PlanOverrides)
      .optional(),
  ),
  AGENTHUMAN_SWEEP_INTERVAL_S: z.coerce.number().min(1).max(3600).default(30),
  // Days kept in the webhook outbox: succeeded deliveries, and failed (dead) ones; fractions allowed.
  AGENTHUMAN_WEBHOOK_DELIVERED_RETENTION_DAYS: z.coerce.number().min(0.01).max(3650).default(7),
  AGENTHUMAN_WEBHOOK_DEAD_RETENTION_DAYS: z.coerce.number().min(0.01).max(3650).default(30),
  AGENTHUMAN_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  LIVEKIT_URL: optionalString.pipe(
    z
      .string()
      .regex(/^(wss?|https?):\/\//, 'must be a ws(s):// or http(s):// URL')
      .optional(),
  ),
  LIVEKIT_API_KEY: optionalString,
  LIVEKIT_API_SECRET: optionalString,
  AGENTHUMAN_ROOMS: z.enum(['builtin', 'livekit']).default('builtin'),
  AGENTHUMAN_BLOB_STORE: z.enum(['fs', 's3']).default('fs'),
  AGENTHUMAN_S3_ENDPOINT: optionalString.pipe(
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  ),
  AGENTHUMAN_S3_BUCKET: optionalString,
  AGENTHUMAN_S3_REGION: z.string().min(1).default('us-east-1'),
  AGENTHUMAN_S3_ACCESS_KEY_ID: optionalString,
  AGENTHUMAN_S3_SECRET_ACCESS_KEY: optionalString,
  AGENTHUMAN_S3_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9._-]+\/)*$/, 'must be empty or folder names each ending with /')
    .default(''),
  AGENTHUMAN_S3_PATH_STYLE: z.enum(['true', 'false']).default('true'),
  AGENTHUMAN_FACE_WORKERS: z.coerce.number().int().min(1).max(32).default(1),
  AGENTHUMAN_FACE_QUEUE: z.coerce.number().int().min(0).max(1000).default(16),
  // Conversational agents: which voice and recogniser the server uses, and the provider keys (never stored in
  // agent records). A key for an OpenAI-compatible server is only ever sent to the base URL it is set for.
  AGENTHUMAN_TTS_PROVIDER: z.enum(['flite', 'elevenlabs', 'openai']).default('flite'),
  AGENTHUMAN_STT_PROVIDER: z.enum(['pocketsphinx', 'deepgram', 'openai']).default('pocketsphinx'),
  // Silence that ends a spoken turn: shorter answers sooner, longer lets people pause mid-sentence.
  AGENTHUMAN_VOICE_END_SILENCE_MS: z.coerce.number().int().min(100).max(3000).default(400),
  // A turn whose text reads as finished ends at the first 200 ms pause instead (false: always the full silence).
  AGENTHUMAN_VOICE_EARLY_END: z.enum(['true', 'false']).default('true'),
  AGENTHUMAN_LLM_BASE_URL: optionalString.pipe(
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  ),
  AGENTHUMAN_LLM_API_KEY: optionalString,
  AGENTHUMAN_LLAMA_MODEL_PATH: optionalString,
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.pipe(
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  ),
  ELEVENLABS_API_KEY: optionalString,
  ELEVENLABS_BASE_URL: optionalString.pipe(
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  ),
  DEEPGRAM_API_KEY: optionalString,
  AGENTHUMAN_LINK_START_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  AGENTHUMAN_ICE_SERVERS: optionalString.pipe(
    z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a JSON array of {urls, username?, credential?}' });
          return z.NEVER;
        }
      })
      .pipe(IceServers)
      .optional(),
  ),
  AGENTHUMAN_ROOM_LOOPBACK_ONLY: z.enum(['true', 'false']).default('false'),
  AGENTHUMAN_MAX_LIVE_SESSIONS: z.coerce.number().int().min(1).max(1000).default(DEFAULT_MAX_LIVE_SESSIONS),
  AGENTHUMAN_RENDER_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  AGENTHUMAN_WS_RECONNECT_GRACE_S: z.coerce.number().min(0.01).max(3600).default(5),
  AGENTHUMAN_ROOM_EMPTY_TIMEOUT_S: z.coerce.number().min(0.01).max(86_400).default(30),
  AGENTHUMAN_WS_PING_INTERVAL_S: z.coerce.number().min(0.05).max(3600).default(20),
  AGENTHUMAN_WS_UPGRADES_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  AGENTHUMAN_WARM_AVATARS: z.enum(['true', 'false']).default('true'),
  // Scale-out: the URL API processes reach this worker at (`agenthuman worker`).
  AGENTHUMAN_WORKER_URL: optionalString.pipe(
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
  ),
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

export type LiveKitConfig = { url: string; apiKey: string; apiSecret: string };

/** Server-side settings of the conversation runtime's providers (agents choose among them). */
export type AgentProviderConfig = {
  tts: 'flite' | 'elevenlabs' | 'openai';
  stt: 'pocketsphinx' | 'deepgram' | 'openai';
  /** Silence (ms) after which the VAD ends a spoken turn. */
  voiceEndSilenceMs: number;
  /** End a spoken turn at a pause when its text reads as finished. */
  voiceEarlyEnd: boolean;
  /** An OpenAI-compatible server and its key (sent only to that origin). */
  llm: { baseUrl: string | undefined; apiKey: string | undefined };
  llamaModelPath: string | undefined;
  openai: { apiKey: string | undefined; baseUrl: string | undefined };
  elevenlabs: { apiKey: string | undefined; baseUrl: string | undefined };
  deepgram: { apiKey: string | undefined };
};

/** Where avatar files go: `<dataDir>/blobs` on disk (default), or an S3-compatible bucket. */
export type BlobStoreConfig = { kind: 'fs'; root: string } | { kind: 's3'; s3: S3Settings };

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
  logLevel: z.infer<typeof EnvSchema>['AGENTHUMAN_LOG_LEVEL'];
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

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads the settings from `env`; a bad value throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${String(issue.path[0] ?? '?')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const livekitParts = [e.LIVEKIT_URL, e.LIVEKIT_API_KEY, e.LIVEKIT_API_SECRET];
  if (livekitParts.some(Boolean) && !livekitParts.every(Boolean)) {
    throw new ConfigError(
      'Invalid configuration:\n  LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET: set all three or none',
    );
  }
  if (e.AGENTHUMAN_ROOMS === 'livekit' && !livekitParts.every(Boolean)) {
    throw new ConfigError(
      'Invalid configuration:\n  AGENTHUMAN_ROOMS=livekit: needs LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET',
    );
  }
  const s3Parts = {
    AGENTHUMAN_S3_ENDPOINT: e.AGENTHUMAN_S3_ENDPOINT,
    AGENTHUMAN_S3_BUCKET: e.AGENTHUMAN_S3_BUCKET,
    AGENTHUMAN_S3_ACCESS_KEY_ID: e.AGENTHUMAN_S3_ACCESS_KEY_ID,
    AGENTHUMAN_S3_SECRET_ACCESS_KEY: e.AGENTHUMAN_S3_SECRET_ACCESS_KEY,
  };
  const missingS3 = Object.entries(s3Parts).filter(([, value]) => !value);
  if (e.AGENTHUMAN_BLOB_STORE === 's3' && missingS3.length > 0) {
    throw new ConfigError(
      `Invalid configuration:\n  ${missingS3.map(([k]) => k).join(', ')}: required when AGENTHUMAN_BLOB_STORE=s3`,
    );
  }
  const neededKeys = [
    e.AGENTHUMAN_TTS_PROVIDER === 'elevenlabs' && !e.ELEVENLABS_API_KEY && 'ELEVENLABS_API_KEY',
    e.AGENTHUMAN_TTS_PROVIDER === 'openai' && !e.OPENAI_API_KEY && 'OPENAI_API_KEY',
    e.AGENTHUMAN_STT_PROVIDER === 'openai' && !e.OPENAI_API_KEY && 'OPENAI_API_KEY',
    e.AGENTHUMAN_STT_PROVIDER === 'deepgram' && !e.DEEPGRAM_API_KEY && 'DEEPGRAM_API_KEY',
  ].filter((name): name is string => Boolean(name));
  if (neededKeys.length > 0) {
    throw new ConfigError(
      `Invalid configuration:\n  ${[...new Set(neededKeys)].join(', ')}: required by AGENTHUMAN_TTS_PROVIDER / AGENTHUMAN_STT_PROVIDER`,
    );
  }
  const dataDir = resolve(e.AGENTHUMAN_DATA_DIR);
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
    livekit:
      e.LIVEKIT_URL && e.LIVEKIT_API_KEY && e.LIVEKIT_API_SECRET
        ? { url: e.LIVEKIT_URL, apiKey: e.LIVEKIT_API_KEY, apiSecret: e.LIVEKIT_API_SECRET }
        : undefined,
    defaultRoom: e.AGENTHUMAN_ROOMS,
    blobStore:
      e.AGENTHUMAN_BLOB_STORE === 's3'
        ? {
            kind: 's3',
            s3: {
              endpoint: s3Parts.AGENTHUMAN_S3_ENDPOINT!,
              bucket: s3Parts.AGENTHUMAN_S3_BUCKET!,
              region: e.AGENTHUMAN_S3_REGION,
              accessKeyId: s3Parts.AGENTHUMAN_S3_ACCESS_KEY_ID!,
              secretAccessKey: s3Parts.AGENTHUMAN_S3_SECRET_ACCESS_KEY!,
              prefix: e.AGENTHUMAN_S3_PREFIX,
              pathStyle: e.AGENTHUMAN_S3_PATH_STYLE === 'true',
            },
          }
        : { kind: 'fs', root: join(dataDir, 'blobs') },
    faceWorkers: { size: e.AGENTHUMAN_FACE_WORKERS, maxQueue: e.AGENTHUMAN_FACE_QUEUE },
    agents: {
      tts: e.AGENTHUMAN_TTS_PROVIDER,
      stt: e.AGENTHUMAN_STT_PROVIDER,
      voiceEndSilenceMs: e.AGENTHUMAN_VOICE_END_SILENCE_MS,
      voiceEarlyEnd: e.AGENTHUMAN_VOICE_EARLY_END === 'true',
      llm: { baseUrl: e.AGENTHUMAN_LLM_BASE_URL, apiKey: e.AGENTHUMAN_LLM_API_KEY },
      llamaModelPath: e.AGENTHUMAN_LLAMA_MODEL_PATH,
      openai: { apiKey: e.OPENAI_API_KEY, baseUrl: e.OPENAI_BASE_URL },
      elevenlabs: { apiKey: e.ELEVENLABS_API_KEY, baseUrl: e.ELEVENLABS_BASE_URL },
      deepgram: { apiKey: e.DEEPGRAM_API_KEY },
    },
    linkStartRateLimitPerMinute: e.AGENTHUMAN_LINK_START_RATE_LIMIT,
    live: {
      iceServers: e.AGENTHUMAN_ICE_SERVERS ?? [],
      loopbackOnly: e.AGENTHUMAN_ROOM_LOOPBACK_ONLY === 'true',
      maxSessions: e.AGENTHUMAN_MAX_LIVE_SESSIONS,
      renderWorkers: e.AGENTHUMAN_RENDER_WORKERS,
      wsReconnectGraceMs: Math.round(e.AGENTHUMAN_WS_RECONNECT_GRACE_S * 1000),
      roomEmptyTimeoutMs: Math.round(e.AGENTHUMAN_ROOM_EMPTY_TIMEOUT_S * 1000),
      wsPingIntervalMs: Math.round(e.AGENTHUMAN_WS_PING_INTERVAL_S * 1000),
      wsUpgradesPerMinute: e.AGENTHUMAN_WS_UPGRADES_PER_MINUTE,
      warmAvatars: e.AGENTHUMAN_WARM_AVATARS === 'true',
    },
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
