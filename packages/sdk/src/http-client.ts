/**
 * @module The one place requests are made: base URL, API key header, JSON in and out, per-request timeout,
 * retries on 429 (rate limit only, never the concurrency limit) and 503, and errors rebuilt from the body.
 * Uses the global `fetch` (Node ≥18, browsers); a custom one can be injected.
 */
import { type AgentHumanError, createError, errorFromResponse } from './errors.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelayMs, serverRetryAfterMs } from './retry-delay.js';

export type ClientOptions = {
  /** Server origin, e.g. `http://localhost:3000` (no `/v1`). */
  baseUrl: string;
  /** `ah_live_…` / `ah_test_…`. Optional only for the public endpoints (link start). */
  apiKey?: string | undefined;
  /** Per attempt (default 30 s). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  fetch?: typeof fetch;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
};

export type RequestOptions = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined> | undefined;
  body?: unknown;
  /** Sent as multipart instead of JSON. */
  form?: FormData;
  timeoutMs?: number;
  signal?: AbortSignal | undefined;
  /** Leave out the API key (public endpoints). */
  anonymous?: boolean;
  maxRetries?: number;
};

export type RateLimitInfo = { limit: number; remaining: number; resetAt: Date };

export class HttpClient {
  readonly baseUrl: string;
  readonly apiKey: string | undefined;
  /** From the headers of the last answer, when it carried them. */
  lastRateLimit: RateLimitInfo | undefined;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #fetch: typeof fetch;
  readonly #headers: Record<string, string>;

  constructor(options: ClientOptions) {
    if (!options.baseUrl) throw new TypeError('baseUrl is required, e.g. http://localhost:3000');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
    this.apiKey = options.apiKey;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#headers = options.headers ?? {};
  }

  url(path: string, query?: RequestOptions['query']): string {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  headers(anonymous = false): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.#headers };
    if (this.apiKey && !anonymous) headers['x-api-key'] = this.apiKey;
    return headers;
  }

  async request<T>(options: RequestOptions): Promise<T> {
    const maxRetries = options.maxRetries ?? this.#retry.maxRetries;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.#attempt(options);
      if (outcome.ok) return outcome.body as T;
      const error = outcome.error;
      if (attempt >= maxRetries || !isRetryable(error)) throw error;
      await sleep(retryDelayMs(attempt, this.#retry, error.retryAfterMs), options.signal);
    }
  }

  async #attempt(
    options: RequestOptions,
  ): Promise<{ ok: true; body: unknown } | { ok: false; error: AgentHumanError }> {
    const headers = this.headers(options.anonymous);
    let body: BodyInit | undefined;
    if (options.form) body = options.form;
    else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await this.#fetch(this.url(options.path, options.query), {
        method: options.method,
        headers,
        ...(body !== undefined && { body }),
        signal,
      });
    } catch (cause) {
      if (options.signal?.aborted) throw options.signal.reason ?? cause;
      const timedOut = timeout.aborted;
      return {
        ok: false,
        error: createError({
          status: 0,
          code: timedOut ? 'TIMEOUT' : 'CONNECTION_ERROR',
          message: timedOut
            ? `${options.method} ${options.path} got no answer within ${timeoutMs} ms`
            : `Cannot reach ${this.baseUrl} (${describeCause(cause)})`,
          suggestion: timedOut ? 'Raise timeoutMs or check the server' : 'Is the server running at that URL?',
          cause,
        }),
      };
    }
    this.#readRateLimit(response.headers);
    const parsed = await readBody(response);
    if (response.ok) return { ok: true, body: parsed };
    return {
      ok: false,
      error: errorFromResponse(response.status, parsed, serverRetryAfterMs(response.headers)),
    };
  }

  #readRateLimit(headers: Headers) {
    const limit = headers.get('x-ratelimit-limit');
    const remaining = headers.get('x-ratelimit-remaining');
    const reset = headers.get('x-ratelimit-reset');
    if (limit === null || remaining === null || reset === null) return;
    this.lastRateLimit = {
      limit: Number(limit),
      remaining: Number(remaining),
      resetAt: new Date(Number(reset) * 1000),
    };
  }
}

/** 429 that is a rate limit (not the concurrency limit, which waiting a second won't fix) and 503. */
export function isRetryable(error: AgentHumanError): boolean {
  if (error.status === 503) return true;
  return error.status === 429 && error.code === 'RATE_LIMITED';
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause instanceof Error ? cause.cause.message : undefined;
    return inner ?? cause.message;
  }
  return String(cause);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
