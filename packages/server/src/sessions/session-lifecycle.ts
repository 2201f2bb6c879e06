/**
 * @module The one path that ends a session: client request, expiry, socket closed, room empty, worker lost or
 * shutdown all call `end(id, reason, {detail?})`; the detail says in words what the reason does not. It ends the session exactly once, charges its minutes (included first,
 * then purchased) in the same transaction, and tells listeners (e.g. the WS gateway) afterwards.
 * `started(row)` is its counterpart for the moment a session starts (create shapes 2/3, or `/start`): the
 * live-session registry listens to both to start and release a session's media.
 * Webhook events (`session.started`, `session.ended`, `transcript.ready`) are written to the outbox in the same
 * transaction as the start or end they report: `end` does it itself, the start use cases call `recordStarted`
 * inside theirs.
 */
import type { EndReason } from '@agenthuman/protocol';
import type { Repositories, SessionRow, Store } from '@agenthuman/store';
import type { PlanTable } from '../config/plans.js';
import { readAccountUsage, splitCharge } from '../usage/account-usage.js';
import type { DomainEvents } from '../webhooks/domain-events.js';

export type SessionEnded = { session: SessionRow; reason: EndReason };
export type SessionLifecycle = ReturnType<typeof createSessionLifecycle>;

export function createSessionLifecycle(deps: {
  store: Store;
  plans: PlanTable;
  now?: () => Date;
  events?: Pick<DomainEvents, 'sessionStarted' | 'sessionEnded'>;
}) {
  const now = deps.now ?? (() => new Date());
  const listeners = new Set<(event: SessionEnded) => void>();
  const startListeners = new Set<(session: SessionRow) => void>();

  return {
    /** Ends a running session; returns the stored session, ended now or before (undefined if unknown). */
    async end(
      sessionId: string,
      reason: EndReason,
      options: { detail?: string } = {},
    ): Promise<{ session: SessionRow; endedNow: boolean } | undefined> {
      const result = await deps.store.transaction(async (repos) => {
        const session = await repos.sessions.findById(sessionId);
        if (!session?.startedAt || session.endedAt) return session && { session, endedNow: false };
        const account = await repos.accounts.lock(session.accountId);
        if (!account) return { session, endedNow: false };
        const at = now();
        const endedAt = billedUntil(session, reason, at);
        const seconds = Math.max(0, Math.round((endedAt.getTime() - session.startedAt.getTime()) / 1000));
        const minutes = Math.ceil(seconds / 60);
        const usage = await readAccountUsage(repos, account, deps.plans, endedAt);
        const charge = splitCharge(minutes, usage);
        const ended = await repos.sessions.markEnded(session.id, {
          endedAt,
          endReason: reason,
          endDetail: options.detail ?? null,
          minutesCharged: minutes,
          includedMinutesUsed: charge.included,
          purchasedMinutesUsed: charge.purchased,
        });
        if (!ended)
          return { session: (await repos.sessions.findById(sessionId)) ?? session, endedNow: false };
        if (minutes > 0) {
          await repos.minuteCharges.record({
            accountId: account.id,
            sessionId: session.id,
            periodStart: usage.period.start,
            includedMinutes: charge.included,
            purchasedMinutes: charge.purchased,
          });
        }
        if (charge.purchased > 0) await repos.accounts.spendPurchasedMinutes(account.id, charge.purchased);
        await deps.events?.sessionEnded(repos, ended);
        return { session: ended, endedNow: true };
      });
      if (result?.endedNow) {
        for (const listener of listeners) listener({ session: result.session, reason });
      }
      return result;
    },

    /** Called by the start use cases inside the transaction that starts the session (its webhook event). */
    async recordStarted(repos: Repositories, session: SessionRow): Promise<void> {
      await deps.events?.sessionStarted(repos, session);
    },

    /** Called by the start use cases once a session's start is committed. */
    started(session: SessionRow): void {
      for (const listener of startListeners) listener(session);
    },

    onStarted(listener: (session: SessionRow) => void): () => void {
      startListeners.add(listener);
      return () => startListeners.delete(listener);
    },

    onEnded(listener: (event: SessionEnded) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * When the session's billing stops: now, except that an expired session is billed up to its expiration however
 * late the sweeper ran, and a session whose media process died up to its last media heartbeat (its clients saw
 * nothing after it), never past its expiration.
 */
function billedUntil(session: SessionRow, reason: EndReason, at: Date): Date {
  const bounds = [at];
  if (reason === 'expired' && session.expiration) bounds.push(session.expiration);
  if (reason === 'worker_lost') {
    if (session.mediaHeartbeatAt) bounds.push(session.mediaHeartbeatAt);
    if (session.expiration) bounds.push(session.expiration);
  }
  const earliest = Math.min(...bounds.map((d) => d.getTime()));
  return new Date(Math.max(earliest, session.startedAt?.getTime() ?? earliest));
}
