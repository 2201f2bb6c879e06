/** @module Ends running sessions past their expiration, every interval (the safety net behind instant triggers). */
import type { Store } from '@agenthuman/store';
import type { SessionLifecycle } from './session-lifecycle.js';

const BATCH = 500;

export type Sweeper = ReturnType<typeof createSweeper>;

export function createSweeper(deps: {
  store: Store;
  lifecycle: SessionLifecycle;
  intervalMs: number;
  onError?: (error: unknown) => void;
}) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function sweep(): Promise<number> {
    let ended = 0;
    for (;;) {
      const due = await deps.store.sessions.listExpired(new Date(), BATCH);
      for (const { id } of due) if ((await deps.lifecycle.end(id, 'expired'))?.endedNow) ended += 1;
      if (due.length < BATCH) return ended;
    }
  }

  return {
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
