/** @module `PUT|POST /v1/sessions/{id}/start`: created → started (usage checked again); started → same answer. */
import type { SessionRow, Store } from '@agenthuman/store';
import type { PlanTable } from '../config/plans.js';
import { AppError, sessionNotFound } from '../http/app-error.js';
import { assertCanStart, expirationFor, readAccountUsage } from '../usage/account-usage.js';
import type { SessionLifecycle } from './session-lifecycle.js';

export type StartSessionDeps = {
  store: Store;
  plans: PlanTable;
  lifecycle?: Pick<SessionLifecycle, 'started' | 'recordStarted'>;
  live?: { hasCapacity(): boolean };
};

/**
 * Starts a created session. `undefined` means no avatar capacity is free right now: the session stays
 * `created` and the route answers `ws_uri: "try_again"` (spec section 3), so the caller repeats the call.
 */
export async function startSession(
  deps: StartSessionDeps,
  accountId: string,
  sessionId: string,
  now = new Date(),
): Promise<SessionRow | undefined> {
  let startedNow = false;
  const row = await deps.store.transaction(async (repos) => {
    const account = await repos.accounts.lock(accountId);
    const session = await repos.sessions.findForAccount(accountId, sessionId);
    if (!account || !session) throw sessionNotFound();
    if (session.endedAt) {
      throw new AppError('SESSION_ENDED', 'Session has ended and cannot be started again', {
        suggestion: 'Create a new session',
      });
    }
    if (session.startedAt) return session;
    const usage = await readAccountUsage(repos, account, deps.plans, now);
    assertCanStart(usage);
    if (deps.live && !deps.live.hasCapacity()) return undefined;
    const started = await repos.sessions.markStarted(session.id, now, expirationFor(now, usage));
    startedNow = started !== undefined;
    if (started) await deps.lifecycle?.recordStarted(repos, started);
    return started ?? session;
  });
  if (row && startedNow) deps.lifecycle?.started(row);
  return row;
}
