/** @module Uploaded avatars and their single-use preview links. */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { accountIdColumn } from './accounts.js';
import { createdAt, tstz } from './columns.js';

export const avatars = pgTable(
  'avatars',
  {
    id: text('id').primaryKey(),
    // Legacy integer ids start above the public catalog's fixed 1..999.
    seq: integer('seq').generatedAlwaysAsIdentity({ startWith: 1001 }).notNull().unique(),
    accountId: accountIdColumn(),
    name: text('name').notNull(),
    tags: jsonb('tags').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    userExclusive: boolean('user_exclusive').notNull().default(true),
    // Keys of the stored images in the blob store (filled in by the upload pipeline).
    imageKey: text('image_key'),
    previewKey: text('preview_key'),
    faceKey: text('face_key'),
    createdAt: createdAt(),
    // Deleted avatars stay as tombstones (no images): they still count against the cycle's avatar quota.
    deletedAt: tstz('deleted_at'),
  },
  (t) => [index('avatars_account').on(t.accountId, t.createdAt)],
);

/** Single-use preview page links (`POST /v1/avatars/preview`); only the token's sha256 is stored. */
export const avatarPreviews = pgTable('avatar_previews', {
  tokenHash: text('token_hash').primaryKey(),
  accountId: accountIdColumn(),
  avatarId: text('avatar_id').notNull(),
  expiresAt: tstz('expires_at').notNull(),
  usedAt: tstz('used_at'),
  createdAt: createdAt(),
});
