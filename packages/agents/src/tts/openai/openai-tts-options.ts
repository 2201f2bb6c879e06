import { z } from 'zod';

export const openAiTtsOptionsSchema = z.object({
  apiKey: z.string().min(1).optional(),
  baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.openai.com/v1'),
  model: z.string().min(1).default('gpt-4o-mini-tts'),
  voice: z.string().min(1).default('alloy'),
  speed: z.number().min(0.25).max(4).optional(),
  /** Style prompt for models that take one (gpt-4o-mini-tts). */
  instructions: z.string().max(4000).optional(),
  timeoutMs: z.number().int().positive().default(15_000),
  idleTimeoutMs: z.number().int().positive().default(10_000),
});

export type OpenAiTtsOptions = z.input<typeof openAiTtsOptionsSchema>;
