import { afterEach, describe, expect, it } from 'vitest';
import { type FakeHttpServer, startFakeHttpServer } from '../testing/fake-http-server.js';
import { streamChatReply } from '../testing/fake-openai-chat.js';
import { BuiltinResponder } from './builtin/builtin-responder.js';
import { createLLM } from './create-llm.js';
import { importNodeLlamaCpp, LlamaCppLLM } from './llama-cpp/llama-cpp-llm.js';
import { completeChat } from './llm.js';

let server: FakeHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('createLLM', () => {
  it('builds the built-in responder from the agent by default', async () => {
    const llm = createLLM(undefined, { name: 'Ava', knowledge: 'Parking is free behind the building.' });
    expect(llm).toBeInstanceOf(BuiltinResponder);
    expect(await completeChat(llm, [{ role: 'user', content: 'Is parking free?' }])).toBe(
      'Parking is free behind the building.',
    );
  });

  it('builds an OpenAI-compatible client for ollama/vllm/openai names with the given base_url', async () => {
    server = await startFakeHttpServer((_req, res) => streamChatReply(res, ['Hi', '!']));
    const llm = createLLM({ provider: 'ollama', model: 'llama3.2', base_url: `${server.url}/v1` });
    expect(await completeChat(llm, [{ role: 'user', content: 'hello' }])).toBe('Hi!');
    expect(server.requests[0]!.path).toBe('/v1/chat/completions');
  });

  it('rejects unknown providers and missing fields with INVALID_CONFIG and the field', () => {
    expect(() => createLLM({ provider: 'openai' } as never)).toThrow(
      expect.objectContaining({ code: 'LLM_INVALID_CONFIG', field: 'model' }),
    );
    expect(() => createLLM({ provider: 'magic' } as never)).toThrow(
      expect.objectContaining({ code: 'LLM_INVALID_CONFIG', field: 'provider' }),
    );
  });

  it('explains that node-llama-cpp is optional when it is not installed, and checks the model path', async () => {
    await expect(importNodeLlamaCpp('node-llama-cpp-not-installed-here')).rejects.toMatchObject({
      code: 'LLM_NOT_INSTALLED',
      message: expect.stringContaining('npm install node-llama-cpp'),
    });
    const llm = new LlamaCppLLM({ modelPath: '/nonexistent/model.gguf' });
    await expect(completeChat(llm, [{ role: 'user', content: 'hi' }])).rejects.toMatchObject({
      code: 'LLM_NOT_FOUND',
      field: 'modelPath',
    });
  });
});
