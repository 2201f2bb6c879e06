/** @module `PUT|POST /v1/sessions/{id}/start`: created → started (usage checked again); started → same answer. */
import type { SessionRow, Store } from '@agenthuman/store';
import type { PlanTable } from '../config/plans.js';
import { AppError, sessionNotFound } from '../http/app-error.js';
import { assertCanStart, expirationFor, readAccountUsage } from '../usage/account-usage.js';

export async function startSession(
  deps: { store: Store; plans: PlanTable },
  accountId: string,
  sessionId: string,
  now = new Date(),
): Promise<SessionRow> {
  return deps.store.transaction(async (repos) => {
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
    const started = await repos.sessions.markStarted(session.id, now, expirationFor(now, usage));
    return started ?? session;
  });
}
