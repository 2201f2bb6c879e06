import { z } from 'zod';

export const openAiCompatibleOptionsSchema = z.object({
  /** Up to and including the version path: `https://api.openai.com/v1`, `http://localhost:11434/v1`. */
  baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.openai.com/v1'),
  model: z.string().trim().min(1, 'model is required'),
  apiKey: z.string().min(1).optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().optional(),
  /** Until the response starts (a local model may take a while to load). */
  timeoutMs: z.number().int().positive().default(60_000),
  /** Longest silence between two streamed chunks. */
  idleTimeoutMs: z.number().int().positive().default(30_000),
  headers: z.record(z.string(), z.string()).optional(),
  /** The fetch to use (default: the global one): a server passes one that refuses private addresses. */
  fetch: z.custom<typeof fetch>((value) => typeof value === 'function').optional(),
});

export type OpenAiCompatibleOptions = z.input<typeof openAiCompatibleOptionsSchema>;
