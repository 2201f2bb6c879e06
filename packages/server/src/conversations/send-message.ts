/**
 * @module `POST /v1/sessions/{id}/messages`: the user's message → the agent's reply, both stored in the
 * transcript. For voice and video sessions the reply is also spoken in the room while it is generated.
 */
import { ConversationClosedError, ProviderError } from '@agenthuman/agents';
import type { SendMessageBody, SendMessageReply } from '@agenthuman/protocol';
import type { SessionRow } from '@agenthuman/store';
import { AppError } from '../http/app-error.js';
import type { ConversationRegistry } from './conversation-registry.js';
import { toMessageView } from './message-view.js';
import type { TurnListener } from './session-conversation.js';

/** The message text (`message`, alias `text`), or a 400 naming the field. */
export function messageText(body: SendMessageBody | undefined): string {
  const text = (body?.message ?? body?.text ?? '').trim();
  if (!text) {
    throw new AppError('VALIDATION_ERROR', 'message is required and must not be empty', {
      suggestion: 'Send {"message": "..."} (or {"text": "..."})',
      details: { field: 'message' },
    });
  }
  return text;
}

export async function sendMessage(
  conversations: ConversationRegistry,
  session: SessionRow,
  text: string,
  listener?: TurnListener,
): Promise<SendMessageReply> {
  const conversation = await conversations.get(session);
  try {
    const sent = await conversation.send(text, listener ? { listener } : {});
    return { success: true, message: toMessageView(sent.message), reply: toMessageView(sent.reply) };
  } catch (error) {
    throw replyError(error);
  }
}

function replyError(error: unknown): unknown {
  if (error instanceof ConversationClosedError) {
    return new AppError('SESSION_ENDED', 'This session has ended', {
      suggestion: 'Start a new session to keep talking to the agent',
    });
  }
  if (error instanceof ProviderError) {
    // The provider's message names the provider and status; it never carries the request's key.
    return new AppError('AGENT_REPLY_FAILED', `The agent's language model failed: ${error.message}`, {
      suggestion: "Check the agent's llm settings and the server's provider keys",
      details: { provider_code: error.code, ...(error.status ? { provider_status: error.status } : {}) },
      cause: error,
    });
  }
  return error;
}
