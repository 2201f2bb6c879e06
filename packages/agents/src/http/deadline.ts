// A re-armable timeout joined with the caller's AbortSignal, so that one signal stops both a hung provider
// and a cancelled turn, and the error says which of the two happened.
import { type Capability, ProviderError } from '../provider-error.js';

class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

export class Deadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private readonly onParentAbort = () => this.controller.abort(this.parent?.reason);

  constructor(private readonly parent?: AbortSignal) {
    parent?.addEventListener('abort', this.onParentAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** (Re)starts the timer: the signal aborts if `ms` pass before the next arm() or clear(). */
  arm(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(new DeadlineExceeded(ms)), ms);
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.parent?.removeEventListener('abort', this.onParentAbort);
  }

  /**
   * Maps what a fetch or body read threw: the caller's abort is rethrown as it is (a cancellation, not a
   * failure), our own deadline becomes TIMEOUT, anything else UNREACHABLE (or the given failure).
   */
  translate(
    error: unknown,
    request: { capability: Capability; provider: string },
    what: string,
    failure: 'UNREACHABLE' | 'BAD_RESPONSE' = 'UNREACHABLE',
  ): unknown {
    if (error instanceof ProviderError) return error;
    if (this.parent?.aborted) return this.parent.reason ?? error;
    const reason = this.controller.signal.reason;
    if (this.controller.signal.aborted && reason instanceof DeadlineExceeded) {
      return new ProviderError(request.capability, 'TIMEOUT', request.provider, reason.message, {
        cause: error,
      });
    }
    const detail = (error as Error)?.cause ? ` (${((error as Error).cause as Error).message})` : '';
    return new ProviderError(request.capability, failure, request.provider, `${what}${detail}`, {
      cause: error,
    });
  }
}
