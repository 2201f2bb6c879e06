/** @module Single-use avatar preview links: created with a token hash, consumed atomically once. */
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Database } from '../database.js';
import { avatarPreviews } from '../schema.js';

export type AvatarPreviewRow = typeof avatarPreviews.$inferSelect;

export function createAvatarPreviewsRepository(db: Database) {
  return {
    async create(input: {
      tokenHash: string;
      accountId: string;
      avatarId: string;
      expiresAt: Date;
    }): Promise<AvatarPreviewRow> {
      const [row] = await db.insert(avatarPreviews).values(input).returning();
      return row!;
    },

    /**
     * Marks the link used if it is unused and unexpired, in one statement so two concurrent opens cannot both
     * win. Otherwise says why: unknown, used or expired.
     */
    async consume(
      tokenHash: string,
      now: Date,
    ): Promise<{ row: AvatarPreviewRow } | { refused: 'unknown' | 'used' | 'expired' }> {
      const [row] = await db
        .update(avatarPreviews)
        .set({ usedAt: now })
        .where(
          and(
            eq(avatarPreviews.tokenHash, tokenHash),
            isNull(avatarPreviews.usedAt),
            gt(avatarPreviews.expiresAt, now),
          ),
        )
        .returning();
      if (row) return { row };
      const [existing] = await db
        .select()
        .from(avatarPreviews)
        .where(eq(avatarPreviews.tokenHash, tokenHash));
      if (!existing) return { refused: 'unknown' };
      return { refused: existing.usedAt ? 'used' : 'expired' };
    },
  };
}
