/** @module Session recordings. */
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { accountIdColumn } from './accounts.js';
import { createdAt, tstz } from './columns.js';
import { sessions } from './sessions.js';

export type RecordingStatus = 'recording' | 'processing' | 'ready' | 'failed';

/**
 * A session's recording (one per session, made when its media starts). While `recording`, the MP4 grows in a
 * local temporary file (`temp_path`, fragmented so a crash leaves it playable) of the process `owner`
 * (`host:pid:nonce`, as in sessions.media_owner); at the end it is uploaded to the blob store (`blob_key`).
 * A row left `recording` by a dead owner is finished at the next start: the partial file is uploaded
 * (`partial`) or the row fails with `failure_code`/`failure_reason`.
 */
export const recordings = pgTable(
  'recordings',
  {
    sessionId: text('session_id')
      .primaryKey()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    accountId: accountIdColumn(),
    status: text('status').$type<RecordingStatus>().notNull(),
    owner: text('owner').notNull(),
    tempPath: text('temp_path'),
    blobKey: text('blob_key'),
    bytes: bigint('bytes', { mode: 'number' }),
    durationMs: integer('duration_ms'),
    width: integer('width'),
    height: integer('height'),
    partial: boolean('partial').notNull().default(false),
    // Video frames the recording lost because its encoder fell behind (the live stream lost none).
    framesDropped: integer('frames_dropped').notNull().default(0),
    failureCode: text('failure_code'),
    failureReason: text('failure_reason'),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    readyAt: tstz('ready_at'),
  },
  (t) => [index('recordings_status').on(t.status).where(sql`${t.status} in ('recording', 'processing')`)],
);
