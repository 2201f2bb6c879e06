/**
 * @module One running session's media: its pipeline (clock, speech queue, lip-sync, render lane) and, for
 * platform rooms, its built-in WebRTC room. This is the interface the WS gateway and the agents runtime call.
 */
import { EventEmitter } from 'node:events';
import { keyframesFromPhonemes, type SessionPipeline, type TimedPhoneme } from '@agenthuman/engine';
import { type EndReason, WS_MAX_QUEUED_SECONDS } from '@agenthuman/protocol';
import type { BuiltinRoom } from '@agenthuman/rooms';
import { PIPELINE_RATE, SpeechInput } from './media/speech-input.js';
import { SpeechError, type SpeechSynthesizer } from './tts/flite-worker.js';

export type LiveErrorCode =
  | 'QUEUE_FULL'
  | 'EMPTY_AUDIO'
  | 'INVALID_AUDIO'
  | 'TTS_FAILED'
  | 'INTERRUPTED'
  | 'SESSION_ENDED'
  | 'NO_CAPACITY'
  | 'NO_AVATAR_MEDIA';

export class LiveError extends Error {
  constructor(
    readonly code: LiveErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LiveError';
  }
}

export type SegmentPlayed = { segmentId: string; playedMs: number; interrupted: boolean };

export interface LiveSessionEvents {
  'speaking.started': [{ segmentId: string }];
  'speaking.stopped': [SegmentPlayed];
  /** A segment finished playing or was cut; `playedMs` of its audio reached the room. */
  'segment.played': [SegmentPlayed];
  /** Sent before the session's media stops: the WS tells its client `session.ended {reason}`. */
  ending: [EndReason];
  closed: [EndReason];
}

export type SpeakOptions = {
  /** TTS phonemes (times from the audio's start) for exact visemes; without them lip-sync listens to the audio. */
  phonemes?: TimedPhoneme[];
  text?: string;
  /** Audio with the same id joins one segment (one sentence of an agent reply, say). */
  segmentId?: string;
};

const MAX_QUEUED_MS = WS_MAX_QUEUED_SECONDS * 1000;
/**
 * Streamed audio reaches the pipeline at most this much per event-loop turn: lip-sync runs on arrival (~20 ms of
 * CPU per second of audio), and a client that sends a whole utterance at once must not stall every session's
 * media clock. The first piece goes at once, so speech still starts on the next frame.
 */
const FEED_SAMPLES_PER_TURN = 6_400;

export class LiveSession {
  readonly sessionId: string;
  readonly room: BuiltinRoom | undefined;
  readonly width: number;
  readonly height: number;
  /** speak arrival (when the queue was empty) → its first frame handed to the encoder, ms; for bench:live. */
  readonly speakLatenciesMs: number[] = [];
  readonly #pipeline: SessionPipeline;
  readonly #tts: SpeechSynthesizer;
  readonly #events = new EventEmitter<LiveSessionEvents>();
  readonly #input: SpeechInput;
  #closed: EndReason | undefined;
  /** Arrival time of speech that starts playing from an empty queue, until its first frame leaves. */
  #waitingStart: { arrivedAt: number; ptsMs: number | undefined } | undefined;
  #segmentCounter = 0;
  /** 16 kHz audio accepted but not yet handed to the pipeline (see FEED_SAMPLES_PER_TURN). */
  #feed: Int16Array[] = [];
  #feedSamples = 0;
  #feeding: NodeJS.Immediate | undefined;

