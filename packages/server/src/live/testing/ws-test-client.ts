/** @module A WebSocket client for tests: collects server events and waits for them by type, with timeouts. */
import WebSocket from 'ws';

export type Event = { type: string; [key: string]: unknown };

export class WsTestClient {
  readonly events: Event[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: { match: (e: Event) => boolean; resolve: (e: Event) => void }[] = [];
  #taken = new Set<number>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const event = JSON.parse(data.toString()) as Event;
      this.events.push(event);
      for (const waiter of [...this.#waiters]) {
        if (waiter.match(event)) {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      }
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  static async open(url: string, options: WebSocket.ClientOptions = {}): Promise<WsTestClient> {
    const socket = new WebSocket(url, options);
    const client = new WsTestClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The oldest event of `type` not returned before (waits for it if none has arrived). */
  next(type: string, timeoutMs = 10_000): Promise<Event> {
    const found = this.events.findIndex((e, i) => e.type === type && !this.#taken.has(i));
    if (found >= 0) {
      this.#taken.add(found);
      return Promise.resolve(this.events[found]!);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no ${type} within ${timeoutMs} ms; last events ${JSON.stringify(this.events.slice(-5))}`,
            ),
          ),
        timeoutMs,
      );
      this.#waiters.push({
        match: (e) => e.type === type,
        resolve: (e) => {
          clearTimeout(timer);
          this.#taken.add(this.events.lastIndexOf(e));
          resolve(e);
        },
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}

/** base64 of PCM16LE samples. */
export const pcmBase64 = (pcm: Int16Array) =>
  Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64');

/** A voiced tone stand-in for speech. */
export function tone(seconds: number, sampleRate = 16_000, hz = 180): Int16Array {
  const pcm = new Int16Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < pcm.length; i++)
    pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / sampleRate));
  return pcm;
}
