// One error type for every provider call, with a stable code (`LLM_AUTH_FAILED`, `STT_NOT_INSTALLED`, …) that
// the server can map to an API error, and never the request's secrets in its message.
import type { ZodError, z } from 'zod';

export type Capability = 'LLM' | 'TTS' | 'STT' | 'VAD';

export type ProviderFailure =
  | 'AUTH_FAILED'
  | 'RATE_LIMITED'
  | 'NOT_FOUND'
  | 'HTTP_ERROR'
  | 'UNREACHABLE'
  | 'TIMEOUT'
  | 'BAD_RESPONSE'
  | 'NOT_INSTALLED'
  | 'INVALID_CONFIG'
  | 'INVALID_INPUT'
  | 'FAILED';

export type ProviderErrorCode = `${Capability}_${ProviderFailure}`;

export class ProviderError extends Error {
  readonly code: ProviderErrorCode;

  constructor(
    readonly capability: Capability,
    readonly failure: ProviderFailure,
    readonly provider: string,
    message: string,
    readonly details: { status?: number; field?: string; cause?: unknown } = {},
  ) {
    super(`${provider}: ${message}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ProviderError';
    this.code = `${capability}_${failure}`;
  }

  get status(): number | undefined {
    return this.details.status;
  }

  get field(): string | undefined {
    return this.details.field;
  }
}

/** Turns a zod failure on provider options into INVALID_CONFIG naming the first bad field. */
function configError(capability: Capability, provider: string, error: ZodError): ProviderError {
  const issue = error.issues[0];
  const field = issue?.path.join('.') || undefined;
  const message = issue ? `${field ? `${field}: ` : ''}${issue.message}` : 'invalid options';
  return new ProviderError(capability, 'INVALID_CONFIG', provider, `invalid configuration: ${message}`, {
    ...(field ? { field } : {}),
  });
}

/** Provider options checked against their schema; a mistake is INVALID_CONFIG naming the first bad field. */
export function parseProviderOptions<S extends z.ZodType>(
  capability: Capability,
  provider: string,
  schema: S,
  options: unknown,
): z.output<S> {
  const parsed = schema.safeParse(options);
  if (!parsed.success) throw configError(capability, provider, parsed.error);
  return parsed.data;
}

/** Whether an error is the cancellation of a signal (barge-in or caller abort), not a provider failure. */
export function isAbortError(error: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted && (error === signal.reason || (error as Error)?.name === 'AbortError')) return true;
  return (error as Error)?.name === 'AbortError';
}
