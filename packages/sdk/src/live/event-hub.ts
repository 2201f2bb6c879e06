/** @module A tiny typed event hub (no node:events, so it runs in browsers): `on`, `once` and an async iterator. */
import type { LiveEvent, LiveEventOf, LiveEventType } from './events.js';

type Handler = (event: LiveEvent) => void;

export class EventHub {
  readonly #handlers = new Set<Handler>();

  emit(event: LiveEvent) {
    for (const handler of [...this.#handlers]) {
      try {
        handler(event);
      } catch {
        // One listener's bug must not stop the others or the socket's read loop.
      }
    }
  }

  /** Every event (`'*'`) or one type. Returns the unsubscribe function. */
  on<T extends LiveEventType>(type: T | '*', handler: (event: LiveEventOf<T>) => void): () => void {
    const wrapped: Handler = (event) => {
      if (type === '*' || event.type === type) handler(event as LiveEventOf<T>);
    };
    this.#handlers.add(wrapped);
    return () => this.#handlers.delete(wrapped);
  }

  /** The next event that matches; rejects after `timeoutMs` or on `signal`. */
  waitFor<E extends LiveEvent>(
    match: (event: LiveEvent) => event is E,
    options: { timeoutMs?: number; signal?: AbortSignal | undefined; what?: string } = {},
  ): Promise<E> {
    return new Promise<E>((resolve, reject) => {
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              done();
              reject(
                new Error(`Timed out after ${options.timeoutMs} ms waiting for ${options.what ?? 'event'}`),
              );
            }, options.timeoutMs);
      const onAbort = () => {
        done();
        reject(options.signal?.reason);
      };
      const off = this.on('*', (event) => {
        if (!match(event)) return;
        done();
        resolve(event);
      });
      const done = () => {
        off();
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Buffers events from the moment it is called; ends after the `close` event. */
  async *iterate(): AsyncGenerator<LiveEvent> {
    const queue: LiveEvent[] = [];
    let wake: (() => void) | undefined;
    const off = this.on('*', (event) => {
      queue.push(event);
      wake?.();
    });
    try {
      for (;;) {
        const event = queue.shift();
        if (event) {
          yield event;
          if (event.type === 'close') return;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    } finally {
      off();
    }
  }
}
