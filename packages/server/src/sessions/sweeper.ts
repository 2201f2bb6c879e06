/**
 * @module Every interval: ends running sessions past their expiration (the safety net behind instant triggers),
 * and sessions whose media process stopped beating (`worker_lost`, see live/media-heartbeat.ts).
 */
import type { Store } from '@agenthuman/store';
import { MEDIA_LOST_AFTER_MS } from '../live/media-heartbeat.js';
import type { SessionLifecycle } from './session-lifecycle.js';

const BATCH = 500;

export type Sweeper = ReturnType<typeof createSweeper>;

export function createSweeper(deps: {
  store: Store;
  lifecycle: SessionLifecycle;
  intervalMs: number;
  /** This process's media-owner id: its own sessions are never lost. */
  mediaOwner: string;
  /** A media owner silent this long is gone (default 15 s). */
  mediaLostAfterMs?: number;
  onError?: (error: unknown) => void;
}) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function sweep(): Promise<number> {
    let ended = 0;
    for (;;) {
      const due = await deps.store.sessions.listExpired(new Date(), BATCH);
      for (const { id } of due) if ((await deps.lifecycle.end(id, 'expired'))?.endedNow) ended += 1;
      if (due.length < BATCH) break;
    }
    return ended + (await endLostMedia(Date.now() - (deps.mediaLostAfterMs ?? MEDIA_LOST_AFTER_MS)));
  }

  /** Ends `worker_lost` the running sessions of other media owners whose last beat is before `beforeMs`. */
  async function endLostMedia(beforeMs: number): Promise<number> {
    let ended = 0;
    const query = { exceptOwner: deps.mediaOwner, heartbeatBefore: new Date(beforeMs) };
    for (;;) {
      const lost = await deps.store.sessions.listMediaLost(query, BATCH);
      for (const { id } of lost) if ((await deps.lifecycle.end(id, 'worker_lost'))?.endedNow) ended += 1;
      if (lost.length < BATCH) return ended;
    }
  }

  return {
    /**
     * At start-up. With PGlite this process holds the data directory alone (its lock), so every other owner's
     * media is gone whatever its last beat; with PostgreSQL other processes may be alive, so only silent ones.
     */
    endLostMediaAtStart(exclusive: boolean): Promise<number> {
      return endLostMedia(
        exclusive ? Date.now() + 1 : Date.now() - (deps.mediaLostAfterMs ?? MEDIA_LOST_AFTER_MS),
      );
    },

    /** One pass; concurrent calls share the pass in progress. Returns how many sessions it ended. */
    runOnce(): Promise<number> {
      running ??= sweep().finally(() => {
        running = undefined;
      });
      return running;
    },
    start() {
      timer ??= setInterval(() => {
        this.runOnce().catch((error) => deps.onError?.(error));
      }, deps.intervalMs);
      timer.unref();
    },
    /** Stops the timer and waits for a pass in progress. */
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}
