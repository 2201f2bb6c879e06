/**
 * @module `/ws` on an API process: checks `session.init` here (same errors as the gateway), then relays frames
 * as they are, both ways, to the worker that runs the session's media (its own `/ws`, with the internal
 * header). Clients keep one origin; the worker's WsConnection does the protocol. When the worker's socket
 * drops without a close (the worker died), the client stays connected until the session's fate is known:
 * ended (it hears `session.ended {reason}`, close 1000) or resumed on another worker (the relay reconnects and
 * sends the init again; the second `connection.established` is not repeated to the client). A worker that stops
 * gracefully closes with CLOSE_MOVED for the sessions it handed over: the relay finds the new worker the same way.
 */
import type { Store } from '@agenthuman/store';
import { type RawData, WebSocket } from 'ws';
import { authenticateInit } from '../live/ws/authenticate-init.js';
import { readFrame, type WireError } from '../live/ws/read-frame.js';
import { CLOSE_MOVED, CLOSE_POLICY, CLOSE_TRY_AGAIN } from '../live/ws/ws-connection.js';
import { INTERNAL_HEADER } from './internal-auth.js';
import type { SessionEvents } from './session-events.js';

/** How long a client waits for its session's worker (being placed, or resuming after a loss). */
const FIND_WORKER_MS = 20_000;
const POLL_MS = 250;
/** Frames a client may send while its worker is being found; past it the socket closes (try again). */
const MAX_PENDING_FRAMES = 512;

export type RelayDeps = {
  store: Store;
  internalSecret: string;
  events: SessionEvents | undefined;
  /** The URL of the worker running the session's media now (undefined: none yet, or it is gone). */
  workerUrlOf(sessionId: string): Promise<string | undefined>;
  log?: { warn(object: unknown, message: string): void };
};

export class WsRelay {
  alive = true;
  #state: 'init' | 'finding' | 'relaying' | 'closed' = 'init';
  /** Re-read after an await (TypeScript keeps the narrowing from before it). */
  #isClosed = () => this.#state === 'closed';
  #upstream: WebSocket | undefined;
  #pending: { data: RawData; isBinary: boolean }[] = [];
  #initText = '';
  #sessionId = '';
  #established = false;

