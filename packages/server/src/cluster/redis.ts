/**
 * @module The one way this server opens Redis (REDIS_URL). Redis is shared state for the cluster, not a
 * dependency any request may wait on: the client keeps reconnecting forever with capped backoff, commands sent
 * while it is down fail fast instead of piling up (callers fall back to local state), and a Redis restart is
 * logged, never thrown at the process. Log lines name the host and port only (the URL may hold a password).
 */
import { Redis, type RedisOptions } from 'ioredis';

/** Where log lines go; Fastify's and pino's loggers fit. */
export type RedisLogger = {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
};

export type RedisClientOptions = {
  /** Which connection this is, in log lines (`commands`, `subscriber`, ...). */
  name?: string;
  logger?: RedisLogger;
  /** Longest wait between reconnect attempts. */
  maxBackoffMs?: number;
  /** A command that gets no answer in this time fails (the caller falls back). */
  commandTimeoutMs?: number;
};

const DEFAULT_MAX_BACKOFF_MS = 2_000;
const DEFAULT_COMMAND_TIMEOUT_MS = 1_000;

/** Reconnect delay for the n-th attempt (1-based): 50 ms doubling, capped; never gives up. */
export function reconnectDelayMs(attempt: number, maxBackoffMs = DEFAULT_MAX_BACKOFF_MS): number {
  return Math.min(maxBackoffMs, 50 * 2 ** Math.min(attempt - 1, 16));
}

/** `host:port` (or the socket path) of a Redis URL, without user or password, for logs and errors. */
export function redisEndpoint(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'unix:') return parsed.pathname;
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return 'redis (unparsable URL)';
  }
}

/**
 * Opens a client on `url` (redis://, rediss://). It connects in the background: `client.status === 'ready'`
 * says whether commands can go now. A subscriber connection re-subscribes by itself after a reconnect.
 */
export function createRedisClient(url: string, options: RedisClientOptions = {}): Redis {
  const name = options.name ?? 'redis';
  const endpoint = redisEndpoint(url);
  const maxBackoffMs = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
  const redisOptions: RedisOptions = {
    // Forever: a returned number is the delay, null would stop reconnecting.
    retryStrategy: (attempt) => reconnectDelayMs(attempt, maxBackoffMs),
    // Bounded offline queue: a command issued while disconnected waits for at most one reconnect attempt,
    // then fails; with the command timeout nothing waits on Redis for long.
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    enableOfflineQueue: true,
    // Unsubscribed commands after a reconnect are replayed by ioredis (autoResubscribe).
    autoResubscribe: true,
    connectionName: `agenthuman-${name}`,
  };
  const client = new Redis(url, redisOptions);
  let down = false;
  // Without an error listener ioredis prints every failed attempt; one line per outage is enough.
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    options.logger?.warn({ redis: endpoint, connection: name, cause: error.message }, 'Redis unreachable');
  });
  client.on('ready', () => {
    if (down) options.logger?.info({ redis: endpoint, connection: name }, 'Redis reachable again');
    down = false;
  });
  return client;
}

/** Closes a client without waiting on a Redis that is gone (QUIT would wait; disconnect does not). */
export async function closeRedisClient(client: Redis): Promise<void> {
  // A function, so the status read after `await` is not narrowed by the check before it.
  const ended = () => client.status === 'end';
  if (ended()) return;
  if (client.status === 'ready') {
    await Promise.race([client.quit().catch(() => undefined), new Promise((r) => setTimeout(r, 500))]);
  }
  if (ended()) return;
  const closed = new Promise<void>((resolve) => {
    client.once('end', () => resolve());
    setTimeout(resolve, 500).unref();
  });
  client.disconnect(false);
  await closed;
}
