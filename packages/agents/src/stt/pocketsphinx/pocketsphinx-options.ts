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
  /**
   * pocketsphinx's flat-lexicon second pass over the whole utterance, which runs only once the audio has ended,
   * so its cost (~3× the rest of the wait after EOF) lands between the end of speech and the text. Off by
   * default: on Flite questions in three voices it recognised 106 of 186 words with it and 113 without.
   */
  secondPass: z.boolean().default(false),
  /** Kill the recogniser if it takes longer than this (default 60 s). */
  timeoutMs: z.number().int().positive().default(60_000),
});

export type PocketsphinxOptions = z.input<typeof pocketsphinxOptionsSchema>;
