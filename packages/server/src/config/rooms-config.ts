/** @module Which rooms the platform makes (AGENTHUMAN_ROOMS) and the LiveKit server it makes them on. */
import { z } from 'zod';
import { invalidConfig } from './config-error.js';
import { optionalString } from './env-values.js';

export const RoomsEnv = z.object({
  LIVEKIT_URL: optionalString.pipe(
    z
      .string()
      .regex(/^(wss?|https?):\/\//, 'must be a ws(s):// or http(s):// URL')
      .optional(),
  ),
  LIVEKIT_API_KEY: optionalString,
  LIVEKIT_API_SECRET: optionalString,
  AGENTHUMAN_ROOMS: z.enum(['builtin', 'livekit']).default('builtin'),
});

export type LiveKitConfig = { url: string; apiKey: string; apiSecret: string };

export type RoomsConfig = {
  livekit: LiveKitConfig | undefined;
  /** The kind of room the platform makes when the caller names none (AGENTHUMAN_ROOMS). */
  defaultRoom: 'builtin' | 'livekit';
};

/** Throws a ConfigError for a partial LiveKit setting, or livekit rooms without one. */
export function roomsConfig(e: z.infer<typeof RoomsEnv>): RoomsConfig {
  const { LIVEKIT_URL: url, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret } = e;
  const parts = [url, apiKey, apiSecret];
  if (parts.some(Boolean) && !parts.every(Boolean)) {
    throw invalidConfig(['LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET: set all three or none']);
  }
  if (e.AGENTHUMAN_ROOMS === 'livekit' && !parts.every(Boolean)) {
    throw invalidConfig([
      'AGENTHUMAN_ROOMS=livekit: needs LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET',
    ]);
  }
  return {
    livekit: url && apiKey && apiSecret ? { url, apiKey, apiSecret } : undefined,
    defaultRoom: e.AGENTHUMAN_ROOMS,
  };
}
