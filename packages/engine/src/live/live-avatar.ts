/**
 * @module One live avatar: the single owner of a session's media. Sources (a WebSocket's `agent.speak`, server
 * TTS, agent speech, later a LiveKit byte stream) call one entrance — any sample rate resampled to PCM_RATE,
 * one queue bound, one segment counter — which feeds the session pipeline (speech queue → lip-sync → animator →
 * render worker), whose frames go to the attached sinks (the built-in room, a recorder, later LiveKit).
 * Sinks and sources can come and go while it runs.
 */
import { EventEmitter } from 'node:events';
import { PCM_RATE, resample, type TimedPhoneme, type TTS, TtsError } from '@agenthuman/media';
import { createAnimator } from '../animation/animator.js';
import type { MouthKeyframe } from '../animation/params.js';
import { keyframesFromPhonemes } from '../lipsync/phoneme-lipsync.js';
import { LiveError } from '../pipeline/live-error.js';
import type { AudioSink, IdleState, LipSync, PipelineAnimator, VideoSink } from '../pipeline/ports.js';
import {
  SessionPipeline,
  type SessionPipelineOptions,
  type SessionStats,
} from '../pipeline/session-pipeline.js';
import type { RenderWorkerPool } from '../workers/render-worker-pool.js';
import { audioLipSyncSpec } from './lipsync-spec.js';
import type { AvatarRenderer } from './renderer-spec.js';
import { SpeechStream } from './speech-stream.js';

/** The first audio of a segment is playing (it reached the sinks on this tick, stamped `ptsMs`). */
export type SegmentStarted = { segmentId: string; ptsMs: number };

/**
 * Sent exactly once per segment that took audio: played to its end, cut by an interrupt, or dropped unplayed.
 * `ptsMs` is the media-clock time its audio stopped at (a transport waits for its track to reach it); 0 for a
 * segment dropped before it played.
 */
export type SegmentPlayed = { segmentId: string; playedMs: number; interrupted: boolean; ptsMs: number };

export interface LiveAvatarEvents {
  'segment.started': [SegmentStarted];
  'segment.played': [SegmentPlayed];
  /** An interrupt passed through the pipeline: sources drop what they were about to send (an agent's turn). */
  interrupted: [];
  error: [unknown];
  closed: [];
}

export type AudioOptions = {
  /** Any rate from 8 to 48 kHz; mono PCM16 (a source down-mixes channels itself). */
  sampleRate: number;
  /**
   * Chunks with the same id are one segment, resampled as one stream; without an id a chunk joins the open
   * stream segment (or opens one), which ends when its source pauses past the pipeline's hang-over.
   */
  segmentId?: string;
};

export type SpeakOptions = {
  /** Default PCM_RATE. */
  sampleRate?: number;
  /** TTS phonemes (times from the audio's start) for exact visemes; without them lip-sync listens to the audio. */
  phonemes?: TimedPhoneme[];
  segmentId?: string;
};

export type Queued = { segmentId: string; audioSamples: number };

/** A streamed chunk: the samples it adds at PCM_RATE once the stream is flushed (exact, chunking-independent). */
export type Accepted = { audioSamples: number };

/**
 * What a source uses: the entrance and the per-segment events. A transport's source (WebSocket, LiveKit) and
 * the agent runtime hold only this.
 */
export interface AvatarInput {
  /** Streams a chunk into a segment; returns what it adds at PCM_RATE (the `agent.speak` confirmation). */
  pushAudio(pcm: Int16Array, options: AudioOptions): Accepted;
  /** No more audio follows for the segment (default: the open stream segment); it stops once played. */
  endSegment(segmentId?: string): void;
  /** One whole segment, ended. */
  speak(pcm: Int16Array, options?: SpeakOptions): Queued;
  /** Stops speech within a frame, drops everything queued, aborts the turn's signal; every stage sees it. */
  interrupt(): void;
  /** Aborted when the current turn is interrupted or the avatar closes: pass it to LLM/TTS calls. */
  readonly turnSignal: AbortSignal;
  on<E extends keyof LiveAvatarEvents>(event: E, listener: (...args: LiveAvatarEvents[E]) => void): unknown;
  off<E extends keyof LiveAvatarEvents>(event: E, listener: (...args: LiveAvatarEvents[E]) => void): unknown;
}

/** What a transport's sink side uses: its video and audio sinks, attached while the avatar runs. */
export interface AvatarOutput {
  /** Returns the detach. */
  attach(sinks: { video?: VideoSink; audio?: AudioSink }): () => void;
}

export type LiveAvatarOptions = {
  /** Which renderer the worker builds and the avatar's animator seed (publicAvatarRenderer/storedAvatarRenderer). */
  avatar: AvatarRenderer;
  pool: RenderWorkerPool;
  /** Server-side TTS for speakText (the Flite worker). */
  tts?: TTS;
  /** Sinks attached from the first frame (a room, a recorder). */
  video?: VideoSink | VideoSink[];
  audio?: AudioSink | AudioSink[];
  lipSync?: LipSync;
  animator?: PipelineAnimator;
} & Pick<SessionPipelineOptions, 'time' | 'hangoverMs' | 'maxQueuedMs' | 'realtime'>;

