/** @module Agent session transcripts: one row per message, appended as the conversation goes. */
import { asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../database.js';
import { messages } from '../schema.js';

export type MessageRow = typeof messages.$inferSelect;
export type NewMessage = Omit<typeof messages.$inferInsert, 'seq'>;

export function createMessagesRepository(db: Database) {
  return {
    /** Inserts the message, or updates it when a message with this id exists (a reply cut off later). */
    async save(input: NewMessage): Promise<MessageRow> {
      const { id: _id, sessionId: _session, createdAt: _created, ...changes } = input;
      const [row] = await db
        .insert(messages)
        .values(input)
        .onConflictDoUpdate({ target: messages.id, set: changes })
        .returning();
      return row!;
    },

    /** Per session, oldest first. */
    async listForSessions(sessionIds: string[]): Promise<Map<string, MessageRow[]>> {
      const result = new Map<string, MessageRow[]>();
      if (sessionIds.length === 0) return result;
      const rows = await db
        .select()
        .from(messages)
        .where(inArray(messages.sessionId, sessionIds))
        .orderBy(asc(messages.seq));
      for (const row of rows) {
        const list = result.get(row.sessionId) ?? [];
        list.push(row);
        result.set(row.sessionId, list);
      }
      return result;
    },

    /** Oldest first. */
    listForSession(sessionId: string): Promise<MessageRow[]> {
      return db.select().from(messages).where(eq(messages.sessionId, sessionId)).orderBy(asc(messages.seq));
    },
  };
}
