/**
 * @module Typed errors rebuilt from the wire. The API answers in three shapes (v1 `{error:{code,...}}`, the
 * legacy/rate-limit `{error:"..."}` and the bare 401 `{error:"..."}`); all become one `AgentHumanError` with a
 * stable `code`, so callers switch on `error.code` or use `instanceof` on the subclasses.
 */

export type ErrorInit = {
  message: string;
  code: string;
  status: number;
  suggestion?: string | undefined;
  details?: Record<string, unknown> | undefined;
  /** Milliseconds the server asked us to wait (429/503), when it said. */
  retryAfterMs?: number | undefined;
  cause?: unknown;
};

export class AgentHumanError extends Error {
  override name = 'AgentHumanError';
  /** Stable SNAKE_CASE code, e.g. `SESSION_NOT_FOUND`; `CONNECTION_ERROR`/`TIMEOUT` when no answer came. */
  readonly code: string;
  /** HTTP status; 0 when the request never got an answer. */
  readonly status: number;
  readonly suggestion: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(init: ErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.suggestion = init.suggestion;
    this.details = init.details;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** The field a validation error names, when it names one. */
  get field(): string | undefined {
    const field = this.details?.field;
    return typeof field === 'string' ? field : undefined;
  }
}

export class BadRequestError extends AgentHumanError {
  override name = 'BadRequestError';
}
export class AuthenticationError extends AgentHumanError {
  override name = 'AuthenticationError';
}
export class InsufficientMinutesError extends AgentHumanError {
  override name = 'InsufficientMinutesError';
}
export class PermissionDeniedError extends AgentHumanError {
  override name = 'PermissionDeniedError';
}
export class NotFoundError extends AgentHumanError {
  override name = 'NotFoundError';
}
export class ConflictError extends AgentHumanError {
  override name = 'ConflictError';
}
export class PayloadTooLargeError extends AgentHumanError {
  override name = 'PayloadTooLargeError';
}
export class RateLimitError extends AgentHumanError {
  override name = 'RateLimitError';
}
export class ConcurrencyLimitError extends AgentHumanError {
  override name = 'ConcurrencyLimitError';
}
export class ServerError extends AgentHumanError {
  override name = 'ServerError';
}
export class ConnectionError extends AgentHumanError {
  override name = 'ConnectionError';
}
export class TimeoutError extends AgentHumanError {
  override name = 'TimeoutError';
}

// The 401 bodies are bare strings; these map them back to the codes the server uses internally.
const AUTH_CODES: Record<string, string> = {
  'API key required': 'API_KEY_REQUIRED',
  'Invalid API key': 'INVALID_API_KEY',
  'API key deactivated': 'API_KEY_DEACTIVATED',
};

const AUTH_SUGGESTIONS: Record<string, string> = {
  API_KEY_REQUIRED: 'Pass apiKey to the client (or set AGENTHUMAN_API_KEY)',
  INVALID_API_KEY: 'Check the key; keys look like ah_live_… or ah_test_… and are shown once at creation',
  API_KEY_DEACTIVATED: 'Create a new key (POST /v1/api-keys) or use another active key',
};

/** Builds the right subclass from an HTTP status and whatever JSON (or text) body came back. */
export function errorFromResponse(status: number, body: unknown, retryAfterMs?: number): AgentHumanError {
  const init = readErrorBody(status, body);
  init.retryAfterMs = retryAfterMs;
  return createError(init);
}

export function createError(init: ErrorInit): AgentHumanError {
  const Class = classFor(init.status, init.code);
  return new Class(init);
}

function readErrorBody(status: number, body: unknown): ErrorInit {
  const error = isRecord(body) ? body.error : undefined;
  if (isRecord(error) && typeof error.message === 'string') {
    return {
      status,
      message: error.message,
      code: typeof error.code === 'string' ? error.code : codeForStatus(status),
      suggestion: typeof error.suggestion === 'string' ? error.suggestion : undefined,
      details: isRecord(error.details) ? error.details : undefined,
    };
  }
  if (typeof error === 'string') {
    const code = AUTH_CODES[error] ?? codeForStatus(status);
    return { status, message: error, code, suggestion: AUTH_SUGGESTIONS[code] };
  }
  const text = typeof body === 'string' && body.trim() ? body.trim().slice(0, 200) : undefined;
  return { status, message: text ?? `HTTP ${status}`, code: codeForStatus(status) };
}

function codeForStatus(status: number): string {
  if (status === 429) return 'RATE_LIMITED';
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 503) return 'NO_CAPACITY';
  if (status >= 500) return 'INTERNAL_ERROR';
  return 'HTTP_ERROR';
}

function classFor(status: number, code: string): typeof AgentHumanError {
  if (code === 'CONNECTION_ERROR') return ConnectionError;
  if (code === 'TIMEOUT') return TimeoutError;
  if (code === 'CONCURRENCY_LIMIT_REACHED') return ConcurrencyLimitError;
  switch (status) {
    case 400:
    case 415:
      return BadRequestError;
    case 401:
      return AuthenticationError;
    case 402:
      return InsufficientMinutesError;
    case 403:
      return PermissionDeniedError;
    case 404:
      return NotFoundError;
    case 409:
      return ConflictError;
    case 413:
      return PayloadTooLargeError;
    case 429:
      return RateLimitError;
    default:
      return status >= 500 ? ServerError : AgentHumanError;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export type WebhookSignatureErrorCode =
  | 'WEBHOOK_SIGNATURE_INVALID'
  | 'WEBHOOK_TIMESTAMP_OUT_OF_RANGE'
  | 'WEBHOOK_HEADERS_MISSING'
  | 'WEBHOOK_SECRET_INVALID';

/** `client.webhooks.verify` refused a delivery: `code` says why (signature, timestamp, headers, secret). */
export class WebhookSignatureError extends AgentHumanError {
  override name = 'WebhookSignatureError';

  constructor(code: WebhookSignatureErrorCode, message: string, cause?: unknown) {
    super({ message, code, status: 0, cause });
  }
}