export class LiveAvatar implements AvatarInput, AvatarOutput {
  /** speak arrival (when nothing was queued) → its first frame handed to the encoder, ms; for bench:live. */
  readonly speakLatenciesMs: number[] = [];
  readonly #pipeline: SessionPipeline;
  readonly #tts: TTS | undefined;
  readonly #events = new EventEmitter<LiveAvatarEvents>();
  readonly #stream: SpeechStream;
  /** Segments that took audio and have not been reported played. */
  readonly #open = new Set<string>();
  #closed = false;
  /** Arrival time of speech that starts playing from an empty queue, until its first frame leaves. */
  #waitingStart: { arrivedAt: number; ptsMs: number | undefined } | undefined;

  static async start(options: LiveAvatarOptions): Promise<LiveAvatar> {
    const pipeline = await SessionPipeline.start({
      renderer: options.avatar.spec,
      animator: options.animator ?? createAnimator({ seed: options.avatar.seed }),
      // The fitted audio lip-sync runs beside the renderer on the session's worker, not on this thread.
      ...(options.lipSync ? { lipSync: options.lipSync } : { lipSyncInWorker: audioLipSyncSpec() }),
      pool: options.pool,
      videoSinks: [options.video ?? []].flat(),
      audioSinks: [options.audio ?? []].flat(),
      ...(options.time ? { time: options.time } : {}),
      ...(options.hangoverMs !== undefined ? { hangoverMs: options.hangoverMs } : {}),
      ...(options.maxQueuedMs !== undefined ? { maxQueuedMs: options.maxQueuedMs } : {}),
      ...(options.realtime !== undefined ? { realtime: options.realtime } : {}),
    });
    return new LiveAvatar(pipeline, options.tts);
  }

