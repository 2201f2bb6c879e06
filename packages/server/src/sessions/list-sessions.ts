/** @module `GET /v1/sessions`: newest first, filtered by status, cursor-paginated. */
import type { ListSessionsQuery } from '@agenthuman/protocol';
import type { SessionRow, SessionStatusFilter, Store } from '@agenthuman/store';
import { AppError } from '../http/app-error.js';

const STATUS_ALIASES: Record<string, SessionStatusFilter> = {
  all: 'all',
  created: 'created',
  started: 'started',
  active: 'started',
  ended: 'ended',
};

export async function listSessions(
  deps: { store: Store },
  accountId: string,
  query: ListSessionsQuery,
): Promise<{ rows: SessionRow[]; nextCursor: string | null }> {
  // Any other status value means all, as the public docs say.
  const status = STATUS_ALIASES[query.status ?? 'all'] ?? 'all';
  const beforeSeq = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rows = await deps.store.sessions.list(accountId, { status, limit: query.limit + 1, beforeSeq });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > query.limit && last ? encodeCursor(last.seq) : null };
}

const encodeCursor = (seq: number) => Buffer.from(`s:${seq}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const match = /^s:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) {
    throw new AppError('VALIDATION_ERROR', 'Invalid cursor', {
      suggestion: 'Pass the next_cursor value of the previous page unchanged',
      details: { field: 'cursor' },
    });
  }
  return Number(match[1]);
}
