/** @module `DELETE /v1/sessions/{id}`: only sessions that never started; history of the others is kept. */
import type { Store } from '@agenthuman/store';
import { AppError, sessionNotFound } from '../http/app-error.js';

export async function deleteSession(
  deps: { store: Store },
  accountId: string,
  sessionId: string,
): Promise<void> {
  const session = await deps.store.sessions.findForAccount(accountId, sessionId);
  if (!session) throw sessionNotFound();
  const deleted = session.startedAt
    ? undefined
    : await deps.store.sessions.deleteCreated(accountId, sessionId);
  if (!deleted) {
    throw new AppError(
      session.endedAt ? 'SESSION_ENDED' : 'SESSION_ALREADY_STARTED',
      'Only sessions that never started can be deleted',
      {
        suggestion: `End a running session with POST /v1/sessions/${session.id}/end; ended sessions are kept`,
      },
    );
  }
}
