/**
 * @module Prunes the webhook outbox: succeeded deliveries after `deliveredRetentionMs` (default 7 days), failed
 * (dead) ones after `deadRetentionMs` (30 days), then events no delivery points at any more (after the shorter
 * of the two). Every process that delivers runs one: batches take rows with SKIP LOCKED, so processes prune
 * side by side without waiting on each other or on the dispatcher. A run deletes at most `maxBatches` batches
 * of `batchSize` per kind, so a large backlog is cut down over several runs instead of one long one.
 */
import type { OutboxPruned, Store } from '@agenthuman/store';

const DAY_MS = 86_400_000;

export type OutboxPrunerOptions = {
  store: Store;
  deliveredRetentionMs?: number;
  deadRetentionMs?: number;
  /** Between runs (default 1 h); the first runs `firstRunAfterMs` (default 1 min) after start. */
  intervalMs?: number;
  firstRunAfterMs?: number;
  batchSize?: number;
  maxBatches?: number;
  onError?: (error: unknown) => void;
};

export type OutboxPruner = ReturnType<typeof createOutboxPruner>;

export function createOutboxPruner(options: OutboxPrunerOptions) {
  const deliveredRetentionMs = options.deliveredRetentionMs ?? 7 * DAY_MS;
  const deadRetentionMs = options.deadRetentionMs ?? 30 * DAY_MS;
  const intervalMs = options.intervalMs ?? 3_600_000;
  const batchSize = options.batchSize ?? 1000;
  const maxBatches = options.maxBatches ?? 20;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<OutboxPruned> | undefined;

  async function prune(now: Date): Promise<OutboxPruned> {
    const total: OutboxPruned = { delivered: 0, dead: 0, events: 0 };
    const batch = {
      deliveredBefore: new Date(now.getTime() - deliveredRetentionMs),
      deadBefore: new Date(now.getTime() - deadRetentionMs),
      eventsBefore: new Date(now.getTime() - Math.min(deliveredRetentionMs, deadRetentionMs)),
      limit: batchSize,
    };
    for (let i = 0; i < maxBatches; i++) {
      const pruned = await options.store.webhooks.pruneOutbox(batch);
      total.delivered += pruned.delivered;
      total.dead += pruned.dead;
      total.events += pruned.events;
      if (Math.max(pruned.delivered, pruned.dead, pruned.events) < batchSize) break;
    }
    return total;
  }

  const schedule = (delayMs: number) => {
    timer = setTimeout(() => {
      void pruner.runOnce().finally(() => {
        if (timer) schedule(intervalMs);
      });
    }, delayMs);
    timer.unref();
  };

  const pruner = {
    /** One run now (a run already going is joined, not doubled); errors go to `onError`, counts come back. */
    runOnce(now = new Date()): Promise<OutboxPruned> {
      running ??= prune(now)
        .catch((error: unknown) => {
          options.onError?.(error);
          return { delivered: 0, dead: 0, events: 0 };
        })
        .finally(() => {
          running = undefined;
        });
      return running;
    },
    start(): void {
      if (!timer) schedule(options.firstRunAfterMs ?? 60_000);
    },
    /** Stops the timer and waits for a run in progress. */
    async stop(): Promise<void> {
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
  return pruner;
}
