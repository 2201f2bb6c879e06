import { z } from 'zod';

export const elevenLabsOptionsSchema = z.object({
  apiKey: z.string().min(1, 'apiKey is required'),
  /** The voice used when a request names none (the agent's `voice_id`). */
  voiceId: z.string().trim().min(1, 'voiceId is required'),
  modelId: z.string().min(1).default('eleven_flash_v2_5'),
  baseUrl: z.url({ protocol: /^https?$/ }).default('https://api.elevenlabs.io'),
  /** ISO 639-1 code, for models that take one. */
  languageCode: z.string().min(2).max(5).optional(),
  voiceSettings: z
    .object({
      stability: z.number().min(0).max(1).optional(),
      similarity_boost: z.number().min(0).max(1).optional(),
      style: z.number().min(0).max(1).optional(),
      speed: z.number().min(0.7).max(1.2).optional(),
    })
    .optional(),
  timeoutMs: z.number().int().positive().default(15_000),
  idleTimeoutMs: z.number().int().positive().default(10_000),
});

export type ElevenLabsOptions = z.input<typeof elevenLabsOptionsSchema>;
