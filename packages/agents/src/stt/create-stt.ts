// Chooses the STT from a config object (from the composition root; nothing here reads the environment).
import { z } from 'zod';
import { configError } from '../provider-error.js';
import { DeepgramSTT } from './deepgram/deepgram-stt.js';
import { OpenAiSTT } from './openai/openai-stt.js';
import { PocketsphinxSTT } from './pocketsphinx/pocketsphinx-stt.js';
import type { STT } from './stt.js';

export const sttConfigSchema = z.discriminatedUnion('provider', [
  z.object({
    provider: z.literal('pocketsphinx'),
    binary: z.string().optional(),
    model_dir: z.string().optional(),
  }),
  z.object({
    provider: z.literal('deepgram'),
    api_key: z.string().min(1),
    model: z.string().optional(),
    language: z.string().optional(),
    base_url: z.string().optional(),
  }),
  z.object({
    provider: z.literal('openai'),
    api_key: z.string().min(1).optional(),
    model: z.string().optional(),
    language: z.string().optional(),
    base_url: z.string().optional(),
  }),
]);

export type SttConfig = z.input<typeof sttConfigSchema>;

export function createSTT(config: SttConfig = { provider: 'pocketsphinx' }): STT {
  const parsed = sttConfigSchema.safeParse(config);
  if (!parsed.success)
    throw configError('STT', String((config as { provider?: unknown }).provider), parsed.error);
  const c = parsed.data;
  const defined = <T extends object>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
      [K in keyof T]: Exclude<T[K], undefined>;
    };
  switch (c.provider) {
    case 'pocketsphinx':
      return new PocketsphinxSTT(
        defined({
          binary: c.binary,
          hmm: c.model_dir ? `${c.model_dir}/en-us` : undefined,
          languageModel: c.model_dir ? `${c.model_dir}/en-us.lm.bin` : undefined,
          dictionary: c.model_dir ? `${c.model_dir}/cmudict-en-us.dict` : undefined,
        }),
      );
    case 'deepgram':
      return new DeepgramSTT(
        defined({ apiKey: c.api_key, model: c.model, language: c.language, baseUrl: c.base_url }),
      );
    case 'openai':
      return new OpenAiSTT(
        defined({ apiKey: c.api_key, model: c.model, language: c.language, baseUrl: c.base_url }),
      );
  }
}
