import { z } from 'zod';

export const builtinResponderOptionsSchema = z.object({
  /** The agent's display name, used for greetings and "who are you". */
  name: z.string().trim().min(1).default('your assistant'),
  /** The agent's system prompt; "You are …" sentences describe it. */
  context: z.string().default(''),
  /** Text the agent answers from (FAQ, paragraphs, Q/A pairs, headings, bullets). */
  knowledge: z.string().default(''),
  /** Pause between streamed chunks, to imitate a remote model (default 0: as fast as the loop allows). */
  chunkDelayMs: z.number().min(0).max(1000).default(0),
  minCoverage: z.number().min(0).max(1).default(0.34),
});

export type BuiltinResponderOptions = z.input<typeof builtinResponderOptionsSchema>;
