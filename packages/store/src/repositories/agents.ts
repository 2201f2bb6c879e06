/** @module Agent records: the settings the conversation runtime reads. */
import { and, avg, count, desc, eq, inArray, max, sql } from 'drizzle-orm';
import type { Database } from '../database.js';
import { newId } from '../ids.js';
import { agents, sessions } from '../schema.js';

export type AgentRow = typeof agents.$inferSelect;
export type NewAgent = Omit<typeof agents.$inferInsert, 'id' | 'seq' | 'createdAt' | 'updatedAt'>;
export type AgentStats = { totalSessions: number; avgDuration: number | null; lastUsedAt: Date | null };

export function createAgentsRepository(db: Database) {
  return {
    async create(input: NewAgent): Promise<AgentRow> {
      const [row] = await db
        .insert(agents)
        .values({ id: newId('agnt'), ...input })
        .returning();
      return row!;
    },

    async findForAccount(accountId: string, id: string): Promise<AgentRow | undefined> {
      const [row] = await db
        .select()
        .from(agents)
        .where(and(eq(agents.id, id), eq(agents.accountId, accountId)));
      return row;
    },

    async update(
      accountId: string,
      id: string,
      changes: Partial<Omit<NewAgent, 'accountId'>>,
    ): Promise<AgentRow | undefined> {
      const [row] = await db
        .update(agents)
        .set({ ...changes, updatedAt: new Date() })
        .where(and(eq(agents.id, id), eq(agents.accountId, accountId)))
        .returning();
      return row;
    },

    /** Deletes the agent (its links go with it); false when unknown or another account's. */
    async delete(accountId: string, id: string): Promise<boolean> {
      const rows = await db
        .delete(agents)
        .where(and(eq(agents.id, id), eq(agents.accountId, accountId)))
        .returning({ id: agents.id });
      return rows.length > 0;
    },

    async findById(id: string): Promise<AgentRow | undefined> {
      const [row] = await db.select().from(agents).where(eq(agents.id, id));
      return row;
    },

    async findBySeqForAccount(accountId: string, seq: number): Promise<AgentRow | undefined> {
      const [row] = await db
        .select()
        .from(agents)
        .where(and(eq(agents.seq, seq), eq(agents.accountId, accountId)));
      return row;
    },

    async findByIds(ids: string[]): Promise<AgentRow[]> {
      if (ids.length === 0) return [];
      return db.select().from(agents).where(inArray(agents.id, ids));
    },

    list(accountId: string, order: 'created' | 'updated' = 'created'): Promise<AgentRow[]> {
      return db
        .select()
        .from(agents)
        .where(eq(agents.accountId, accountId))
        .orderBy(order === 'created' ? desc(agents.seq) : desc(agents.updatedAt));
    },

    /** Session counts, mean duration (seconds) and last use per agent, for the legacy listing. */
    async stats(agentIds: string[]): Promise<Map<string, AgentStats>> {
      const result = new Map<string, AgentStats>();
      if (agentIds.length === 0) return result;
      const duration = sql<number>`extract(epoch from (${sessions.endedAt} - ${sessions.startedAt}))`;
      const rows = await db
        .select({
          agentId: sessions.agentId,
          total: count(),
          avgDuration: avg(duration),
          lastUsedAt: max(sessions.createdAt),
        })
        .from(sessions)
        .where(inArray(sessions.agentId, agentIds))
        .groupBy(sessions.agentId);
      for (const row of rows) {
        if (!row.agentId) continue;
        result.set(row.agentId, {
          totalSessions: row.total,
          avgDuration: row.avgDuration === null ? null : Math.round(Number(row.avgDuration)),
          lastUsedAt: row.lastUsedAt ? new Date(row.lastUsedAt) : null,
        });
      }
      return result;
    },
  };
}
