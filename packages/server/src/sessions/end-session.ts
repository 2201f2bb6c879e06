/** @module `PUT|POST /v1/sessions/{id}/end`: ends a started session; idempotent for ended ones. */
import type { SessionRow, Store } from '@agenthuman/store';
import { AppError, sessionNotFound } from '../http/app-error.js';
import type { SessionLifecycle } from './session-lifecycle.js';

export async function endSession(
  deps: { store: Store; lifecycle: SessionLifecycle },
  accountId: string,
  sessionId: string,
): Promise<SessionRow> {
  const session = await deps.store.sessions.findForAccount(accountId, sessionId);
  if (!session) throw sessionNotFound();
  if (session.endedAt) return session;
  if (!session.startedAt) {
    throw new AppError('SESSION_NOT_STARTED', 'Session has not started, so it cannot be ended', {
      suggestion: `Use DELETE /v1/sessions/${session.id} to discard a session that never started`,
    });
  }
  const result = await deps.lifecycle.end(session.id, 'client');
  return result?.session ?? session;
}
