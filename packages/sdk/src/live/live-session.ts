/**
 * @module LiveSession: one open WebSocket command channel (spec section 7). Sends `session.init`, speech audio
 * (paced at real time in 20–100 ms chunks), text, and interrupts; emits every server event, typed.
 */
import { DefaultWebSocket } from '#websocket';
import { AgentHumanError } from '../errors.js';
import { type AudioInput, type AudioInputOptions, openAudio } from './audio-source.js';
import { encodeBase64, pcm16Bytes } from './base64.js';
import { EventHub } from './event-hub.js';
import type { LiveEvent, LiveEventOf, LiveEventType, ServerEvent, ServerEventOf } from './events.js';
import { OPEN, type WebSocketConstructor, type WebSocketLike } from './websocket-like.js';

export type ConnectOptions = {
  /** `ws(s)://host/ws?session_id=…` (the start response's `ws_uri`). */
  url: string;
  sessionId: string;
  /** The create response's `session_token` (same value as `access_token`). */
  sessionToken: string;
  /** A WebSocket class; defaults to the global one, or the `ws` package on Node 20. */
  WebSocket?: WebSocketConstructor;
  /** How long to wait for `connection.established` (default 10 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
};

export type SendAudioProgress = {
  /** Audio handed to the socket so far. */
  sentMs: number;
  /** Audio the server confirmed (`agent.speak.confirmed`). */
  confirmedMs: number;
  /** Whole length when known (in-memory input). */
  totalMs: number | undefined;
};

export type SendAudioOptions = AudioInputOptions & {
  /** Chunk length, 20–100 ms (default 40). */
  chunkMs?: number;
  /** 1 = real time (default), 2 = twice as fast, `Infinity` = as fast as the socket takes it. */
  speed?: number;
  /** How far ahead of real time audio may run, so the server's queue never runs dry (default 200 ms). */
  leadMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: SendAudioProgress) => void;
};

export type SendAudioResult = { chunks: number; durationMs: number; samples16k: number };

/** Codes of `error` events that mean an audio frame was refused. */
const AUDIO_ERRORS = new Set([
  'INVALID_AUDIO',
  'EMPTY_AUDIO',
  'INVALID_SAMPLE_RATE',
  'QUEUE_FULL',
  'MESSAGE_TOO_LARGE',
  'SESSION_ENDED',
  'RATE_LIMITED',
]);
const CONFIRM_TIMEOUT_MS = 10_000;
const MAX_BUFFERED_BYTES = 1 << 20;

export class LiveSession {
  readonly sessionId: string;
  readonly #ws: WebSocketLike;
  readonly #hub = new EventHub();
  #closed = false;
  readonly #closedPromise: Promise<LiveEventOf<'close'>>;

  private constructor(ws: WebSocketLike, sessionId: string) {
    this.#ws = ws;
    this.sessionId = sessionId;
    this.#closedPromise = this.#hub.waitFor((e): e is LiveEventOf<'close'> => e.type === 'close');
    ws.onmessage = (message) => {
      const event = parseEvent(message.data);
      if (event) this.#hub.emit(event);
    };
    ws.onclose = (event) => {
      this.#closed = true;
      this.#hub.emit({ type: 'close', code: event.code, reason: String(event.reason ?? '') });
    };
  }

  /** Opens the socket, sends `session.init`, and resolves on `connection.established`. */
  static connect(options: ConnectOptions): Promise<LiveSession> {
    const Ctor = options.WebSocket ?? DefaultWebSocket;
    if (!Ctor) {
      throw new AgentHumanError({
        status: 0,
        code: 'WEBSOCKET_UNAVAILABLE',
        message: 'No WebSocket implementation in this runtime',
        suggestion: "Pass { WebSocket } (e.g. from the 'ws' package)",
      });
    }
    const ws = new Ctor(options.url);
    const live = new LiveSession(ws, options.sessionId);
    ws.onopen = () => {
      ws.send(
        JSON.stringify({
          type: 'session.init',
          session_id: options.sessionId,
          session_token: options.sessionToken,
        }),
      );
    };
    ws.onerror = () => undefined; // close follows; the reason is reported there
    const timeoutMs = options.timeoutMs ?? 10_000;
    return live.#hub
      .waitFor(
        (e): e is LiveEventOf<'connection.established' | 'error' | 'close'> =>
          e.type === 'connection.established' || e.type === 'error' || e.type === 'close',
        { timeoutMs, signal: options.signal, what: 'connection.established' },
      )
      .then(
        (event) => {
          if (event.type === 'connection.established') return live;
          ws.close();
          throw event.type === 'error'
            ? wsError(event.code, event.error)
            : wsError(
                'CONNECTION_ERROR',
                `WebSocket closed before the session was established (code ${event.code}${event.reason ? `: ${event.reason}` : ''})`,
              );
        },
        (error: unknown) => {
          ws.close();
          throw error instanceof AgentHumanError ? error : wsError('TIMEOUT', String(error));
        },
      );
  }

  get isOpen(): boolean {
    return !this.#closed && this.#ws.readyState === OPEN;
  }

  /** Listens to one event type, or `'*'` for all. Returns the unsubscribe function. */
  on<T extends LiveEventType>(type: T | '*', handler: (event: LiveEventOf<T>) => void): () => void {
    return this.#hub.on(type, handler);
  }

  /** The next event of `type`. */
  next<T extends LiveEventType>(type: T, timeoutMs = CONFIRM_TIMEOUT_MS): Promise<LiveEventOf<T>> {
    return this.#hub.waitFor((e): e is LiveEventOf<T> => e.type === type, { timeoutMs, what: type });
  }

  /** Every event from now until the socket closes: `for await (const event of live.events())`. */
  events(): AsyncGenerator<LiveEvent> {
    return this.#hub.iterate();
  }

