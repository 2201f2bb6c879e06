/**
 * @module Session recordings. Status changes are conditional on the status they leave, so the process that
 * owns a recording and a later start-up finishing it after a crash can never both finish it.
 */
import { and, eq, inArray, isNotNull, lt, ne, or } from 'drizzle-orm';
import type { Database } from '../database.js';
import { type RecordingStatus, recordings, sessions } from '../schema.js';

export type RecordingRow = typeof recordings.$inferSelect;
export type NewRecording = Pick<
  typeof recordings.$inferInsert,
  'sessionId' | 'accountId' | 'owner' | 'tempPath' | 'width' | 'height'
>;
export type RecordingChanges = Partial<
  Pick<
    RecordingRow,
    | 'status'
    | 'owner'
    | 'tempPath'
    | 'blobKey'
    | 'bytes'
    | 'durationMs'
    | 'partial'
    | 'framesDropped'
    | 'failureCode'
    | 'failureReason'
    | 'readyAt'
  >
>;

export function createRecordingsRepository(db: Database) {
  return {
    /** The row for a session that starts recording; an existing row (media restarted) is taken over. */
    async start(input: NewRecording): Promise<RecordingRow> {
      const values = { ...input, status: 'recording' as const, updatedAt: new Date() };
      const [row] = await db
        .insert(recordings)
        .values(values)
        .onConflictDoUpdate({ target: recordings.sessionId, set: values })
        .returning();
      return row!;
    },

    async findForAccount(accountId: string, sessionId: string): Promise<RecordingRow | undefined> {
      const [row] = await db
        .select()
        .from(recordings)
        .where(and(eq(recordings.sessionId, sessionId), eq(recordings.accountId, accountId)));
      return row;
    },

    async findBySession(sessionId: string): Promise<RecordingRow | undefined> {
      const [row] = await db.select().from(recordings).where(eq(recordings.sessionId, sessionId));
      return row;
    },

    /** Applies `changes` only while the row is in one of `from` (and, when given, still owned by `owner`). */
    async transition(
      sessionId: string,
      from: RecordingStatus[],
      changes: RecordingChanges,
      owner?: string,
    ): Promise<RecordingRow | undefined> {
      const [row] = await db
        .update(recordings)
        .set({ ...changes, updatedAt: new Date() })
        .where(
          and(
            eq(recordings.sessionId, sessionId),
            inArray(recordings.status, from),
            owner === undefined ? undefined : eq(recordings.owner, owner),
          ),
        )
        .returning();
      return row;
    },

    /**
     * Recordings another process left unfinished: still `recording`/`processing`, owned by someone else, and
     * their session ended `worker_lost` (its owner is gone) or ended before `endedBefore` (its owner had time).
     */
    abandoned(owner: string, endedBefore: Date): Promise<RecordingRow[]> {
      return db
        .select({ recording: recordings })
        .from(recordings)
        .innerJoin(sessions, eq(sessions.id, recordings.sessionId))
        .where(
          and(
            inArray(recordings.status, ['recording', 'processing']),
            ne(recordings.owner, owner),
            isNotNull(sessions.endedAt),
            or(eq(sessions.endReason, 'worker_lost'), lt(sessions.endedAt, endedBefore)),
          ),
        )
        .then((rows) => rows.map((row) => row.recording));
    },
  };
}
