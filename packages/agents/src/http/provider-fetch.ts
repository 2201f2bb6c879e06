// fetch for provider APIs: a deadline for the response to start, the caller's AbortSignal honoured, and HTTP
// failures turned into ProviderErrors with the provider's own error message (never the request's secrets).
import { type Capability, ProviderError, type ProviderFailure } from '../provider-error.js';
import { Deadline } from './deadline.js';

export interface ProviderRequest {
  capability: Capability;
  provider: string;
  /** Time allowed until the response headers arrive. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Strings to blank out of any error text (API keys). */
  secrets?: (string | undefined)[];
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch | undefined;
}

export interface ProviderResponse {
  response: Response;
  /** Aborts the body read too; re-arm it per chunk for an idle timeout, clear it when done. */
  deadline: Deadline;
}

export async function providerFetch(
  url: string,
  init: RequestInit,
  request: ProviderRequest,
): Promise<ProviderResponse> {
  request.signal?.throwIfAborted();
  const deadline = new Deadline(request.signal);
  deadline.arm(request.timeoutMs);
  let response: Response;
  try {
    response = await (request.fetch ?? fetch)(url, { ...init, signal: deadline.signal });
  } catch (error) {
    deadline.clear();
    throw deadline.translate(error, request, `could not reach ${new URL(url).origin}`);
  }
  if (!response.ok) {
    let body = '';
    try {
      body = await response.text();
    } catch {
      // The status alone still says what went wrong.
    } finally {
      deadline.clear();
    }
    throw httpError(response.status, body, request);
  }
  return { response, deadline };
}

function failureFor(status: number): ProviderFailure {
  if (status === 401 || status === 403) return 'AUTH_FAILED';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 404) return 'NOT_FOUND';
  return 'HTTP_ERROR';
}

/** Builds the error for a non-2xx answer, using the message inside the provider's JSON error body. */
export function httpError(status: number, body: string, request: ProviderRequest): ProviderError {
  const detail = redact(errorMessageFromBody(body), request.secrets);
  return new ProviderError(
    request.capability,
    failureFor(status),
    request.provider,
    `HTTP ${status}${detail ? `: ${detail}` : ''}`,
    { status },
  );
}

/** Finds the human message in the error bodies of OpenAI, ElevenLabs, Deepgram and similar APIs. */
export function errorMessageFromBody(body: string): string {
  const text = body.trim();
  if (!text) return '';
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const candidates: unknown[] = [
      (json.error as Record<string, unknown> | undefined)?.message,
      json.error,
      (json.detail as Record<string, unknown> | undefined)?.message,
      Array.isArray(json.detail) ? (json.detail[0] as Record<string, unknown> | undefined)?.msg : json.detail,
      json.err_msg,
      json.message,
    ];
    const found = candidates.find((c) => typeof c === 'string' && c.trim());
    if (typeof found === 'string') return found.trim().slice(0, 300);
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return text.replace(/\s+/g, ' ').slice(0, 300);
}

export function redact(text: string, secrets: (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}
