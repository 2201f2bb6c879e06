/** @module Stable error codes, their HTTP statuses, and the two error body shapes (v1 object, legacy string). */
import { z } from 'zod';

// One table: every code the API can answer with, and the HTTP status it always maps to.
export const ERROR_STATUS = {
  VALIDATION_ERROR: 400,
  INVALID_JSON: 400,
  UNSUPPORTED_IMAGE_FORMAT: 400,
  IMAGE_TOO_LARGE: 400,
  INVALID_BASE64: 400,
  NO_FACE_DETECTED: 400,
  MULTIPLE_FACES: 400,
  FACE_TOO_SMALL: 400,
  IMAGE_URL_NOT_ALLOWED: 400,
  IMAGE_FETCH_FAILED: 400,
  LIVEKIT_NOT_CONFIGURED: 400,
  DAILY_NOT_SUPPORTED: 400,
  WEBHOOK_URL_NOT_ALLOWED: 400,
  API_KEY_REQUIRED: 401,
  INVALID_API_KEY: 401,
  API_KEY_DEACTIVATED: 401,
  INSUFFICIENT_MINUTES: 402,
  FORBIDDEN: 403,
  ADMIN_REQUIRED: 403,
  AVATAR_ACCESS_DENIED: 403,
  PLAN_RESTRICTION: 403,
  AVATAR_QUOTA_EXCEEDED: 403,
  INVALID_SIGNATURE: 403,
  LINK_EXPIRED: 403,
  LINK_PAUSED: 403,
  LINK_USE_LIMIT_REACHED: 403,
  INVALID_SESSION_TOKEN: 403,
  NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  AVATAR_NOT_FOUND: 404,
  AGENT_NOT_FOUND: 404,
  LINK_NOT_FOUND: 404,
  RECORDING_NOT_FOUND: 404,
  API_KEY_NOT_FOUND: 404,
  ACCOUNT_NOT_FOUND: 404,
  WEBHOOK_NOT_FOUND: 404,
  WEBHOOK_DELIVERY_NOT_FOUND: 404,
  SESSION_NOT_STARTED: 409,
  SESSION_ENDED: 409,
  SESSION_ALREADY_STARTED: 409,
  NOT_AN_AGENT_SESSION: 409,
  AGENT_RUNTIME_UNAVAILABLE: 409,
  RECORDING_NOT_READY: 409,
  PREVIEW_LINK_USED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RANGE_NOT_SATISFIABLE: 416,
  RATE_LIMITED: 429,
  CONCURRENCY_LIMIT_REACHED: 429,
  INTERNAL_ERROR: 500,
  AGENT_REPLY_FAILED: 502,
  LIVEKIT_UNAVAILABLE: 502,
  NO_CAPACITY: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ErrorBody = z
  .object({
    success: z.literal(false),
    error: z.object({
      message: z.string(),
      code: z.string(),
      suggestion: z.string().optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** The `/api/v1` dialect, and the rate-limit answer everywhere. */
export const StringErrorBody = z.object({ success: z.literal(false), error: z.string() });
export type StringErrorBody = z.infer<typeof StringErrorBody>;

/** 401 answers: a bare string, as the public API documents. */
export const AuthErrorBody = z.object({ error: z.string() });

export const AUTH_MESSAGES = {
  API_KEY_REQUIRED: 'API key required',
  INVALID_API_KEY: 'Invalid API key',
  API_KEY_DEACTIVATED: 'API key deactivated',
} as const;

export const RATE_LIMIT_MESSAGE = 'Too many requests. Please retry after 1 minute.';
