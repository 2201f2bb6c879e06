/**
 * @module The worker registry in Redis: each worker keeps one short-lived key (`agenthuman:worker:<id>`, JSON
 * `{id, url, capacity, load}`, TTL 3 s, rewritten every second and whenever its load changes). A key that
 * expires is a worker gone; after a Redis restart the next beats rebuild the registry with no manual step.
 * The database stays authoritative for which worker runs a session (`sessions.media_owner`).
 */
import type { Redis } from 'ioredis';

export const WORKER_KEY_PREFIX = 'agenthuman:worker:';
export const WORKER_BEAT_MS = 1_000;
export const WORKER_TTL_MS = 3_000;
/** A registry read that takes longer than this (Redis down, commands queued) counts as "cannot tell". */
const READ_TIMEOUT_MS = 1_000;

export type WorkerInfo = { id: string; url: string; capacity: number; load: number };

export function registerWorker(
  redis: Redis,
  info: () => WorkerInfo,
  options: { intervalMs?: number; ttlMs?: number; onError?: (error: unknown) => void } = {},
) {
  let inFlight = false;
  let stopped = false;
  const ttl = options.ttlMs ?? WORKER_TTL_MS;

  async function beat(): Promise<void> {
    // While Redis is down ioredis queues commands: one beat at a time, not a pile of them.
    if (inFlight || stopped) return;
    inFlight = true;
    try {
      const current = info();
      await redis.set(WORKER_KEY_PREFIX + current.id, JSON.stringify(current), 'PX', ttl);
    } catch (error) {
      options.onError?.(error);
    } finally {
      inFlight = false;
    }
  }

  const timer = setInterval(() => void beat(), options.intervalMs ?? WORKER_BEAT_MS);
  timer.unref();
  void beat();
  return {
    beat,
    /** Leaves the registry at once (graceful shutdown): no API process sends it anything more. */
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await redis.del(WORKER_KEY_PREFIX + info().id).catch(() => undefined);
    },
  };
}

export type WorkerDirectory = ReturnType<typeof createWorkerDirectory>;

/**
 * An API process's view of the registry, re-read every `refreshMs`. `healthy` is false while Redis cannot be
 * read: then nobody's absence means anything (the loss watch falls back to database heartbeats).
 */
export function createWorkerDirectory(redis: Redis, options: { refreshMs?: number; onError?: (error: unknown) => void } = {}) {
  let workers = new Map<string, WorkerInfo>();
  let healthy = false;
  /** Sessions sent to a worker since the last read (its key does not count them yet). */
  let reserved = new Map<string, number>();
  let reading: Promise<void> | undefined;

  async function read(): Promise<Map<string, WorkerInfo>> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${WORKER_KEY_PREFIX}*`, 'COUNT', 200);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    const values = keys.length > 0 ? await redis.mget(...keys) : [];
    const found = new Map<string, WorkerInfo>();
    for (const value of values) {
      const info = parseInfo(value);
      if (info) found.set(info.id, info);
    }
    return found;
  }

  function refresh(): Promise<void> {
    reading ??= withTimeout(read(), READ_TIMEOUT_MS)
      .then(
        (found) => {
          workers = found;
          reserved = new Map();
          healthy = true;
        },
        (error: unknown) => {
          if (healthy) options.onError?.(error);
          healthy = false;
        },
      )
      .finally(() => {
        reading = undefined;
      });
    return reading;
  }

  const loadOf = (w: WorkerInfo) => w.load + (reserved.get(w.id) ?? 0);
  const timer = setInterval(() => void refresh(), options.refreshMs ?? 500);
  timer.unref();

  return {
    refresh,
    get healthy(): boolean {
      return healthy;
    },
    get(id: string): WorkerInfo | undefined {
      return workers.get(id);
    },
    list(): WorkerInfo[] {
      return [...workers.values()];
    },
    hasCapacity(): boolean {
      return [...workers.values()].some((w) => loadOf(w) < w.capacity);
    },
    /** The least-loaded worker with a free slot (by share of its capacity), reserving the slot; or undefined. */
    pick(exclude: ReadonlySet<string> = new Set()): WorkerInfo | undefined {
      let best: WorkerInfo | undefined;
      for (const w of workers.values()) {
        if (exclude.has(w.id) || loadOf(w) >= w.capacity) continue;
        if (!best || loadOf(w) / w.capacity < loadOf(best) / best.capacity) best = w;
      }
      if (best) reserved.set(best.id, (reserved.get(best.id) ?? 0) + 1);
      return best;
    },
    close(): void {
      clearInterval(timer);
    },
  };
}

function parseInfo(value: string | null): WorkerInfo | undefined {
  if (!value) return undefined;
  try {
    const info = JSON.parse(value) as Partial<WorkerInfo>;
    if (typeof info.id !== 'string' || typeof info.url !== 'string') return undefined;
    return { id: info.id, url: info.url, capacity: Number(info.capacity) || 0, load: Number(info.load) || 0 };
  } catch {
    return undefined;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
