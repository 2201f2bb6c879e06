/** @module `DELETE /v1/sessions/{id}`: only sessions that never started; history of the others is kept. */
import type { Store } from '@agenthuman/store';
import { AppError, sessionNotFound } from '../http/app-error.js';
import type { RoomProvisioner } from '../rooms/room-provisioner.js';

export async function deleteSession(
  deps: { store: Store; rooms: Pick<RoomProvisioner, 'release'> },
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
  // A LiveKit room made at create (seed shape with AGENTHUMAN_ROOMS=livekit) goes with the session; if the
  // LiveKit server does not answer now, the room's empty timeout closes it anyway.
  if (deleted.room) await deps.rooms.release(deleted.room).catch(() => undefined);
}