  constructor(
    readonly socket: WebSocket,
    private readonly deps: RelayDeps,
    private readonly query: string,
  ) {
    socket.on('message', (data, isBinary) => this.#onClientFrame(data, isBinary));
    socket.on('pong', () => {
      this.alive = true;
    });
    socket.on('close', () => this.#onClientClose());
    socket.on('error', () => undefined);
  }

  #onClientFrame(data: RawData, isBinary: boolean): void {
    if (this.#state === 'closed') return;
    if (this.#state === 'init') {
      void this.#init(data, isBinary);
      return;
    }
    const upstream = this.#upstream;
    if (this.#state === 'relaying' && upstream?.readyState === WebSocket.OPEN) {
      upstream.send(data, { binary: isBinary });
    } else if (this.#pending.length < MAX_PENDING_FRAMES) {
      this.#pending.push({ data, isBinary });
    } else {
      this.#refuse(
        { code: 'NO_CAPACITY', error: 'No avatar worker runs this session right now' },
        CLOSE_TRY_AGAIN,
      );
    }
  }

  async #init(data: RawData, isBinary: boolean): Promise<void> {
    this.#state = 'finding';
    const frame = isBinary ? undefined : readFrame(data.toString());
    if (!frame || 'code' in frame || frame.type !== 'session.init') {
      this.#refuse({ code: 'INIT_REQUIRED', error: 'First message must be session.init' }, CLOSE_POLICY);
      return;
    }
    const result = await authenticateInit(this.deps.store, frame.init).catch(
      (): WireError => ({ code: 'INTERNAL_ERROR', error: 'Could not check the session' }),
    );
    if (this.#isClosed()) return;
    if ('code' in result) {
      this.#refuse(result, CLOSE_POLICY);
      return;
    }
    if (result.session.sessionType === 'agent_chat') {
      this.#refuse({ code: 'NO_AVATAR_MEDIA', error: 'This session has no avatar media (agent_chat)' }, 1011);
      return;
    }
    this.#sessionId = result.session.id;
    this.#initText = data.toString();
    await this.#connect();
  }

  /** Finds the session's worker (waiting while it is placed or resumed) and opens the relayed socket. */
  async #connect(): Promise<void> {
    this.#state = 'finding';
    const deadline = Date.now() + FIND_WORKER_MS;
    let ended: string | undefined;
    const stop = this.deps.events?.onEnded((event) => {
      if (event.sessionId === this.#sessionId) ended = event.reason;
    });
    try {
      for (;;) {
        if (this.#isClosed()) return;
        if (ended) return this.#ended(ended);
        const row = await this.deps.store.sessions.findById(this.#sessionId).catch(() => undefined);
        if (row?.endedAt) return this.#ended(row.endReason ?? 'client');
        const url = await this.deps.workerUrlOf(this.#sessionId).catch(() => undefined);
        if (url && (await this.#open(url))) return;
        if (Date.now() > deadline) {
          this.#refuse(
            { code: 'NO_CAPACITY', error: 'No avatar worker runs this session right now' },
            CLOSE_TRY_AGAIN,
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    } finally {
      stop?.();
    }
  }

  /** Opens the socket to the worker; false when it cannot be reached (the caller looks again). */
  #open(workerUrl: string): Promise<boolean> {
    return new Promise((resolve) => {
      const upstream = new WebSocket(`${workerUrl.replace(/^http/, 'ws')}/ws${this.query}`, {
        headers: { [INTERNAL_HEADER]: this.deps.internalSecret },
        maxPayload: 0,
        perMessageDeflate: false,
      });
      upstream.once('error', () => resolve(false));
      upstream.once('open', () => {
        if (this.#state === 'closed') {
          upstream.close(1000);
          return resolve(true);
        }
        this.#upstream = upstream;
        this.#state = 'relaying';
        upstream.send(this.#initText);
        for (const { data, isBinary } of this.#pending.splice(0)) upstream.send(data, { binary: isBinary });
        upstream.on('message', (data, isBinary) => this.#onWorkerFrame(data, isBinary));
        upstream.on('close', (code, reason) => this.#onWorkerClose(upstream, code, reason.toString()));
        resolve(true);
      });
    });
  }

  #onWorkerFrame(data: RawData, isBinary: boolean): void {
    if (!isBinary && !this.#established) {
      this.#established = true;
    } else if (!isBinary && this.#isRepeatedEstablished(data)) {
      return;
    }
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(data, { binary: isBinary });
  }

  /** After a resume the new worker greets again; the client already had its greeting. */
  #isRepeatedEstablished(data: RawData): boolean {
    const text = data.toString();
    return text.length < 200 && text.includes('"connection.established"');
  }

  #onWorkerClose(upstream: WebSocket, code: number, reason: string): void {
    if (this.#upstream !== upstream) return;
    this.#upstream = undefined;
    if (this.#state === 'closed') return;
    // 1006: no close frame, the worker (or the path to it) is gone; CLOSE_MOVED: a stopping worker handed the
    // session over; anything else is the worker's answer.
    if (code === 1006 || code === CLOSE_MOVED) {
      void this.#connect();
      return;
    }
    this.#close(code === 1005 ? 1000 : code, reason);
  }

  #ended(reason: string): void {
    if (this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ type: 'session.ended', reason }));
    }
    this.#close(1000, 'Session ended');
  }

  #refuse(error: WireError, code: number): void {
    if (this.socket.readyState === WebSocket.OPEN)
      this.socket.send(JSON.stringify({ type: 'error', ...error }));
    this.#close(code, error.error.slice(0, 120));
  }

  #close(code: number, reason: string): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.socket.close(code, reason);
    this.#upstream?.close(1000);
  }

  #onClientClose(): void {
    this.#state = 'closed';
    // The worker sees its socket close and starts the reconnect grace (spec: 5 s) as it would for the client.
    this.#upstream?.close(1000);
    this.#upstream = undefined;
  }
}
