/**
 * @module One WebSocket of the command channel: waits for `session.init`, then turns frames into calls on the
 * session's live avatar (the engine's entrance: this socket is one of its sources) and sends confirmations and
 * events back, in order. Per-frame errors keep the socket
 * open; only a bad first frame or a refused init closes it (1008).
 */
import { chargeTurn, LiveError, nextTurn, type SegmentPlayed, turnBudgetLeft } from '@agenthuman/engine/live';
import type { ServerEvent, WsErrorCode } from '@agenthuman/protocol';
import type { Store } from '@agenthuman/store';
import type { RawData, WebSocket } from 'ws';
import type { LiveSession } from '../live-session.js';
import type { LiveSessions } from '../live-sessions.js';
import { authenticateInit } from './authenticate-init.js';
import { type ClientFrame, readFrame, type WireError } from './read-frame.js';

export const CLOSE_POLICY = 1008;
export const CLOSE_TOO_LARGE = 1009;
export const CLOSE_TRY_AGAIN = 1013;
/** The session moved to another worker (graceful stop): an API relay reconnects to it, nothing ended. */
export const CLOSE_MOVED = 1012;

/** Which connection is the session's current one; a newer init replaces the older socket. */
export type ActiveSockets = Map<string, WsConnection>;

type Deps = {
  store: Store;
  live: LiveSessions;
  active: ActiveSockets;
  log?: { warn(object: unknown, message: string): void };
};

export class WsConnection {
  /** Answered the last ping (keepalive). */
  alive = true;
  #state = 'init' as 'init' | 'authenticating' | 'ready' | 'closed';
  /** Frames that arrive while the init is being checked, handled in order once it succeeds. */
  #backlog: { data: RawData; isBinary: boolean }[] = [];
  #session: LiveSession | undefined;
  #sessionId: string | undefined;
  #chain: Promise<void> = Promise.resolve();
  /** Bumped by each interrupt: commands that arrived before it no longer queue audio. */
  #epoch = 0;
  #endedSent = false;
  #unsubscribe: (() => void) | undefined;

  constructor(
    readonly socket: WebSocket,
    private readonly deps: Deps,
    private readonly expectedSessionId: string | undefined,
  ) {
    socket.on('message', (data, isBinary) => this.#onFrame(data, isBinary));
    socket.on('pong', () => {
      this.alive = true;
    });
    socket.on('close', () => this.#onClose());
    // A client's protocol error (e.g. a frame over 10 MB): one warning line, no stack (it is not our fault).
    socket.on('error', (error: Error & { code?: string }) =>
      deps.log?.warn({ code: error.code, reason: error.message }, 'websocket error'),
    );
  }

  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  /** A newer socket took over this session. */
  replaced(): void {
    this.#detach();
    this.send({ type: 'session.replaced' });
    this.#close(1000, 'Replaced by a newer connection for this session');
  }

  send(event: ServerEvent): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(event));
  }

