/** @module User avatars (public ones ship in code, see the server's avatar catalog). */
import { and, count, eq, gte } from 'drizzle-orm';
import type { Database } from '../database.js';
import { newId } from '../ids.js';
import { avatars } from '../schema.js';

export type AvatarRow = typeof avatars.$inferSelect;

export function createAvatarsRepository(db: Database) {
  return {
    async create(input: {
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
        .values({ id: newId('avat'), ...input })
        .returning();
      return row!;
    },

    async findById(id: string): Promise<AvatarRow | undefined> {
      const [row] = await db.select().from(avatars).where(eq(avatars.id, id));
      return row;
    },

    async findBySeq(seq: number): Promise<AvatarRow | undefined> {
      const [row] = await db.select().from(avatars).where(eq(avatars.seq, seq));
      return row;
    },

    async countCreatedSince(accountId: string, since: Date): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(avatars)
        .where(and(eq(avatars.accountId, accountId), gte(avatars.createdAt, since)));
      return row?.n ?? 0;
    },
  };
}
