import { afterEach, describe, expect, it } from 'vitest';
import { type FakeHttpServer, startFakeHttpServer } from '../../testing/fake-http-server.js';
import {
  chatCompletionSse,
  openAiErrorBody,
  parseChatRequest,
  streamChatReply,
} from '../../testing/fake-openai-chat.js';
import { completeChat } from '../llm.js';
import { OpenAiCompatibleLLM } from './openai-compatible-llm.js';

let server: FakeHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const messages = [
  { role: 'system' as const, content: 'Be brief.' },
  { role: 'user' as const, content: 'Say hello in two languages.' },
];

describe('OpenAiCompatibleLLM against a fake chat-completions server', () => {
  it('streams the deltas of the real wire format, split mid-line and mid-UTF-8', async () => {
    const deltas = ['Hello', ' there', '! Grüß', ' Gott 👋', '. Ça va?'];
    server = await startFakeHttpServer((_req, res) => streamChatReply(res, deltas, (i) => (i % 3) + 1));
    const llm = new OpenAiCompatibleLLM({
      baseUrl: `${server.url}/v1`,
      model: 'llama3',
      apiKey: 'sk-test-1234',
    });
    const received: string[] = [];
    for await (const delta of llm.chat(messages, { temperature: 0.2 })) received.push(delta);
    expect(received).toEqual(deltas);

    const request = server.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer sk-test-1234');
    const body = parseChatRequest(request);
    expect(body).toMatchObject({ model: 'llama3', stream: true, temperature: 0.2, messages });
  });

  it('accepts a non-streaming JSON completion from servers that ignore stream', async () => {
    server = await startFakeHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'Whole.' } }] }));
    });
    const llm = new OpenAiCompatibleLLM({ baseUrl: server.url, model: 'm' });
    expect(await completeChat(llm, messages)).toBe('Whole.');
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('turns HTTP errors into typed errors with the provider message and no secret', async () => {
    const cases: [number, string, string][] = [
      [401, 'Incorrect API key provided: sk-secret-999.', 'LLM_AUTH_FAILED'],
      [429, 'Rate limit reached for requests', 'LLM_RATE_LIMITED'],
      [404, 'The model `nope` does not exist', 'LLM_NOT_FOUND'],
      [500, 'The server had an error', 'LLM_HTTP_ERROR'],
    ];
    for (const [status, message, code] of cases) {
      server = await startFakeHttpServer((_req, res) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(openAiErrorBody(message));
      });
      const llm = new OpenAiCompatibleLLM({ baseUrl: server.url, model: 'nope', apiKey: 'sk-secret-999' });
      const error = await completeChat(llm, messages).catch((e) => e);
      expect(error).toMatchObject({ code, status });
      expect(error.message).toContain(message.replace('sk-secret-999', '***'));
      expect(error.message).not.toContain('sk-secret-999');
      await server.close();
      server = undefined;
    }
  });

  it('reports an error event inside the stream and a stream cut short', async () => {
    server = await startFakeHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`data: ${JSON.stringify({ error: { message: 'model overloaded' } })}\n\n`);
    });
    const llm = new OpenAiCompatibleLLM({ baseUrl: server.url, model: 'm' });
    await expect(completeChat(llm, messages)).rejects.toMatchObject({ code: 'LLM_FAILED' });
    await server.close();

    server = await startFakeHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const full = chatCompletionSse(['one', ' two']);
      res.end(full.slice(0, full.indexOf('"finish_reason":"stop"') - 200));
    });
    const cut = new OpenAiCompatibleLLM({ baseUrl: server.url, model: 'm' });
    await expect(completeChat(cut, messages)).rejects.toMatchObject({ code: 'LLM_BAD_RESPONSE' });
  });

  it('gives UNREACHABLE for a closed port and TIMEOUT for a server that never answers', async () => {
    server = await startFakeHttpServer(() => {});
    const url = server.url;
    await server.close();
    server = undefined;
    const down = new OpenAiCompatibleLLM({ baseUrl: url, model: 'm' });
    await expect(completeChat(down, messages)).rejects.toMatchObject({ code: 'LLM_UNREACHABLE' });

    server = await startFakeHttpServer(() => new Promise(() => {}));
    const slow = new OpenAiCompatibleLLM({ baseUrl: server.url, model: 'm', timeoutMs: 150 });
    const started = Date.now();
    await expect(completeChat(slow, messages)).rejects.toMatchObject({ code: 'LLM_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops reading and closes the connection when the signal aborts mid-stream', async () => {
    const deltas = Array.from({ length: 200 }, (_, i) => `w${i} `);
    server = await startFakeHttpServer((_req, res) => streamChatReply(res, deltas, () => 40, 5));
    const llm = new OpenAiCompatibleLLM({ baseUrl: server.url, model: 'm' });
    const controller = new AbortController();
    const received: string[] = [];
    const error = await (async () => {
      for await (const delta of llm.chat(messages, { signal: controller.signal })) {
        received.push(delta);
        if (received.length === 3) controller.abort();
      }
    })().catch((e) => e);
    expect(error?.name).toBe('AbortError');
    expect(received.length).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.abortedResponses).toBe(1);
  });

  it('rejects bad options with the field name', () => {
    expect(() => new OpenAiCompatibleLLM({ model: '' })).toThrow(/model/);
    const error = (() => {
      try {
        new OpenAiCompatibleLLM({ model: 'x', baseUrl: 'ftp://nowhere' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ code: 'LLM_INVALID_CONFIG', field: 'baseUrl' });
  });
});
