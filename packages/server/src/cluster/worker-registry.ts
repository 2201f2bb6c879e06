/**
 * @module The worker registry in Redis: each worker keeps one short-lived key (`agenthuman:worker:<id>`, JSON
 * `{id, url, capacity, load}`, TTL 3 s, rewritten every second and whenever its load changes). A key that
 * expires is a worker gone; after a Redis restart the next beats rebuild the registry with no manual step.
 * The database stays authoritative for which worker runs a session (`sessions.media_owner`).
 */
import { withTimeout } from '@agenthuman/media';
import type { Redis } from 'ioredis';
import { coalescedBeat } from '../util/coalesced-beat.js';

export const WORKER_KEY_PREFIX = 'agenthuman:worker:';
export const WORKER_BEAT_MS = 1_000;
export const WORKER_TTL_MS = 3_000;
const RESERVE_MS = 2_000;
/** A registry read that takes longer than this (Redis down, commands queued) counts as "cannot tell". */
const READ_TIMEOUT_MS = 1_000;

export type WorkerInfo = { id: string; url: string; capacity: number; load: number };

export function registerWorker(
  redis: Redis,
  info: () => WorkerInfo,
  options: { intervalMs?: number; ttlMs?: number; onError?: (error: unknown) => void } = {},
) {
  const ttl = options.ttlMs ?? WORKER_TTL_MS;
  // While Redis is down nothing piles up; a load change during a write gets one more.
  const { beat, stop } = coalescedBeat(async () => {
    const current = info();
    await redis.set(WORKER_KEY_PREFIX + current.id, JSON.stringify(current), 'PX', ttl);
  }, options.onError);

  const timer = setInterval(() => void beat(), options.intervalMs ?? WORKER_BEAT_MS);
  timer.unref();
  void beat();
  return {
    beat,
    /** Leaves the registry at once (graceful shutdown): no API process sends it anything more. */
    async stop(): Promise<void> {
      // Not awaited: the DEL below follows a SET in flight on the same connection, so it still lands last.
      void stop();
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
export function createWorkerDirectory(
  redis: Redis,
  options: { refreshMs?: number; onError?: (error: unknown) => void } = {},
) {
  let workers = new Map<string, WorkerInfo>();
  let healthy = false;
  /** When each worker was last in the registry, and when this process first read it (for never-seen ids). */
  const lastSeen = new Map<string, number>();
  let firstReadAt: number | undefined;
  /** The first good read after Redis could not be read: absences count from there (the registry refills). */
  let recoveredAt = 0;
  /**
   * Sessions sent to a worker lately (when), which its key may not count yet: each counts for RESERVE_MS,
   * by when the worker's own beat has it (a little over-counting for a moment, never under-counting).
   */
  const reserved = new Map<string, number[]>();
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
    reading ??= withTimeout(
      read(),
      READ_TIMEOUT_MS,
      () => new Error(`Redis did not answer within ${READ_TIMEOUT_MS} ms`),
    )
      .then(
        (found) => {
          const now = Date.now();
          firstReadAt ??= now;
          if (!healthy) recoveredAt = now;
          for (const id of found.keys()) lastSeen.set(id, now);
          for (const [id, at] of lastSeen) if (now - at > 600_000) lastSeen.delete(id);
          workers = found;
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

  const loadOf = (w: WorkerInfo) => {
    const now = Date.now();
    const recent = (reserved.get(w.id) ?? []).filter((at) => now - at < RESERVE_MS);
    reserved.set(w.id, recent);
    return w.load + recent.length;
  };
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
    /**
     * How long `id` has been missing from the registry as this process saw it (0 while present). A Redis
     * restart empties the registry for a moment; the workers' next beats fill it again within a second or two.
     */
    absentForMs(id: string): number {
      if (workers.has(id) || firstReadAt === undefined) return 0;
      return Date.now() - Math.max(lastSeen.get(id) ?? firstReadAt, recoveredAt);
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
      if (best) reserved.get(best.id)!.push(Date.now());
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