  constructor(options: {
    sessionId: string;
    pipeline: SessionPipeline;
    room: BuiltinRoom | undefined;
    tts: SpeechSynthesizer;
  }) {
    this.sessionId = options.sessionId;
    this.#pipeline = options.pipeline;
    this.room = options.room;
    this.#tts = options.tts;
    this.width = options.pipeline.width;
    this.height = options.pipeline.height;
    this.#input = new SpeechInput((pcm) => this.#play(pcm));
    this.#pipeline.on('speaking.started', ({ segmentId, ptsMs }) => {
      if (this.#waitingStart && this.#waitingStart.ptsMs === undefined) this.#waitingStart.ptsMs = ptsMs;
      this.#events.emit('speaking.started', { segmentId });
    });
    this.#pipeline.on('speaking.stopped', ({ segmentId, playedMs, interrupted }) => {
      const played = { segmentId, playedMs, interrupted };
      this.#events.emit('speaking.stopped', played);
      this.#events.emit('segment.played', played);
    });
  }

  /** Connected room viewers. */
  get viewers(): number {
    return this.room?.viewerCount ?? 0;
  }

  get speaking(): boolean {
    return this.#pipeline.speaking;
  }

  get closed(): boolean {
    return this.#closed !== undefined;
  }

  /** The pipeline's figures; `queuedMs` includes audio accepted but not yet handed over. */
  get stats() {
    return { ...this.#pipeline.stats, queuedMs: this.#queuedMs() };
  }

  /** Aborted when the current turn is interrupted or the session ends: pass it to LLM/TTS calls. */
  get turnSignal(): AbortSignal {
    return this.#pipeline.turnSignal;
  }

  on<E extends keyof LiveSessionEvents>(event: E, listener: (...args: LiveSessionEvents[E]) => void): this {
    this.#events.on(event, listener as never);
    return this;
  }

  off<E extends keyof LiveSessionEvents>(event: E, listener: (...args: LiveSessionEvents[E]) => void): this {
    this.#events.off(event, listener as never);
    return this;
  }

  /**
   * Queues 16 kHz PCM16 mono after what is queued. With `phonemes` the mouth follows them exactly; otherwise
   * audio lip-sync drives it. Throws LiveError QUEUE_FULL (nothing queued) past 120 s of waiting audio.
   */
  speakPcm(pcm16k: Int16Array, options: SpeakOptions = {}): { audioSamples: number; segmentId: string } {
    this.#assertOpen();
    if (pcm16k.length === 0) throw new LiveError('EMPTY_AUDIO', 'audio is empty');
    this.#assertRoom(pcm16k.length);
    this.#input.flush();
    this.#drainFeed();
    const segmentId = options.segmentId ?? `speech-${++this.#segmentCounter}`;
    const keyframes = options.phonemes ? keyframesFromPhonemes(options.phonemes) : undefined;
    this.#noteArrival();
    this.#pipeline.pushAudio(pcm16k, { segmentId, keyframes });
    this.#pipeline.endSegment(segmentId);
    return { audioSamples: pcm16k.length, segmentId };
  }

  /**
   * `agent.speak`: PCM16 mono at any rate 8–48 kHz, streamed in chunks of one open segment. Returns the samples
   * it adds at 16 kHz (the confirmation's `audio_samples`).
   */
  speakAudio(pcm: Int16Array, sampleRate: number): { audioSamples: number } {
    this.#assertOpen();
    if (pcm.length === 0) throw new LiveError('EMPTY_AUDIO', 'audio is empty');
    const audioSamples = this.#input.samplesFor(pcm.length, sampleRate);
    this.#assertRoom(audioSamples);
    this.#noteArrival();
    this.#input.push(pcm, sampleRate);
    return { audioSamples };
  }

  /** What `speakAudio` would confirm for `n` samples at `sampleRate`, without queueing them. */
  samplesFor(n: number, sampleRate: number): number {
    return this.#input.samplesFor(n, sampleRate);
  }

  /** Server TTS (Flite, on a worker thread) with phoneme visemes; resolves once the speech is queued. */
  async speakText(text: string, voice?: string): Promise<{ audioSamples: number; segmentId: string }> {
    this.#assertOpen();
    const signal = this.turnSignal;
    let speech: Awaited<ReturnType<SpeechSynthesizer['synthesize']>>;
    try {
      speech = await this.#tts.synthesize(text, { voice, signal });
    } catch (error) {
      if (error instanceof SpeechError) {
        throw new LiveError(error.code === 'INTERRUPTED' ? 'INTERRUPTED' : 'TTS_FAILED', error.message);
      }
      throw error;
    }
    if (signal.aborted) throw new LiveError('INTERRUPTED', 'interrupted before the speech was queued');
    return this.speakPcm(speech.pcm, { phonemes: speech.phonemes, text });
  }

  /** Stops speech within a frame, drops everything queued, aborts the turn's signal. */
  interrupt(): void {
    if (this.#closed) return;
    this.#input.reset();
    this.#clearFeed();
    this.#waitingStart = undefined;
    this.#pipeline.interrupt();
  }

  /** @internal The registry announces the end before it releases the media. */
  announceEnding(reason: EndReason): void {
    if (!this.#closed) this.#events.emit('ending', reason);
  }

  /** @internal Called by the registry: closes the room's peers and releases the pipeline. */
  async close(reason: EndReason): Promise<void> {
    if (this.#closed) return;
    this.#closed = reason;
    this.#input.reset();
    this.#clearFeed();
    this.#events.emit('ending', reason);
    this.#events.emit('closed', reason);
    this.#events.removeAllListeners();
    this.room?.close();
    await this.#pipeline.close();
  }

  /** @internal The room handed the frame with `ptsMs` to the encoder at `atMs` (performance.now()). */
  frameSent(ptsMs: number, atMs: number): void {
    const waiting = this.#waitingStart;
    if (!waiting || waiting.ptsMs === undefined || ptsMs < waiting.ptsMs) return;
    this.#waitingStart = undefined;
    this.speakLatenciesMs.push(atMs - waiting.arrivedAt);
    if (this.speakLatenciesMs.length > 1000) this.speakLatenciesMs.shift();
  }

  #play(pcm: Int16Array): void {
    if (this.#closed) return;
    for (let at = 0; at < pcm.length; at += FEED_SAMPLES_PER_TURN) {
      this.#feed.push(pcm.subarray(at, at + FEED_SAMPLES_PER_TURN));
    }
    this.#feedSamples += pcm.length;
    if (!this.#feeding) this.#feedTurn();
  }

  /** Hands one turn's worth of accepted audio to the pipeline, and schedules the rest for later turns. */
  #feedTurn(): void {
    this.#feeding = undefined;
    let budget = FEED_SAMPLES_PER_TURN;
    while (budget > 0 && this.#feed.length > 0) {
      const piece = this.#feed.shift()!;
      this.#feedSamples -= piece.length;
      budget -= piece.length;
      this.#pipeline.pushAudio(piece);
    }
    if (this.#feed.length > 0) this.#feeding = setImmediate(() => this.#feedTurn());
  }

  /** Everything accepted goes to the pipeline now (before a new segment, so order holds). */
  #drainFeed(): void {
    clearImmediate(this.#feeding);
    this.#feeding = undefined;
    for (const piece of this.#feed.splice(0)) this.#pipeline.pushAudio(piece);
    this.#feedSamples = 0;
  }

  #clearFeed(): void {
    clearImmediate(this.#feeding);
    this.#feeding = undefined;
    this.#feed = [];
    this.#feedSamples = 0;
  }

  #noteArrival(): void {
    if (!this.#pipeline.speaking && this.#queuedMs() === 0 && !this.#waitingStart) {
      this.#waitingStart = { arrivedAt: performance.now(), ptsMs: undefined };
    }
  }

  #assertRoom(samples16k: number): void {
    const queuedMs = this.#queuedMs();
    if (queuedMs + (samples16k / PIPELINE_RATE) * 1000 > MAX_QUEUED_MS) {
      throw new LiveError(
        'QUEUE_FULL',
        `Speech queue is full: ${(queuedMs / 1000).toFixed(1)} s queued; at most ${WS_MAX_QUEUED_SECONDS} s may wait to play`,
      );
    }
  }

  #queuedMs(): number {
    return this.#pipeline.stats.queuedMs + (this.#feedSamples / PIPELINE_RATE) * 1000;
  }

  #assertOpen(): void {
    if (this.#closed) throw new LiveError('SESSION_ENDED', 'Session has ended');
  }
}
