// Language-model contract: a chat in, the reply out as a stream of text deltas, stopped by the AbortSignal.

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatOptions {
  signal?: AbortSignal;
  temperature?: number;
  maxTokens?: number;
}

export interface LLM {
  /** Provider name for logs and events (`openai-compatible`, `llama-cpp`, `builtin`). */
  readonly provider: string;
  /** Yields the reply as it is generated; the concatenation of all deltas is the whole reply. */
  chat(messages: readonly ChatMessage[], options?: ChatOptions): AsyncIterable<string>;
}

/** Collects a whole reply (for callers that do not stream). */
export async function completeChat(
  llm: LLM,
  messages: readonly ChatMessage[],
  options?: ChatOptions,
): Promise<string> {
  let text = '';
  for await (const delta of llm.chat(messages, options)) text += delta;
  return text;
}