  #error(error: WireError | { code: WsErrorCode; error: string }): void {
    this.send({ type: 'error', ...error });
  }

  #onFrame(data: RawData, isBinary: boolean): void {
    if (this.#state === 'closed') return;
    if (this.#state === 'authenticating') {
      this.#backlog.push({ data, isBinary });
      return;
    }
    if (isBinary) {
      if (this.#state === 'init') {
        this.#refuseFirst();
        return;
      }
      this.#error({
        code: 'BINARY_NOT_SUPPORTED',
        error: 'Binary frames are not supported: send JSON text frames (audio as base64)',
      });
      return;
    }
    const frame = readFrame(data.toString());
    if (this.#state === 'init') {
      if ('code' in frame || frame.type !== 'session.init') {
        this.#refuseFirst();
        return;
      }
      void this.#init(frame);
      return;
    }
    if ('code' in frame) {
      this.#error(frame);
      return;
    }
    this.#command(frame);
  }

  #refuseFirst(): void {
    this.#error({ code: 'INIT_REQUIRED', error: 'First message must be session.init' });
    this.#close(CLOSE_POLICY, 'First message must be session.init');
  }

  async #init(frame: Extract<ClientFrame, { type: 'session.init' }>): Promise<void> {
    this.#state = 'authenticating';
    const result = await authenticateInit(this.deps.store, frame.init).catch(
      (): WireError => ({ code: 'INTERNAL_ERROR', error: 'Could not check the session' }),
    );
    if (this.#closed()) return;
    if ('code' in result) {
      this.#refuseInit(result, CLOSE_POLICY);
      return;
    }
    const { session } = result;
    if (this.expectedSessionId !== undefined && this.expectedSessionId !== session.id) {
      this.#refuseInit(
        { code: 'INVALID_CREDENTIALS', error: 'session_id does not match the ws_uri', field: 'session_id' },
        CLOSE_POLICY,
      );
      return;
    }
    let live: LiveSession;
    try {
      live = await this.deps.live.ensure(session);
    } catch (error) {
      if (error instanceof LiveError && error.code === 'NO_CAPACITY') {
        this.#refuseInit({ code: 'NO_CAPACITY', error: error.message }, CLOSE_TRY_AGAIN);
        return;
      }
      // Only "no avatar media" says why; a render worker's failure stays in the log.
      const noMedia = error instanceof LiveError && error.code === 'NO_AVATAR_MEDIA';
      this.deps.log?.warn({ err: error, sessionId: session.id }, 'live media did not start');
      this.#refuseInit(
        noMedia
          ? { code: 'NO_AVATAR_MEDIA', error: error.message }
          : { code: 'INTERNAL_ERROR', error: 'The avatar could not start' },
        1011,
      );
      return;
    }
    if (this.#closed()) return;
    if (live.closed) {
      this.#refuseInit({ code: 'SESSION_ENDED', error: 'Session has ended' }, CLOSE_POLICY);
      return;
    }
    this.#attach(session.id, live);
    this.#state = 'ready';
    this.send({ type: 'connection.established', session_id: session.id });
    for (const { data, isBinary } of this.#backlog.splice(0)) {
      if (this.#state !== 'ready') break;
      this.#onFrame(data, isBinary);
    }
  }

  #refuseInit(error: WireError, closeCode: number): void {
    this.#error(error);
    this.#close(closeCode, error.error.slice(0, 120));
  }

  #attach(sessionId: string, live: LiveSession): void {
    this.#sessionId = sessionId;
    this.#session = live;
    const previous = this.deps.active.get(sessionId);
    this.deps.active.set(sessionId, this);
    this.deps.live.socketOpened(sessionId);
    previous?.replaced();
    // Segments dropped unplayed by an interrupt report themselves too; the client hears only what it saw start.
    let speaking = false;
    const started = () => {
      speaking = true;
      this.send({ type: 'avatar.speaking.started' });
    };
    const stopped = ({ interrupted }: SegmentPlayed) => {
      if (!speaking) return;
      speaking = false;
      this.send({ type: 'avatar.speaking.stopped', interrupted });
    };
    const ending = (reason: string) => this.#sendEnded(reason);
    const closed = (reason: string) => {
      this.#sendEnded(reason);
      this.#detach();
      this.#close(1000, 'Session ended');
    };
    live.avatar.on('segment.started', started).on('segment.played', stopped);
    const moved = () => {
      this.#detach();
      this.#close(CLOSE_MOVED, 'Session moved to another worker');
    };
    live.on('ending', ending).on('closed', closed).on('moved', moved);
    this.#unsubscribe = () => {
      live.avatar.off('segment.started', started).off('segment.played', stopped);
      live.off('ending', ending).off('closed', closed).off('moved', moved);
    };
  }

  #detach(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    if (this.#sessionId && this.deps.active.get(this.#sessionId) === this)
      this.deps.active.delete(this.#sessionId);
  }

  #sendEnded(reason: string): void {
    if (this.#endedSent) return;
    this.#endedSent = true;
    this.send({ type: 'session.ended', reason });
  }

  #command(frame: ClientFrame): void {
    const avatar = this.#session!.avatar;
    if (frame.type === 'session.init') {
      this.#error({ code: 'ALREADY_INITIALIZED', error: 'This socket is already initialised' });
      return;
    }
    if (frame.type === 'agent.interrupt') {
      // Acts now (the mouth stops within a frame); confirmed in order after what came before it.
      this.#epoch += 1;
      avatar.interrupt();
      this.#enqueue(() => this.send({ type: 'agent.interrupt.confirmed' }));
      return;
    }
    const epoch = this.#epoch;
    if (frame.type === 'agent.speak') {
      this.#enqueue(() => {
        if (epoch !== this.#epoch) {
          // Sent before an interrupt that overtook it: accepted, then dropped with the queue.
          return this.send({
            type: 'agent.speak.confirmed',
            audio_samples: avatar.samplesFor(frame.pcm.length, frame.sampleRate),
          });
        }
        const { audioSamples } = avatar.pushAudio(frame.pcm, { sampleRate: frame.sampleRate });
        this.send({ type: 'agent.speak.confirmed', audio_samples: audioSamples });
      });
      return;
    }
    this.#enqueue(async () => {
      if (epoch !== this.#epoch)
        throw new LiveError('INTERRUPTED', 'Interrupted before the speech was queued');
      const { audioSamples } = await avatar.speakText(frame.text, { voice: frame.voiceId });
      this.send({ type: 'agent.speak_text.confirmed', audio_samples: audioSamples, text: frame.text });
    });
    return;
  }

  #enqueue(step: () => void | Promise<void>): void {
    this.#chain = this.#chain
      .then(() => this.#measured(step))
      .catch((error: unknown) => this.#reportCommandError(error))
      .then(() => (turnBudgetLeft() ? undefined : nextTurn()));
  }

  /**
   * A burst of frames (a client sending a whole utterance in 100 ms chunks) would otherwise be handled in one
   * long run of microtasks: synchronous steps (resampling, queueing) charge live media's one per-turn budget,
   * and once it is spent the chain waits a turn, letting every session's clock ticks run in between.
   */
  #measured(step: () => void | Promise<void>): void | Promise<void> {
    const started = performance.now();
    const result = step();
    if (!(result instanceof Promise)) chargeTurn(performance.now() - started);
    return result;
  }

  #reportCommandError(error: unknown): void {
    if (error instanceof LiveError && isPerFrameCode(error.code)) {
      this.#error({ code: error.code, error: error.message });
      return;
    }
    this.deps.log?.warn({ err: error, sessionId: this.#sessionId }, 'websocket command failed');
    this.#error({ code: 'INTERNAL_ERROR', error: 'The command could not be processed' });
  }

  /** Re-read after an await: the socket may have closed meanwhile. */
  #closed(): boolean {
    return this.#state === 'closed';
  }

  #close(code: number, reason: string): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.socket.close(code, reason);
  }

  #onClose(): void {
    const wasActive = this.#sessionId !== undefined && this.deps.active.get(this.#sessionId) === this;
    this.#state = 'closed';
    this.#detach();
    // A replaced socket is not "the session's socket closed"; the newer one is.
    if (wasActive && this.#sessionId) this.deps.live.socketClosed(this.#sessionId);
  }
}

/** The live errors a client may see on a command; others (a render worker failing) are internal. */
const PER_FRAME_CODES: ReadonlySet<string> = new Set<WsErrorCode>([
  'QUEUE_FULL',
  'EMPTY_AUDIO',
  'INVALID_AUDIO',
  'INVALID_SAMPLE_RATE',
  'TTS_FAILED',
  'INTERRUPTED',
  'SESSION_ENDED',
]);

function isPerFrameCode(code: string): code is WsErrorCode {
  return PER_FRAME_CODES.has(code);
}
