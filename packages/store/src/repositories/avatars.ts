/** @module User avatars (public ones ship in code, see the server's avatar catalog). Deleted ones are tombstones. */
import { and, count, desc, eq, gte, isNull } from 'drizzle-orm';
import type { Database } from '../database.js';
import { newId } from '../ids.js';
import { avatars } from '../schema.js';

export type AvatarRow = typeof avatars.$inferSelect;

const live = isNull(avatars.deletedAt);

export function createAvatarsRepository(db: Database) {
  return {
    async create(input: {
      /** Callers that store the images before the row pass the id they stored them under. */
      id?: string;
      accountId: string;
      name: string;
      tags?: string[];
      userExclusive?: boolean;
      imageKey?: string;
      previewKey?: string;
      faceKey?: string;
    }): Promise<AvatarRow> {
      const [row] = await db
        .insert(avatars)
        .values({ ...input, id: input.id ?? newId('avat') })
        .returning();
      return row!;
    },

    /** A live (not deleted) avatar. */
    async findById(id: string): Promise<AvatarRow | undefined> {
      const [row] = await db
        .select()
        .from(avatars)
        .where(and(eq(avatars.id, id), live));
      return row;
    },

    async findBySeq(seq: number): Promise<AvatarRow | undefined> {
      const [row] = await db
        .select()
        .from(avatars)
        .where(and(eq(avatars.seq, seq), live));
      return row;
    },

    /** The account's live avatars, newest first. */
    async listByAccount(accountId: string): Promise<AvatarRow[]> {
      return db
        .select()
        .from(avatars)
        .where(and(eq(avatars.accountId, accountId), live))
        .orderBy(desc(avatars.createdAt), desc(avatars.seq));
    },

    /** Marks the account's avatar deleted; undefined when it is not the account's or already deleted. */
    async markDeleted(accountId: string, id: string, at: Date): Promise<AvatarRow | undefined> {
      const [row] = await db
        .update(avatars)
        .set({ deletedAt: at })
        .where(and(eq(avatars.id, id), eq(avatars.accountId, accountId), live))
        .returning();
      return row;
    },

    /** Avatars made since `since`, deleted ones included (deleting does not give quota back). */
    async countCreatedSince(accountId: string, since: Date): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(avatars)
        .where(and(eq(avatars.accountId, accountId), gte(avatars.createdAt, since)));
      return row?.n ?? 0;
    },
  };
}
