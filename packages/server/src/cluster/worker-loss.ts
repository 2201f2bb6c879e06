/**
 * @module The API processes' watch over workers (every second): a running session whose `media_owner` has
 * been missing from the Redis registry for LOST_ABSENT_MS (its key lives 3 s after the last beat; absence
 * counts from the first good read after Redis was unreadable) and whose
 * database beat is as old lost its worker (a Redis restart empties the registry for less than that).
 * A session in a LiveKit room resumes on another worker (the room and its agent outlive the worker: the avatar
 * rejoins with the same identity, queued audio is lost); any other ends `worker_lost`, billed to its last beat.
 * While Redis cannot be read, absence means nothing: only beats silent for MEDIA_LOST_AFTER_MS count (as the
 * sweeper's rule), so a Redis restart ends no session. Several API processes may watch at once: ends are
 * idempotent and a move happens only from the owner that was seen (`moveMedia`).
 */
import type { Store } from '@agenthuman/store';
import { livekitSeatOf } from '../live/livekit-seat.js';
import { MEDIA_LOST_AFTER_MS } from '../live/media-heartbeat.js';
import type { SessionLifecycle } from '../sessions/session-lifecycle.js';
import type { MediaRouter } from './media-router.js';
import type { WorkerDirectory } from './worker-registry.js';

const BATCH = 5_000;
/** Missing from the registry this long (after its key expired), with no database beat as long: gone. */
export const LOST_ABSENT_MS = 3_000;

export type WorkerLossWatch = ReturnType<typeof watchWorkerLoss>;

export function watchWorkerLoss(deps: {
  store: Store;
  directory: WorkerDirectory;
  router: MediaRouter;
  lifecycle: SessionLifecycle;
  intervalMs?: number;
  log?: { info(object: unknown, message: string): void; warn(object: unknown, message: string): void };
}) {
  const handling = new Set<string>();
  let pass: Promise<void> | undefined;

  async function check(): Promise<void> {
    await deps.directory.refresh();
    const healthy = deps.directory.healthy;
    const now = Date.now();
    const rows = await deps.store.sessions.listOwnedMedia(BATCH);
    const lost = rows.filter((row) => {
      const beat = row.mediaHeartbeatAt?.getTime() ?? 0;
      if (!healthy) return now - beat > MEDIA_LOST_AFTER_MS;
      return deps.directory.absentForMs(row.mediaOwner!) > LOST_ABSENT_MS && now - beat > LOST_ABSENT_MS;
    });
    await Promise.all(lost.map((row) => handle(row.id, row.mediaOwner!)));
  }

  async function handle(sessionId: string, owner: string): Promise<void> {
    if (handling.has(sessionId)) return;
    handling.add(sessionId);
    try {
      const row = await deps.store.sessions.findById(sessionId);
      if (!row || row.endedAt || row.mediaOwner !== owner) return;
      if (livekitSeatOf(row)) {
        const placed = await deps.router.place(row, owner);
        if (placed === 'raced') return;
        if (placed) {
          deps.log?.info({ sessionId, from: owner, to: placed }, 'session resumed on another worker');
          return;
        }
      }
      const ended = await deps.lifecycle.end(sessionId, 'worker_lost', {
        detail: 'The worker running this session stopped answering',
      });
      if (ended?.endedNow) deps.log?.warn({ sessionId, worker: owner }, 'session ended: its worker was lost');
    } finally {
      handling.delete(sessionId);
    }
  }

  const timer = setInterval(() => {
    pass ??= check()
      .catch((error: unknown) => deps.log?.warn({ err: error }, 'worker-loss check failed'))
      .finally(() => {
        pass = undefined;
      });
  }, deps.intervalMs ?? 1_000);
  timer.unref();

  return {
    check,
    async stop(): Promise<void> {
      clearInterval(timer);
      await pass;
    },
  };
}