  /** Sends one `agent.speak` frame as is (PCM16LE mono); prefer `sendAudio` for anything longer than a chunk. */
  speak(pcm: Int16Array | Uint8Array, sampleRate = 16000) {
    const bytes = pcm instanceof Int16Array ? pcm16Bytes(pcm) : pcm;
    this.#send({ type: 'agent.speak', audio: encodeBase64(bytes), sample_rate: sampleRate });
  }

  /** Server-side TTS (`agent.speak_text`); resolves with the confirmation, rejects on an `error` answer. */
  async speakText(text: string, options: { voiceId?: string } = {}) {
    const answer = this.#hub.waitFor(
      (e): e is ServerEventOf<'agent.speak_text.confirmed'> | ServerEventOf<'error'> =>
        e.type === 'agent.speak_text.confirmed' || e.type === 'error' || e.type === 'close',
      { timeoutMs: 30_000, what: 'agent.speak_text.confirmed' },
    );
    this.#send({ type: 'agent.speak_text', text, ...(options.voiceId && { voice_id: options.voiceId }) });
    const event = (await answer) as LiveEvent;
    if (event.type === 'error') throw wsError(event.code, event.error);
    if (event.type === 'close') throw wsError('CONNECTION_ERROR', 'WebSocket closed');
    return event as ServerEventOf<'agent.speak_text.confirmed'>;
  }

  /** Stops speech now and drops the queue; resolves on `agent.interrupt.confirmed`. */
  async interrupt(): Promise<void> {
    const confirmed = this.next('agent.interrupt.confirmed');
    this.#send({ type: 'agent.interrupt' });
    await confirmed;
  }

  /**
   * Streams audio as `agent.speak` chunks paced at `speed` × real time, and resolves once the server has
   * confirmed every chunk. Input: raw PCM16 bytes or samples, a WAV file, or a byte stream of either.
   */
  async sendAudio(input: AudioInput, options: SendAudioOptions = {}): Promise<SendAudioResult> {
    const chunkMs = options.chunkMs ?? 40;
    if (chunkMs < 20 || chunkMs > 100) throw new RangeError('chunkMs must be between 20 and 100');
    const speed = options.speed ?? 1;
    if (!(speed > 0)) throw new RangeError('speed must be > 0 (Infinity: no pacing)');
    const leadMs = options.leadMs ?? 200;
    const audio = await openAudio(input, options);
    const totalMs =
      audio.totalSamples === undefined ? undefined : (audio.totalSamples / audio.sampleRate) * 1000;

    let sent = 0;
    let confirmed = 0;
    let sentMs = 0;
    let confirmedMs = 0;
    let samples16k = 0;
    let failure: AgentHumanError | undefined;
    let allConfirmed: (() => void) | undefined;
    const progress = () => options.onProgress?.({ sentMs, confirmedMs, totalMs });
    const off = this.#hub.on('*', (event) => {
      if (event.type === 'agent.speak.confirmed') {
        confirmed++;
        samples16k += event.audio_samples;
        confirmedMs = (samples16k / 16000) * 1000;
        progress();
        if (confirmed === sent) allConfirmed?.();
      } else if (event.type === 'error' && AUDIO_ERRORS.has(event.code)) {
        failure ??= wsError(event.code, event.error);
        allConfirmed?.();
      } else if (event.type === 'close' || event.type === 'session.ended') {
        failure ??= wsError('SESSION_ENDED', `The session's socket closed while sending audio`);
        allConfirmed?.();
      }
    });
    try {
      const startedAt = now();
      for await (const chunk of audio.chunks(chunkMs)) {
        if (failure) throw failure;
        options.signal?.throwIfAborted();
        if (Number.isFinite(speed)) await waitUntil(startedAt + (sentMs - leadMs) / speed, options.signal);
        while (this.#ws.bufferedAmount > MAX_BUFFERED_BYTES) await delay(10);
        this.speak(chunk, audio.sampleRate);
        sent++;
        sentMs += (chunk.length / audio.sampleRate) * 1000;
        progress();
      }
      if (confirmed < sent && !failure) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve, reject) => {
          allConfirmed = resolve;
          timer = setTimeout(
            () => reject(wsError('TIMEOUT', `${sent - confirmed} audio chunks were never confirmed`)),
            CONFIRM_TIMEOUT_MS,
          );
        }).finally(() => clearTimeout(timer));
      }
      if (failure) throw failure;
      return { chunks: sent, durationMs: sentMs, samples16k };
    } finally {
      off();
    }
  }

  /** Closes the socket (idempotent); resolves once it is closed. */
  async close(code = 1000, reason = 'client closed'): Promise<void> {
    if (!this.#closed) this.#ws.close(code, reason);
    await this.#closedPromise;
  }

  #send(message: Record<string, unknown>) {
    if (!this.isOpen) throw wsError('CONNECTION_ERROR', 'The session WebSocket is not open');
    this.#ws.send(JSON.stringify(message));
  }
}

function parseEvent(data: unknown): ServerEvent | undefined {
  const text =
    typeof data === 'string'
      ? data
      : data instanceof ArrayBuffer || ArrayBuffer.isView(data)
        ? new TextDecoder().decode(data as ArrayBuffer)
        : undefined;
  if (!text) return undefined;
  try {
    const event = JSON.parse(text) as ServerEvent;
    return typeof event?.type === 'string' ? event : undefined;
  } catch {
    return undefined;
  }
}

const wsError = (code: string, message: string) => new AgentHumanError({ status: 0, code, message });

const now = () => (globalThis.performance?.now() ?? Date.now()) as number;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitUntil(atMs: number, signal?: AbortSignal) {
  const wait = atMs - now();
  if (wait > 1) await delay(wait);
  signal?.throwIfAborted();
}
