import { z } from 'zod';

// Where Debian 12's pocketsphinx (0.8+5prealpha) and pocketsphinx-en-us packages put things.
const MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

export const pocketsphinxOptionsSchema = z.object({
  binary: z.string().min(1).default('/usr/bin/pocketsphinx_continuous'),
  /** Acoustic model directory. */
  hmm: z.string().min(1).default(`${MODEL_DIR}/en-us`),
  languageModel: z.string().min(1).default(`${MODEL_DIR}/en-us.lm.bin`),
  dictionary: z.string().min(1).default(`${MODEL_DIR}/cmudict-en-us.dict`),
  /** The model's language; other languages are refused rather than transcribed as gibberish. */
  language: z.string().default('en'),
  /** Kill the recogniser if it takes longer than this (default 60 s). */
  timeoutMs: z.number().int().positive().default(60_000),
});

export type PocketsphinxOptions = z.input<typeof pocketsphinxOptionsSchema>;
