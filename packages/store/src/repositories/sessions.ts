/** @module Session records. Status is derived from the timestamps, never stored. */
import { and, count, desc, eq, inArray, isNotNull, isNull, lt, lte, ne, type SQL } from 'drizzle-orm';
import type { Database } from '../database.js';
import type { RowCache } from '../row-cache.js';
import { sessions } from '../schema.js';

export type SessionRow = typeof sessions.$inferSelect;
export type NewSession = typeof sessions.$inferInsert;
export type SessionStatusFilter = 'all' | 'created' | 'started' | 'ended';

const running = () => and(isNotNull(sessions.startedAt), isNull(sessions.endedAt));

function statusCondition(status: SessionStatusFilter): SQL | undefined {
  if (status === 'created') return isNull(sessions.startedAt);
  if (status === 'started') return running();
  if (status === 'ended') return isNotNull(sessions.endedAt);
  return undefined;
}

/**
 * `cache` (embedded store only) serves `findForAccount` from memory; every write below invalidates the id.
 * Inside a transaction `readCache` is off, so reads see the transaction's own view.
 */
export function createSessionsRepository(db: Database, cache?: RowCache<SessionRow>, readCache = true) {
  const written = <T>(id: string, result: T): T => {
    cache?.invalidate(id);
    return result;
  };

  return {
    async insert(values: NewSession): Promise<SessionRow> {
      const [row] = await db.insert(sessions).values(values).returning();
      return written(row!.id, row!);
    },

    async findForAccount(accountId: string, id: string): Promise<SessionRow | undefined> {
      const cached = readCache ? cache?.get(id) : undefined;
      if (cached) return cached.accountId === accountId ? cached : undefined;
      const generation = cache?.generation(id) ?? 0;
      const [row] = await db.select().from(sessions).where(eq(sessions.id, id));
      if (row && readCache) cache?.set(id, row, generation);
      return row?.accountId === accountId ? row : undefined;
    },

    async findById(id: string): Promise<SessionRow | undefined> {
      const [row] = await db.select().from(sessions).where(eq(sessions.id, id));
      return row;
    },

    /** Any account's session by its legacy integer id (routing only: callers check the account themselves). */
    async findBySeq(seq: number): Promise<SessionRow | undefined> {
      const [row] = await db.select().from(sessions).where(eq(sessions.seq, seq));
      return row;
    },

    async findBySeqForAccount(accountId: string, seq: number): Promise<SessionRow | undefined> {
      const [row] = await db
        .select()
        .from(sessions)
        .where(and(eq(sessions.seq, seq), eq(sessions.accountId, accountId)));
      return row;
    },

    /** Newest first; `beforeSeq` continues after the last row of the previous page. */
    list(
      accountId: string,
      options: { status: SessionStatusFilter; limit: number; beforeSeq?: number; agentIds?: string[] },
    ): Promise<SessionRow[]> {
      const conditions = [
        eq(sessions.accountId, accountId),
        statusCondition(options.status),
        options.beforeSeq === undefined ? undefined : lt(sessions.seq, options.beforeSeq),
        options.agentIds === undefined ? undefined : inArray(sessions.agentId, options.agentIds),
      ];
      return db
        .select()
        .from(sessions)
        .where(and(...conditions))
        .orderBy(desc(sessions.seq))
        .limit(options.limit);
    },

    async countRunning(accountId: string): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(sessions)
        .where(and(eq(sessions.accountId, accountId), running()));
      return row?.n ?? 0;
    },

    listRunning(accountId: string): Promise<SessionRow[]> {
      return db
        .select()
        .from(sessions)
        .where(and(eq(sessions.accountId, accountId), running()))
        .orderBy(desc(sessions.seq));
    },

    /** Running sessions whose expiration has passed (the sweeper's work list). */
    listExpired(now: Date, limit: number): Promise<Pick<SessionRow, 'id' | 'accountId'>[]> {
      return db
        .select({ id: sessions.id, accountId: sessions.accountId })
        .from(sessions)
        .where(and(running(), lte(sessions.expiration, now)))
        .limit(limit);
    },

    /**
     * Records that `owner` still runs these sessions' media. The row cache is left alone on purpose: nothing
     * reads the heartbeat through it, and invalidating every running session every few seconds would empty it.
     */
    async recordMediaHeartbeat(ids: string[], owner: string, at: Date): Promise<void> {
      if (ids.length === 0) return;
      await db
        .update(sessions)
        .set({ mediaOwner: owner, mediaHeartbeatAt: at })
        .where(and(inArray(sessions.id, ids), running()));
    },

    /**
     * A cluster worker's beat: only rows it still owns (the API may have moved a session to another worker).
     * Returns the ids it wrote; a running id missing from them was ended or moved, so its media goes.
     */
    async beatOwnedMedia(ids: string[], owner: string, at: Date): Promise<string[]> {
      if (ids.length === 0) return [];
      const rows = await db
        .update(sessions)
        .set({ mediaHeartbeatAt: at })
        .where(and(inArray(sessions.id, ids), running(), eq(sessions.mediaOwner, owner)))
        .returning({ id: sessions.id });
      return rows.map((row) => row.id);
    },

    /**
     * Moves a running session's media from `fromOwner` to `toOwner` (beat = `at`); false when another process
     * moved or ended it first (several API processes watch the same workers).
     */
    async moveMedia(id: string, fromOwner: string, toOwner: string, at: Date): Promise<boolean> {
      const rows = await db
        .update(sessions)
        .set({ mediaOwner: toOwner, mediaHeartbeatAt: at })
        .where(and(eq(sessions.id, id), running(), eq(sessions.mediaOwner, fromOwner)))
        .returning({ id: sessions.id });
      return written(id, rows.length > 0);
    },

    /** Running sessions that have a media owner, with their last beat (the cluster's worker-loss watch). */
    listOwnedMedia(limit: number): Promise<Pick<SessionRow, 'id' | 'mediaOwner' | 'mediaHeartbeatAt'>[]> {
      return db
        .select({
          id: sessions.id,
          mediaOwner: sessions.mediaOwner,
          mediaHeartbeatAt: sessions.mediaHeartbeatAt,
        })
        .from(sessions)
        .where(and(running(), isNotNull(sessions.mediaOwner)))
        .limit(limit);
    },

    /** Running sessions whose media owner (not `exceptOwner`) last beat before `heartbeatBefore`. */
    listMediaLost(
      options: { exceptOwner: string; heartbeatBefore: Date },
      limit: number,
    ): Promise<Pick<SessionRow, 'id' | 'accountId'>[]> {
      return db
        .select({ id: sessions.id, accountId: sessions.accountId })
        .from(sessions)
        .where(
          and(
            running(),
            isNotNull(sessions.mediaOwner),
            ne(sessions.mediaOwner, options.exceptOwner),
            lt(sessions.mediaHeartbeatAt, options.heartbeatBefore),
          ),
        )
        .limit(limit);
    },

    /** Sets started_at only on a never-started session; undefined when it was started or ended meanwhile. */
    async markStarted(id: string, startedAt: Date, expiration: Date | null): Promise<SessionRow | undefined> {
      const [row] = await db
        .update(sessions)
        .set({ startedAt, expiration })
        .where(and(eq(sessions.id, id), isNull(sessions.startedAt)))
        .returning();
      return written(id, row);
    },

    /** Ends a running session exactly once; undefined when it was not running. */
    async markEnded(
      id: string,
      end: {
        endedAt: Date;
        endReason: string;
        endDetail?: string | null;
        minutesCharged: number;
        includedMinutesUsed: number;
        purchasedMinutesUsed: number;
      },
    ): Promise<SessionRow | undefined> {
      const [row] = await db
        .update(sessions)
        .set(end)
        .where(and(eq(sessions.id, id), running()))
        .returning();
      return written(id, row);
    },

    async updateLegacyReport(
      id: string,
      report: { transcript?: unknown; reportedDuration?: number; metadata?: Record<string, unknown> },
    ): Promise<SessionRow | undefined> {
      if (Object.keys(report).length === 0) return this.findById(id);
      const [row] = await db.update(sessions).set(report).where(eq(sessions.id, id)).returning();
      return written(id, row);
    },

    /** Deletes a never-started session; undefined when it has started. */
    async deleteCreated(accountId: string, id: string): Promise<SessionRow | undefined> {
      const [row] = await db
        .delete(sessions)
        .where(and(eq(sessions.id, id), eq(sessions.accountId, accountId), isNull(sessions.startedAt)))
        .returning();
      return written(id, row);
    },
  };
}
