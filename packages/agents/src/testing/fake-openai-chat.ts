// FAKE OpenAI-compatible chat completions endpoint speaking the real streaming wire format:
// `data: {"id":…,"object":"chat.completion.chunk","choices":[{"index":0,"delta":{…},"finish_reason":…}]}`
// events, a final `data: [DONE]`, and OpenAI's JSON error bodies for HTTP errors.
import type { ServerResponse } from 'node:http';
import { type RecordedRequest, writeInPieces } from './fake-http-server.js';

export function chatCompletionChunk(delta: Record<string, unknown>, finishReason: string | null = null) {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'fake-model',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
}

/** The SSE body OpenAI sends for a reply made of these content deltas. */
export function chatCompletionSse(deltas: string[], options: { done?: boolean } = {}): string {
  const events = [
    chatCompletionChunk({ role: 'assistant', content: '' }),
    ...deltas.map((content) => chatCompletionChunk({ content })),
    chatCompletionChunk({}, 'stop'),
  ].map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`);
  if (options.done !== false) events.push('data: [DONE]\n\n');
  return events.join('');
}

export function openAiErrorBody(message: string, type = 'invalid_request_error', code: string | null = null) {
  return JSON.stringify({ error: { message, type, param: null, code } });
}

/** Streams the reply with chunk boundaries at the given byte sizes (mid-line, mid-UTF-8, …). */
export async function streamChatReply(
  res: ServerResponse,
  deltas: string[],
  pieceSizes: (index: number) => number = () => 7,
  pauseMs = 1,
): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  await writeInPieces(res, Buffer.from(chatCompletionSse(deltas)), pieceSizes, pauseMs);
  res.end();
}

export function parseChatRequest(request: RecordedRequest): {
  model: string;
  stream: boolean;
  messages: { role: string; content: string }[];
} {
  return JSON.parse(request.body.toString('utf8'));
}
