// A local GGUF model through node-llama-cpp, an OPTIONAL dependency (its install is about 725 MB): it is
// loaded with a dynamic import only when this provider is chosen, and its absence is a clear error.
// Install it next to agenthuman with `npm install node-llama-cpp`.
import { access, constants } from 'node:fs/promises';
import { z } from 'zod';
import { AsyncQueue } from '../../conversation/async-queue.js';
import { ProviderError, parseProviderOptions } from '../../provider-error.js';
import type { ChatMessage, ChatOptions, LLM } from '../llm.js';

const PROVIDER = 'llama-cpp';

export const llamaCppOptionsSchema = z.object({
  modelPath: z.string().min(1, 'modelPath (a .gguf file) is required'),
  contextSize: z.number().int().min(256).max(131_072).default(4096),
  gpu: z.boolean().default(false),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().default(512),
});

export type LlamaCppOptions = z.input<typeof llamaCppOptionsSchema>;

/** The small part of node-llama-cpp's v3 API used here (it is not a dependency, so no types from it). */
interface LlamaModule {
  getLlama(options: { gpu: boolean | 'auto'; build?: 'never' | 'auto' }): Promise<{
    loadModel(options: { modelPath: string }): Promise<{
      createContext(options: {
        contextSize: number;
      }): Promise<{ getSequence(): unknown; dispose(): Promise<void> }>;
      dispose(): Promise<void>;
    }>;
  }>;
  LlamaChatSession: new (options: {
    contextSequence: unknown;
    systemPrompt?: string;
  }) => {
    setChatHistory(
      history: ({ type: 'system' | 'user'; text: string } | { type: 'model'; response: string[] })[],
    ): void;
    prompt(
      text: string,
      options: {
        signal?: AbortSignal;
        stopOnAbortSignal?: boolean;
        temperature?: number;
        maxTokens?: number;
        onTextChunk?: (chunk: string) => void;
      },
    ): Promise<string>;
    dispose(): void;
  };
}

/** Loads node-llama-cpp, or explains how to install it. Exported for the factory and tests. */
export async function importNodeLlamaCpp(moduleName = 'node-llama-cpp'): Promise<LlamaModule> {
  try {
    return (await import(/* @vite-ignore */ moduleName)) as LlamaModule;
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code === 'ERR_MODULE_NOT_FOUND') {
      throw new ProviderError(
        'LLM',
        'NOT_INSTALLED',
        PROVIDER,
        'node-llama-cpp is not installed (it is optional, about 725 MB); run `npm install node-llama-cpp`',
      );
    }
    throw new ProviderError(
      'LLM',
      'FAILED',
      PROVIDER,
      `could not load node-llama-cpp: ${(error as Error).message}`,
    );
  }
}

export class LlamaCppLLM implements LLM {
  readonly provider = PROVIDER;
  private readonly options: z.output<typeof llamaCppOptionsSchema>;
  private loaded:
    | Promise<{ module: LlamaModule; context: { getSequence(): unknown; dispose(): Promise<void> } }>
    | undefined;
  /** One sequence, so one generation at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    options: LlamaCppOptions,
    private readonly loadModule: () => Promise<LlamaModule> = () => importNodeLlamaCpp(),
  ) {
    this.options = parseProviderOptions('LLM', PROVIDER, llamaCppOptionsSchema, options);
  }

  private load() {
    this.loaded ??= (async () => {
      await access(this.options.modelPath, constants.R_OK).catch(() => {
        throw new ProviderError(
          'LLM',
          'NOT_FOUND',
          PROVIDER,
          `no readable model at ${this.options.modelPath}`,
          {
            field: 'modelPath',
          },
        );
      });
      const module = await this.loadModule();
      const llama = await module.getLlama({ gpu: this.options.gpu ? 'auto' : false, build: 'never' });
      const model = await llama.loadModel({ modelPath: this.options.modelPath });
      const context = await model.createContext({ contextSize: this.options.contextSize });
      return { module, context };
    })().catch((error) => {
      this.loaded = undefined;
      throw error;
    });
    return this.loaded;
  }

  async *chat(messages: readonly ChatMessage[], options: ChatOptions = {}): AsyncGenerator<string> {
    options.signal?.throwIfAborted();
    const { module, context } = await this.load();
    const chunks = new AsyncQueue<string>();
    let failure: unknown;
    const run = this.queue.then(async () => {
      const session = new module.LlamaChatSession({ contextSequence: context.getSequence() });
      try {
        const last = messages[messages.length - 1];
        session.setChatHistory(
          messages
            .slice(0, -1)
            .map((m) =>
              m.role === 'assistant'
                ? { type: 'model' as const, response: [m.content] }
                : { type: m.role, text: m.content },
            ),
        );
        await session.prompt(last?.content ?? '', {
          ...(options.signal ? { signal: options.signal, stopOnAbortSignal: true } : {}),
          maxTokens: options.maxTokens ?? this.options.maxTokens,
          ...((options.temperature ?? this.options.temperature) === undefined
            ? {}
            : { temperature: options.temperature ?? this.options.temperature }),
          onTextChunk: (chunk) => chunks.push(chunk),
        });
      } catch (error) {
        failure = error;
      } finally {
        session.dispose();
        chunks.close();
      }
    });
    this.queue = run;
    for await (const chunk of chunks) {
      options.signal?.throwIfAborted();
      yield chunk;
    }
    await run;
    options.signal?.throwIfAborted();
    if (failure)
      throw new ProviderError('LLM', 'FAILED', PROVIDER, (failure as Error).message, { cause: failure });
  }
}
