/** @module Agent conversations: `POST/GET /v1/sessions/{id}/messages` and the streamed reply's events. */
import { z } from 'zod';
import { Timestamp } from './common.js';

export const MESSAGE_MAX_CHARS = 4000;

export const SendMessageBody = z.object({
  message: z.string().max(MESSAGE_MAX_CHARS).optional().describe('What the user says'),
  text: z.string().max(MESSAGE_MAX_CHARS).optional().describe('Alias of `message`'),
});
export type SendMessageBody = z.infer<typeof SendMessageBody>;

export const ChatMessage = z
  .object({
    role: z.enum(['user', 'agent']),
    text: z.string().describe('For the agent: what was actually said (heard, for voice and video sessions)'),
    created_at: Timestamp,
    interrupted: z.boolean().describe('The agent was cut off (barge-in or a newer message)'),
    unsaid_text: z.string().optional().describe('Generated but never said; only on interrupted replies'),
    greeting: z.boolean().optional().describe('The agent greeting, said unasked'),
    source: z.enum(['text', 'voice']).optional().describe('How a user message arrived'),
  })
  .meta({ id: 'ChatMessage' });
export type ChatMessage = z.infer<typeof ChatMessage>;

export const SendMessageReply = z.object({
  success: z.literal(true),
  message: ChatMessage,
  reply: ChatMessage,
});
export type SendMessageReply = z.infer<typeof SendMessageReply>;

export const TranscriptReply = z.object({
  success: z.literal(true),
  session_id: z.string(),
  messages: z.array(ChatMessage),
});

/**
 * Server-sent events of a streamed reply (`Accept: text/event-stream`), in order: `message` (the user message,
 * stored), any number of `text.delta` {delta} and `sentence` {index, text} (each sentence as it goes to the
 * voice), `tts.fallback` {provider, fallback, reason, code, message, text} when the agent's voice failed and
 * the built-in voice spoke instead, then exactly one of `done` (the same body as the JSON answer) or `error`
 * (an error body). The stream then closes.
 */
export const MESSAGE_STREAM_EVENTS = [
  'message',
  'text.delta',
  'sentence',
  'tts.fallback',
  'done',
  'error',
] as const;
