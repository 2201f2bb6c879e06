/**
 * @module Delivers the outbox, at least once: every `pollMs` (or at once after `wake()`) it leases due
 * deliveries (`claimDue`: each endpoint's oldest pending one, SKIP LOCKED, so several server processes share
 * the work), POSTs each signed per Standard Webhooks (the `standardwebhooks` library) through the guarded
 * fetch (private receivers only with AGENTHUMAN_ALLOWED_PRIVATE_HOSTS; no redirects), and records the attempt.
 * A 2xx answer within `timeoutMs` succeeds; anything else is retried on the schedule (retry-schedule.ts). A
 * process killed mid-attempt leaves a lease that lapses, and the attempt is made again: receivers dedupe on
 * `webhook-id`. Neither the secret nor the signature is ever logged or stored with the attempt.
 */
import type { Store } from '@agenthuman/store';
import { Webhook } from 'standardwebhooks';
import { DEFAULT_RETRY_SCHEDULE, nextAttemptAt, type RetrySchedule } from './retry-schedule.js';

export type WebhookDispatcherOptions = {
  store: Store;
  /** The guarded fetch (net/guarded-fetch.ts): checks every address it connects to. */
  fetch: typeof fetch;
  /** Who holds a lease (this process). */
  owner: string;
  schedule?: Partial<RetrySchedule>;
  pollMs?: number;
  timeoutMs?: number;
  /** Deliveries attempted at once by this process. */
  concurrency?: number;
  onError?: (error: unknown) => void;
  onDisabled?: (endpointId: string) => void;
};

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;

const ERROR_TEXT_MAX = 300;
// A lease outlives the attempt's timeout by far: only a dead process lets one lapse.
const LEASE_MARGIN_MS = 50_000;

export function createWebhookDispatcher(options: WebhookDispatcherOptions) {
  const schedule: RetrySchedule = { ...DEFAULT_RETRY_SCHEDULE, ...options.schedule };
  const pollMs = options.pollMs ?? 1_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const concurrency = options.concurrency ?? 8;
  const { store } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  let again = false;

  async function attempt(due: Awaited<ReturnType<Store['webhooks']['claimDue']>>[number]): Promise<void> {
    const { delivery } = due;
    const body = JSON.stringify(due.payload);
    const sentAt = new Date();
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'agenthuman-webhooks/1',
      'webhook-id': due.eventId,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': new Webhook(due.secret).sign(due.eventId, sentAt, body),
    };
    let responseStatus: number | null = null;
    let lastError: string | null = null;
    const started = performance.now();
    try {
      const response = await options.fetch(due.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      responseStatus = response.status;
      await response.body?.cancel().catch(() => undefined);
      if (responseStatus < 200 || responseStatus > 299) lastError = `HTTP ${responseStatus}`;
    } catch (error) {
      lastError = describe(error, timeoutMs);
    }
    const latencyMs = Math.round(performance.now() - started);
    const attemptAt = new Date();
    const ok = lastError === null;
    const attempts = delivery.attempts + 1;
    const next = ok ? null : nextAttemptAt(schedule, attempts, delivery.createdAt, attemptAt);
    await store.transaction(async (repos) => {
      const mine = await repos.webhooks.recordAttempt(delivery.id, options.owner, {
        status: ok ? 'succeeded' : next ? 'pending' : 'failed',
        attemptAt,
        nextAttemptAt: next,
        responseStatus,
        latencyMs,
        lastError,
      });
      // Our lease lapsed and another process retried: its attempt is the one on record.
      if (!mine) return;
      if (ok) await repos.webhooks.endpointSucceeded(delivery.endpointId);
      else {
        const disableIfSince = new Date(attemptAt.getTime() - schedule.disableAfterMs);
        const hours = Math.round(schedule.disableAfterMs / 3_600_000);
        const disabled = await repos.webhooks.endpointFailed(
          delivery.endpointId,
          attemptAt,
          disableIfSince,
          `Every delivery attempt failed for ${hours >= 1 ? `${hours} hours` : `${schedule.disableAfterMs} ms`} (last: ${lastError})`,
        );
        if (disabled) options.onDisabled?.(delivery.endpointId);
      }
    });
  }

  /** Claims and attempts one batch; returns how many were attempted. */
  async function runOnce(): Promise<number> {
    const now = new Date();
    const due = await store.webhooks.claimDue({
      now,
      owner: options.owner,
      leaseUntil: new Date(now.getTime() + timeoutMs + LEASE_MARGIN_MS),
      limit: concurrency,
    });
    await Promise.all(due.map((d) => attempt(d).catch((error: unknown) => options.onError?.(error))));
    return due.length;
  }

  function schedulePoll(delay: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, delay);
    timer.unref?.();
  }

  function tick() {
    if (stopped || running) {
      again = true;
      return;
    }
    again = false;
    running = runOnce()
      .then((n) => {
        // A full batch means more may be due now.
        if (n === concurrency) again = true;
      })
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        running = undefined;
        schedulePoll(again ? 0 : pollMs);
      });
  }

  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      schedulePoll(0);
    },
    /** Look for due deliveries now (e.g. after queuing a test event). */
    wake() {
      if (running) again = true;
      else schedulePoll(0);
    },
    /** Stops polling and waits for the attempts in flight to be recorded. */
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `no answer within ${timeoutMs} ms`;
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${message}${cause}`.slice(0, ERROR_TEXT_MAX);
}
