/** @module A stored transcript message as the API shows it. */
import type { ChatMessage } from '@agenthuman/protocol';
import type { MessageRow } from '@agenthuman/store';

export function toMessageView(row: MessageRow): ChatMessage {
  return {
    role: row.role,
    text: row.text,
    created_at: row.createdAt.toISOString(),
    interrupted: row.interrupted,
    ...(row.interrupted ? { unsaid_text: row.unsaidText ?? '' } : {}),
    ...(row.greeting ? { greeting: true } : {}),
    ...(row.source ? { source: row.source } : {}),
  };
}
