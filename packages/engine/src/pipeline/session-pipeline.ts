/** @module One avatar session's live pipeline: audio in → speech queue → lip-sync → animator → render → outputs. */
import { EventEmitter } from 'node:events';
import { PCM_RATE } from '@agenthuman/media';
import type { PixelFormat } from '../render/renderer.js';
import type { RenderLane } from '../workers/render-lane.js';
import { RenderWorkerPool } from '../workers/render-worker-pool.js';
import type { RendererSpec } from '../workers/renderer-spec.js';
import { AnimateProcessor } from './animate-processor.js';
import type { Frame } from './frames.js';
import { LipSyncProcessor } from './lip-sync-processor.js';
import { liveDefaults } from './live-defaults.js';
import { LiveError } from './live-error.js';
import { MediaClock, type TimeSource } from './media-clock.js';
import { openSessionLane } from './open-lane.js';
import { OutputProcessor } from './output-processor.js';
import type { AudioSink, IdleState, LipSync, PipelineAnimator, RemoteLipSync, VideoSink } from './ports.js';
import { RenderProcessor } from './render-processor.js';
import { type SpeakingStopped, SpeechProcessor } from './speech-processor.js';

export interface SessionPipelineOptions {
  renderer: RendererSpec;
  animator: PipelineAnimator;
  /** Streaming lip-sync for audio that comes without mouth keyframes; without one such audio plays mouth-still. */
  lipSync?: LipSync;
  /**
   * Runs the streaming lip-sync on the session's render worker instead (a factory named like a renderer, see
   * live/lipsync-spec.ts): the same keyframes, off the main thread. Ignored when `lipSync` is given.
   */
  lipSyncInWorker?: RendererSpec;
  /** A shared pool; without one the session starts a one-thread pool of its own and closes it on close(). */
  pool?: RenderWorkerPool;
  videoSinks?: VideoSink[];
  audioSinks?: AudioSink[];
  pixelFormat?: PixelFormat;
  /** false renders every frame as fast as the sinks take them (files); true runs at 25 fps wall time. */
  realtime?: boolean;
  time?: TimeSource;
  hangoverMs?: number;
  maxQueuedMs?: number;
  maxRenderInFlight?: number;
  /**
   * How late a frame may be before it is dropped unrendered (live) or counted late at the outputs. Two frames
   * (80 ms) by default: a WebRTC receiver's jitter buffer absorbs that, and one stalled event-loop turn does not
   * cost a frame.
   */
  maxLatenessMs?: number;
  /**
   * Live: speech that becomes ready between ticks (a reply's start) runs its tick at once, so its frame renders
   * while it would have waited for the grid; the outputs still write it at its due time. Default on
   * (`liveDefaults.earlyTicks`).
   */
  earlyTicks?: boolean;
}

import type { PushAudioOptions, SessionEvents, SessionStats } from './session-types.js';

export type { PushAudioOptions, SessionEvents, SessionStats };

/**
 * A session owns its clock, its render lane (and its pool when it made one) and its turn's AbortController;
 * close() releases all of them and is safe to call twice.
 */
export class SessionPipeline {
  readonly clock: MediaClock;
  readonly #events = new EventEmitter<SessionEvents>();
  readonly #speech: SpeechProcessor;
  readonly #head: LipSyncProcessor;
  readonly #render: RenderProcessor;
  readonly #output: OutputProcessor;
  readonly #lane: RenderLane;
  readonly #animator: PipelineAnimator;
  readonly #ownedPool: RenderWorkerPool | undefined;
  readonly #videoSinks: VideoSink[];
  readonly #audioSinks: AudioSink[];
  #turn = new AbortController();
  #inputSegment: string | undefined;
  #segmentCounter = 0;
  /** Accepted by pushAudio, not yet in the speech queue (waiting behind a sliced lip-sync analysis). */
  #inFlightSamples = 0;
  #closing: Promise<void> | undefined;
  #idleWaiters: (() => void)[] = [];

