// The STT provider table, built from a config object (from the composition root; nothing here reads the environment).
import { z } from 'zod';
import { provider, providerTable } from '../provider-table.js';
import { DeepgramSTT } from './deepgram/deepgram-stt.js';
import { OpenAiSTT } from './openai/openai-stt.js';
import { PocketsphinxSTT } from './pocketsphinx/pocketsphinx-stt.js';
import type { STT } from './stt.js';

const pocketsphinxConfig = z.object({
  provider: z.literal('pocketsphinx'),
  binary: z.string().optional(),
  model_dir: z.string().optional(),
});
const deepgramConfig = z.object({
  provider: z.literal('deepgram'),
  api_key: z.string().min(1),
  model: z.string().optional(),
  language: z.string().optional(),
  base_url: z.string().optional(),
});
const openAiConfig = z.object({
  provider: z.literal('openai'),
  api_key: z.string().min(1).optional(),
  model: z.string().optional(),
  language: z.string().optional(),
  base_url: z.string().optional(),
});

export const sttConfigSchema = z.discriminatedUnion('provider', [
  pocketsphinxConfig,
  deepgramConfig,
  openAiConfig,
]);

export type SttConfig = z.input<typeof sttConfigSchema>;

const defined = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };

export const sttProviders = providerTable<void, STT>('STT', sttConfigSchema, [
  provider(
    'pocketsphinx',
    pocketsphinxConfig,
    (c) =>
      new PocketsphinxSTT(
        defined({
          binary: c.binary,
          hmm: c.model_dir ? `${c.model_dir}/en-us` : undefined,
          languageModel: c.model_dir ? `${c.model_dir}/en-us.lm.bin` : undefined,
          dictionary: c.model_dir ? `${c.model_dir}/cmudict-en-us.dict` : undefined,
        }),
      ),
  ),
  provider(
    'deepgram',
    deepgramConfig,
    (c) =>
      new DeepgramSTT(
        defined({ apiKey: c.api_key, model: c.model, language: c.language, baseUrl: c.base_url }),
      ),
  ),
  provider(
    'openai',
    openAiConfig,
    (c) =>
      new OpenAiSTT(
        defined({ apiKey: c.api_key, model: c.model, language: c.language, baseUrl: c.base_url }),
      ),
  ),
]);

export function createSTT(config: SttConfig = { provider: 'pocketsphinx' }): STT {
  return sttProviders.create(config, undefined);
}
