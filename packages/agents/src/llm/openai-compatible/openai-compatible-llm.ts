// OpenAI chat completions with `stream: true` over fetch. The same wire format is spoken by OpenAI, Ollama,
// vLLM, llama.cpp's server and most gateways, so any `baseUrl` works.
import { providerFetch } from '../../http/provider-fetch.js';
import { readBody } from '../../http/read-body.js';
import { parseSse } from '../../http/sse.js';
import { ProviderError, parseProviderOptions } from '../../provider-error.js';
import type { ChatMessage, ChatOptions, LLM } from '../llm.js';
import { type OpenAiCompatibleOptions, openAiCompatibleOptionsSchema } from './openai-compatible-options.js';

const PROVIDER = 'openai-compatible';

interface StreamChunk {
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  error?: { message?: string } | string;
}

export class OpenAiCompatibleLLM implements LLM {
  readonly provider = PROVIDER;
  private readonly options: ReturnType<typeof openAiCompatibleOptionsSchema.parse>;

  constructor(options: OpenAiCompatibleOptions) {
    this.options = parseProviderOptions('LLM', PROVIDER, openAiCompatibleOptionsSchema, options);
  }

  async *chat(messages: readonly ChatMessage[], options: ChatOptions = {}): AsyncGenerator<string> {
    const o = this.options;
    const request = {
      capability: 'LLM' as const,
      provider: PROVIDER,
      timeoutMs: o.timeoutMs,
      idleTimeoutMs: o.idleTimeoutMs,
      signal: options.signal,
      secrets: [o.apiKey],
      fetch: o.fetch,
    };
    const temperature = options.temperature ?? o.temperature;
    const maxTokens = options.maxTokens ?? o.maxTokens;
    const body = {
      model: o.model,
      messages: messages.map((m) => ({ role: m.role, content: m.content })),
      stream: true,
      ...(temperature === undefined ? {} : { temperature }),
      ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }),
    };
    const answer = await providerFetch(
      `${o.baseUrl.replace(/\/+$/, '')}/chat/completions`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}),
          ...o.headers,
        },
        body: JSON.stringify(body),
      },
      request,
    );
    const contentType = answer.response.headers.get('content-type') ?? '';
    const chunks = readBody(answer, request);
    if (contentType.includes('application/json')) {
      // A server that ignores `stream: true` answers with one whole completion.
      yield completionText(await collectText(chunks));
      return;
    }
    let finished = false;
    for await (const event of parseSse(chunks)) {
      const data = event.data.trim();
      if (data === '[DONE]') return;
      let chunk: StreamChunk;
      try {
        chunk = JSON.parse(data) as StreamChunk;
      } catch {
        throw badResponse(`not JSON in the stream: ${data.slice(0, 80)}`);
      }
      if (chunk.error) {
        const message = typeof chunk.error === 'string' ? chunk.error : chunk.error.message;
        throw new ProviderError('LLM', 'FAILED', PROVIDER, `error in the stream: ${message ?? 'unknown'}`);
      }
      const choice = chunk.choices?.[0];
      const content = choice?.delta?.content;
      if (typeof content === 'string' && content.length > 0) yield content;
      if (choice?.finish_reason) finished = true;
    }
    if (!finished) throw badResponse('the stream ended before the reply was complete');
  }
}

function badResponse(message: string): ProviderError {
  return new ProviderError('LLM', 'BAD_RESPONSE', PROVIDER, message);
}

async function collectText(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of chunks) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

function completionText(json: string): string {
  try {
    const parsed = JSON.parse(json) as { choices?: { message?: { content?: string } }[] };
    const content = parsed.choices?.[0]?.message?.content;
    if (typeof content === 'string') return content;
  } catch {
    // Reported below.
  }
  throw badResponse('the completion has no choices[0].message.content');
}