  /** Opens a render lane (the worker builds the renderer) and starts the clock. */
  static async start(options: SessionPipelineOptions): Promise<SessionPipeline> {
    const ownedPool = options.pool ? undefined : new RenderWorkerPool({ size: 1 });
    const pool = options.pool ?? ownedPool!;
    let lane: RenderLane;
    try {
      lane = await openSessionLane(pool, {
        ...options,
        lipSync: options.lipSync ? undefined : options.lipSyncInWorker,
        realtime: options.realtime ?? true,
      });
    } catch (error) {
      await ownedPool?.close();
      throw error;
    }
    const session = new SessionPipeline(options, lane, ownedPool);
    session.clock.start((tick) => session.#onTick(tick));
    return session;
  }

  private constructor(
    options: SessionPipelineOptions,
    lane: RenderLane,
    ownedPool: RenderWorkerPool | undefined,
  ) {
    this.#lane = lane;
    this.#animator = options.animator;
    this.#ownedPool = ownedPool;
    this.#videoSinks = [...(options.videoSinks ?? [])];
    this.#audioSinks = [...(options.audioSinks ?? [])];
    const realtime = options.realtime ?? true;
    this.clock = new MediaClock({ realtime, time: options.time });
    const maxLatenessMs = options.maxLatenessMs ?? 2 * this.clock.frameMs;
    // Absolute deadlines only on the system's clock (a virtual one in tests has no place among other sessions').
    const systemClock = realtime && !options.time;
    const skips = systemClock && liveDefaults.workerSkips;
    const putOff = systemClock && liveDefaults.lipSyncPutOff;
    const paceMs = systemClock ? liveDefaults.lipSyncAheadMs : undefined;
    const ownSlice = systemClock && liveDefaults.ownSliceWait;
    const remote: RemoteLipSync | undefined =
      !options.lipSync && options.lipSyncInWorker
        ? {
            // On the system's clock, the worker learns when each slice plays (it puts off those seconds ahead).
            push: (pcm, startsInMs) => {
              const startsAt =
                startsInMs === undefined
                  ? undefined
                  : performance.timeOrigin + performance.now() + startsInMs;
              const paced = paceMs !== undefined && startsAt !== undefined ? startsAt - paceMs : undefined;
              return lane.lipSync('push', pcm, putOff ? startsAt : undefined, paced);
            },
            flush: () => lane.lipSync('flush'),
            reset: () => lane.lipSync('reset'),
          }
        : undefined;
    this.#head = new LipSyncProcessor(options.lipSync, remote, () => this.#speech.queue.queuedMs);
    this.#speech = new SpeechProcessor({
      hangoverMs: options.hangoverMs,
      maxQueuedMs: options.maxQueuedMs,
      onQueued: (samples) => {
        this.#inFlightSamples -= samples;
      },
      onStarted: (event) => this.#events.emit('speaking.started', event),
      onStopped: (event) => this.#onStopped(event),
      ...(remote
        ? {
            mouthPending: (segmentId: string, index: number) =>
              this.#head.pendingFor(segmentId, ownSlice ? index : undefined),
          }
        : {}),
      // Half a frame: past that the worker is busy (a new session's rig), and audio must not stall behind it.
      ...(realtime ? { maxMouthWaitMs: 20 } : {}),
      now: () => this.clock.now(),
      // After pushAudio's caller has finished its turn: TTS keyframes pushed right behind the audio must be there
      // for the tick, and the caller's acknowledgement (agent.speak_text.confirmed, sent after an await) must
      // leave before the speaking.started the tick may emit.
      ...(realtime && (options.earlyTicks ?? liveDefaults.earlyTicks)
        ? {
            onReady: (replyStart: boolean) =>
              setImmediate(() => this.clock.runNextEarly(replyStart && this.#rephasable())),
          }
        : {}),
    });
    this.#render = new RenderProcessor({
      lane,
      // Live, the worker skips what it reaches too late, so more may wait there than the two a drawing worker
      // returns within a frame or two: a burst at the worker (8 replies starting at once) costs no frames.
      maxInFlight: options.maxRenderInFlight ?? (skips ? 4 : 2),
      waitForRender: !realtime,
      now: () => this.clock.now(),
      isBehind: realtime
        ? (ptsMs) => this.clock.now() - this.clock.dueTimeOf(ptsMs) > maxLatenessMs
        : undefined,
      isAhead: realtime ? (ptsMs) => this.clock.dueTimeOf(ptsMs) > this.clock.now() : undefined,
      ...(realtime && !options.time
        ? {
            deadlineOf: (ptsMs: number) => performance.timeOrigin + this.clock.dueTimeOf(ptsMs),
            ...(skips
              ? {
                  skipAfterOf: (ptsMs: number) =>
                    performance.timeOrigin + this.clock.dueTimeOf(ptsMs) + maxLatenessMs,
                }
              : {}),
          }
        : {}),
    });
    this.#output = new OutputProcessor({
      videoSinks: this.#videoSinks,
      audioSinks: this.#audioSinks,
      now: () => this.clock.now(),
      dueTimeOf: realtime ? (ptsMs) => this.clock.dueTimeOf(ptsMs) : undefined,
      maxLatenessMs,
      ...(options.time ? { time: options.time } : {}),
    });
    const animate = new AnimateProcessor(options.animator);
    const onError = (error: unknown) => this.#reportError(error);
    for (const processor of [this.#head, this.#speech, animate, this.#render, this.#output])
      processor.onError(onError);
    this.#head.pipe(this.#speech).pipe(animate).pipe(this.#render).pipe(this.#output);
  }

  /** Frame size the renderer draws (known once start() has resolved). */
  get width(): number {
    return this.#lane.width;
  }

  get height(): number {
    return this.#lane.height;
  }

  /** Adds outputs after start (a room that joins later, an encoder sized from width/height); returns the detach. */
  attach(sinks: { video?: VideoSink; audio?: AudioSink }): () => void {
    const { video, audio } = sinks;
    if (video) this.#videoSinks.push(video);
    if (audio) this.#audioSinks.push(audio);
    return () => {
      // In place: the output processor holds these same arrays.
      if (video && this.#videoSinks.includes(video))
        this.#videoSinks.splice(this.#videoSinks.indexOf(video), 1);
      if (audio && this.#audioSinks.includes(audio))
        this.#audioSinks.splice(this.#audioSinks.indexOf(audio), 1);
    };
  }

  /** Aborted when the current turn is interrupted or the session closes; pass it to provider calls. */
  get turnSignal(): AbortSignal {
    return this.#turn.signal;
  }

  get speaking(): boolean {
    return this.#speech.speakingSegmentId !== undefined;
  }

  get stats(): SessionStats {
    return {
      clock: this.clock.stats,
      render: this.#render.stats,
      output: this.#output.stats,
      queuedMs: this.queuedMs,
      speaking: this.speaking,
      mouthWaitsCut: this.#speech.mouthWaitsCut,
    };
  }

  on<E extends keyof SessionEvents>(event: E, listener: (...args: SessionEvents[E]) => void): this {
    this.#events.on(event, listener as never);
    return this;
  }

  off<E extends keyof SessionEvents>(event: E, listener: (...args: SessionEvents[E]) => void): this {
    this.#events.off(event, listener as never);
    return this;
  }

  /**
   * Queues PCM_RATE (16 kHz) PCM16 mono to play after what is already queued. Throws QUEUE_FULL (nothing
   * queued) when more than the bound would wait (audio still on its way to the queue counts), EMPTY_AUDIO or
   * INVALID_AUDIO for empty or non-16 kHz audio. Sources at other rates go through LiveAvatar's entrance.
   */
  pushAudio(pcm: Int16Array, options: PushAudioOptions = {}): { segmentId: string; queuedMs: number } {
    this.#assertOpen();
    if (!(pcm instanceof Int16Array)) {
      throw new LiveError('INVALID_AUDIO', 'audio must be a non-empty Int16Array of PCM16 samples');
    }
    if (pcm.length === 0) {
      throw new LiveError('EMPTY_AUDIO', 'audio must be a non-empty Int16Array of PCM16 samples');
    }
    if ((options.sampleRate ?? PCM_RATE) !== PCM_RATE) {
      throw new LiveError('INVALID_AUDIO', `audio must be resampled to ${PCM_RATE} Hz first`);
    }
    const queue = this.#speech.queue;
    this.assertRoom(pcm.length);
    const segmentId = options.segmentId ?? this.#inputSegment ?? this.nextSegmentId();
    if (segmentId !== this.#inputSegment) {
      this.#inputSegment = segmentId;
      this.#push({ kind: 'segment-start', segmentId, hasMouth: options.keyframes !== undefined });
    }
    // Latency is stamped only on audio that can play at the next tick: audio queued behind earlier speech
    // waits for its turn at real time, which is playout, not pipeline delay.
    const arrivedAt = queue.isEmpty && this.#inFlightSamples === 0 ? this.clock.now() : undefined;
    this.#inFlightSamples += pcm.length;
    this.#push({ kind: 'audio', pcm, sampleRate: PCM_RATE, ptsMs: 0, segmentId, arrivedAt });
    if (options.keyframes) this.#push({ kind: 'mouth', keyframes: options.keyframes, segmentId });
    return { segmentId, queuedMs: this.queuedMs };
  }

  /** Throws QUEUE_FULL when `samples` more (at PCM_RATE) would pass the queue bound. */
  assertRoom(samples: number): void {
    this.#speech.queue.assertRoom(samples, this.#inFlightSamples);
  }

  /** A fresh segment id from the session's one segment counter. */
  nextSegmentId(): string {
    return `segment-${++this.#segmentCounter}`;
  }

  /** Speech waiting to play: queued, plus accepted audio that lip-sync still holds on its way to the queue. */
  get queuedMs(): number {
    return ((this.#speech.queue.queuedSamples + this.#inFlightSamples) * 1000) / PCM_RATE;
  }

  /** No more audio follows for this segment (default: the current one); it stops as soon as it has played. */
  endSegment(segmentId = this.#inputSegment): void {
    this.#assertOpen();
    if (segmentId === undefined) return;
    this.#push({ kind: 'segment-end', segmentId });
    if (segmentId === this.#inputSegment) this.#inputSegment = undefined;
  }

  /** Drops queued speech, aborts the turn's signal and sends the mouth back to rest. */
  interrupt(): void {
    if (this.#closing) return;
    this.#turn.abort(new LiveError('SESSION_ENDED', 'interrupted'));
    this.#turn = new AbortController();
    this.#inputSegment = undefined;
    this.#push({ kind: 'interrupt' });
    // The interrupt frame dropped every audio frame still on its way to the queue (system frames act at once).
    this.#inFlightSamples = 0;
  }

  /** How the face idles between turns; a no-op with an animator that has no idle states. */
  setIdleState(state: IdleState): void {
    if (this.#closing) return;
    this.#animator.setIdleState?.(state);
  }

  /** Resolves when nothing is queued or playing (and, rendering to a file, every frame has left). */
  whenIdle(): Promise<void> {
    if (!this.speaking && this.#speech.queue.isEmpty) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  close(): Promise<void> {
    this.#closing ??= this.#release();
    return this.#closing;
  }

  async #release(): Promise<void> {
    this.clock.stop();
    this.#head.push({ kind: 'end' });
    this.#turn.abort(new LiveError('SESSION_ENDED', 'session closed'));
    this.#lane.close();
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
    this.#events.removeAllListeners();
    await this.#ownedPool?.close();
  }

  #onTick(tick: Parameters<Parameters<MediaClock['start']>[0]>[0]): void | Promise<void> {
    this.#speech.tick(tick);
    if (!this.clock.realtime) {
      return this.#speech
        .whenCaughtUp()
        .then(() => Promise.all([this.#render.whenIdle(), this.#output.whenIdle()]))
        .then(() => undefined);
    }
  }

  /** Every attached sink takes media as it comes (see `Rephasable`), and there is one. */
  #rephasable(): boolean {
    const sinks = [...this.#videoSinks, ...this.#audioSinks];
    return liveDefaults.replyRephase && sinks.length > 0 && sinks.every((sink) => sink.rephasable === true);
  }

  #onStopped(event: SpeakingStopped): void {
    if (event.segmentId === this.#inputSegment) this.#inputSegment = undefined;
    this.#events.emit('speaking.stopped', event);
    if (this.#speech.queue.isEmpty) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  #push(frame: Frame): void {
    this.#head.push(frame);
  }

  #assertOpen(): void {
    if (this.#closing) throw new LiveError('SESSION_ENDED', 'the session is closed');
  }

  #reportError(error: unknown): void {
    if (this.#events.listenerCount('error') > 0) this.#events.emit('error', error);
  }
}