  private constructor(pipeline: SessionPipeline, tts: TTS | undefined) {
    this.#pipeline = pipeline;
    this.#tts = tts;
    this.#stream = new SpeechStream((pcm) => this.#play(pcm));
    pipeline.on('speaking.started', ({ segmentId, ptsMs }) => {
      if (this.#waitingStart && this.#waitingStart.ptsMs === undefined) this.#waitingStart.ptsMs = ptsMs;
      this.#events.emit('segment.started', { segmentId, ptsMs });
    });
    pipeline.on('speaking.stopped', ({ segmentId, playedMs, interrupted, ptsMs }) =>
      this.#played({ segmentId, playedMs, interrupted, ptsMs }),
    );
    pipeline.on('error', (error) => {
      if (this.#events.listenerCount('error') > 0) this.#events.emit('error', error);
    });
  }

  get width(): number {
    return this.#pipeline.width;
  }

  get height(): number {
    return this.#pipeline.height;
  }

  get speaking(): boolean {
    return this.#pipeline.speaking;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get stats(): SessionStats {
    return this.#pipeline.stats;
  }

  get turnSignal(): AbortSignal {
    return this.#pipeline.turnSignal;
  }

  on<E extends keyof LiveAvatarEvents>(event: E, listener: (...args: LiveAvatarEvents[E]) => void): this {
    this.#events.on(event, listener as never);
    return this;
  }

  off<E extends keyof LiveAvatarEvents>(event: E, listener: (...args: LiveAvatarEvents[E]) => void): this {
    this.#events.off(event, listener as never);
    return this;
  }

  attach(sinks: { video?: VideoSink; audio?: AudioSink }): () => void {
    this.#assertOpen();
    return this.#pipeline.attach(sinks);
  }

  pushAudio(pcm: Int16Array, options: AudioOptions): Accepted {
    this.#assertOpen();
    if (pcm.length === 0) throw new LiveError('EMPTY_AUDIO', 'audio is empty');
    const { sampleRate } = options;
    if (!Number.isInteger(sampleRate) || sampleRate < 8000 || sampleRate > 48000) {
      throw new LiveError('INVALID_SAMPLE_RATE', `sample rate must be 8000–48000 Hz, got ${sampleRate}`);
    }
    if (options.segmentId !== this.#named) {
      // Another segment: the resampler's tail still belongs to the previous one.
      this.#stream.flush();
      this.#named = options.segmentId;
      this.#streamSegment = undefined;
    }
    const audioSamples = this.#stream.samplesFor(pcm.length, sampleRate);
    // Checked before resampling, so a refused chunk leaves the stream untouched.
    this.#pipeline.assertRoom(audioSamples);
    this.#noteArrival();
    this.#stream.push(pcm, sampleRate);
    return { audioSamples };
  }

  /** What pushAudio would confirm for `n` samples at `sampleRate` on the open stream, without queueing them. */
  samplesFor(n: number, sampleRate: number): number {
    return this.#stream.samplesFor(n, sampleRate);
  }

  endSegment(segmentId?: string): void {
    this.#assertOpen();
    const streaming = this.#named ?? this.#streamSegment;
    if (segmentId === undefined || segmentId === streaming) {
      this.#stream.flush();
      const ended = segmentId ?? this.#streamSegment;
      this.#named = undefined;
      this.#streamSegment = undefined;
      if (ended !== undefined) this.#pipeline.endSegment(ended);
      return;
    }
    this.#pipeline.endSegment(segmentId);
  }

  speak(pcm: Int16Array, options: SpeakOptions = {}): Queued {
    this.#assertOpen();
    if (pcm.length === 0) throw new LiveError('EMPTY_AUDIO', 'audio is empty');
    // Stream audio accepted before this segment plays before it.
    this.#stream.flush();
    this.#named = undefined;
    this.#streamSegment = undefined;
    const segmentId = options.segmentId ?? this.#pipeline.nextSegmentId();
    const keyframes = options.phonemes ? keyframesFromPhonemes(options.phonemes) : undefined;
    const queued = this.#enqueue(pcm, options.sampleRate ?? PCM_RATE, segmentId, keyframes);
    this.#pipeline.endSegment(segmentId);
    return queued;
  }

  /** Server TTS (Flite on its worker) with phoneme visemes; resolves once the speech is queued. */
  async speakText(text: string, options: { voice?: string } = {}): Promise<Queued> {
    this.#assertOpen();
    if (!this.#tts) throw new LiveError('TTS_FAILED', 'this avatar has no text-to-speech');
    const signal = this.turnSignal;
    let speech: Awaited<ReturnType<TTS['synthesize']>>;
    try {
      speech = await this.#tts.synthesize(text, {
        ...(options.voice ? { voice: options.voice } : {}),
        signal,
      });
    } catch (error) {
      if (error instanceof TtsError) {
        throw new LiveError(error.code === 'INTERRUPTED' ? 'INTERRUPTED' : 'TTS_FAILED', error.message);
      }
      throw error;
    }
    if (signal.aborted) throw new LiveError('INTERRUPTED', 'interrupted before the speech was queued');
    return this.speak(speech.pcm, { phonemes: speech.phonemes });
  }

  /** How the face idles between turns (the agent listening, thinking); reaches the animator if it has idle states. */
  setIdleState(state: IdleState): void {
    if (this.#closed) return;
    this.#pipeline.setIdleState(state);
  }

  interrupt(): void {
    if (this.#closed) return;
    this.#stream.reset();
    this.#named = undefined;
    this.#streamSegment = undefined;
    this.#waitingStart = undefined;
    // Synchronous: the playing segment reports itself cut before this returns.
    this.#pipeline.interrupt();
    for (const segmentId of [...this.#open])
      this.#played({ segmentId, playedMs: 0, interrupted: true, ptsMs: 0 });
    this.#events.emit('interrupted');
  }

  /** The sink handed the frame with `ptsMs` to its encoder at `atMs` (performance.now()); for speak latency. */
  frameSent(ptsMs: number, atMs: number): void {
    const waiting = this.#waitingStart;
    if (!waiting || waiting.ptsMs === undefined || ptsMs < waiting.ptsMs) return;
    this.#waitingStart = undefined;
    this.speakLatenciesMs.push(atMs - waiting.arrivedAt);
    if (this.speakLatenciesMs.length > 1000) this.speakLatenciesMs.shift();
  }

  /** Releases the render lane and stops the clock; safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stream.reset();
    this.#open.clear();
    this.#events.emit('closed');
    this.#events.removeAllListeners();
    await this.#pipeline.close();
  }

  /** The segment the open stream feeds: named by its source, or the pipeline's open input segment. */
  #named: string | undefined;
  #streamSegment: string | undefined;

  /** Resampled stream audio, now or at a later flush of the resampler's tail. */
  #play(pcm: Int16Array): void {
    if (this.#closed) return;
    const { segmentId } = this.#pipeline.pushAudio(pcm, this.#named ? { segmentId: this.#named } : {});
    this.#streamSegment = segmentId;
    this.#open.add(segmentId);
  }

  #enqueue(pcm: Int16Array, sampleRate: number, segmentId: string, keyframes?: MouthKeyframe[]): Queued {
    const pcm16k = sampleRate === PCM_RATE ? pcm : resample(pcm, sampleRate, PCM_RATE);
    this.#noteArrival();
    this.#pipeline.pushAudio(pcm16k, { segmentId, ...(keyframes ? { keyframes } : {}) });
    this.#open.add(segmentId);
    return { segmentId, audioSamples: pcm16k.length };
  }

  #played(event: SegmentPlayed): void {
    if (!this.#open.delete(event.segmentId)) return;
    if (event.segmentId === this.#streamSegment) this.#streamSegment = undefined;
    this.#events.emit('segment.played', event);
  }

  #noteArrival(): void {
    if (!this.#pipeline.speaking && this.#pipeline.queuedMs === 0 && !this.#waitingStart) {
      this.#waitingStart = { arrivedAt: performance.now(), ptsMs: undefined };
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new LiveError('SESSION_ENDED', 'Session has ended');
  }
}
