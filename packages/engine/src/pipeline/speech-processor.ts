/** @module Holds queued speech and plays one 40 ms frame per clock tick: audio plus its mouth target. */
import type { Frame, FrameTiming } from './frames.js';
import { FRAME_MS, SAMPLES_PER_FRAME, type Tick } from './media-clock.js';
import { FrameProcessor } from './processor.js';
import { type SpeechFrame, SpeechQueue, type SpeechQueueOptions } from './speech-queue.js';

export interface SpeakingStarted {
  segmentId: string;
  ptsMs: number;
}

export interface SpeakingStopped {
  segmentId: string;
  ptsMs: number;
  interrupted: boolean;
  /** Audio of the segment that reached the outputs. */
  playedMs: number;
}

export interface SpeechProcessorOptions extends SpeechQueueOptions {
  /**
   * How long an open segment may starve (no audio queued, no end marker) before it counts as finished. Chunked
   * input (WS agent.speak) never sends an end, so this is what ends its speech.
   */
  hangoverMs?: number;
  /** Audio samples that reached the queue (the pipeline counts what is still on its way). */
  onQueued?: (samples: number) => void;
  onStarted?: (event: SpeakingStarted) => void;
  onStopped?: (event: SpeakingStopped) => void;
  /**
   * Lip-sync on another thread: resolves once the analysis of the audio frame `index` of the segment needs has
   * come back (or all that arrived so far), undefined when none is outstanding. A frame with no keyframe yet
   * waits for that.
   */
  mouthPending?: (segmentId: string, index: number) => Promise<void> | undefined;
  /**
   * Live: the longest a frame waits for its keyframe before it plays without one (a worker busy building a
   * new session's rig must not stall this session's audio). Unbounded when rendering to a file.
   */
  maxMouthWaitMs?: number;
  /** The session clock's time, for the latency breakdown (FrameTiming). */
  now?: () => number;
  /**
   * Speech is ready to play after a tick that had none (a reply's start, or audio after a starved stretch): two
   * whole frames, or one of an ended segment, so lip-sync has its look-ahead. The pipeline runs the next tick at
   * once rather than letting the frame wait up to 40 ms for the grid. `replyStart`: no segment is speaking (a
   * reply's first frame, not speech after a starved stretch inside one).
   */
  onReady?: (replyStart: boolean) => void;
}

const SILENCE = new Int16Array(SAMPLES_PER_FRAME);

/**
 * Input side (push): segment-start/audio/mouth/segment-end frames fill the queue. Clock side (tick): one audio
 * frame (speech, or silence while idle) and one mouth frame per tick, restamped on the media clock. Every tick
 * produces both so the outputs get continuous audio and the animator runs every frame.
 */
export class SpeechProcessor extends FrameProcessor {
  readonly name = 'speech-queue';
  readonly queue: SpeechQueue;
  #hangoverMs: number;
  #speaking: { segmentId: string; playedFrames: number } | undefined;
  #starvedMs = 0;
  readonly #onQueued: ((samples: number) => void) | undefined;
  readonly #onStarted: ((event: SpeakingStarted) => void) | undefined;
  readonly #onStopped: ((event: SpeakingStopped) => void) | undefined;
  readonly #mouthPending: ((segmentId: string, index: number) => Promise<void> | undefined) | undefined;
  readonly #maxMouthWaitMs: number | undefined;
  /** Frames that played without waiting the whole way for their keyframe (maxMouthWaitMs ran out). */
  mouthWaitsCut = 0;
  readonly #now: () => number;
  readonly #onReady: ((replyStart: boolean) => void) | undefined;
  /** The last tick played no speech frame: the next one that becomes ready is worth a tick of its own. */
  #starved = true;
  /**
   * A frame whose audio has gone on while its mouth waits for the keyframe from the lip-sync thread, and the
   * ticks that came meanwhile (in order).
   */
  #waiting: { tick: Tick; frame: SpeechFrame; timing: FrameTiming | undefined; later: Tick[] } | undefined;
  #caughtUp: (() => void)[] = [];
  /**
   * After a wait ran out, the answer it waited for: until it comes, frames play without waiting. A worker that
   * far behind (descheduled on a full machine) would otherwise hold every tick for the whole cap in turn, and
   * the lateness would build up into dropped frames; one capped wait per backlog is enough.
   */
  #lagging: Promise<void> | undefined;

  constructor(options: SpeechProcessorOptions = {}) {
    super();
    this.queue = new SpeechQueue(options);
    this.#hangoverMs = options.hangoverMs ?? 200;
    this.#onQueued = options.onQueued;
    this.#onStarted = options.onStarted;
    this.#onStopped = options.onStopped;
    this.#mouthPending = options.mouthPending;
    this.#maxMouthWaitMs = options.maxMouthWaitMs;
    this.#now = options.now ?? (() => performance.now());
    this.#onReady = options.onReady;
  }

  /** Resolves when no tick is waiting for a keyframe (rendering to a file runs the next tick after that). */
  whenCaughtUp(): Promise<void> {
    if (!this.#waiting) return Promise.resolve();
    return new Promise((resolve) => this.#caughtUp.push(resolve));
  }

  get speakingSegmentId(): string | undefined {
    return this.#speaking?.segmentId;
  }

  protected process(frame: Frame): void {
    switch (frame.kind) {
      case 'audio':
        if (frame.segmentId !== undefined) {
          // Counted as arrived even if refused, so the pipeline's in-flight figure cannot drift.
          this.#onQueued?.(frame.pcm.length);
          this.queue.enqueue(frame.segmentId, frame.pcm, frame.arrivedAt, this.#now());
          this.#checkReady();
        }
        return;
      case 'mouth':
        if (frame.segmentId !== undefined) this.queue.setMouth(frame.segmentId, frame.keyframes);
        return;
      case 'segment-end':
        this.queue.endSegment(frame.segmentId);
        this.#checkReady();
        return;
      case 'settings':
        if (frame.settings.hangoverMs !== undefined) this.#hangoverMs = frame.settings.hangoverMs;
        return;
      case 'segment-start':
        return;
      default:
        // Frames from elsewhere in the pipeline (params, video, text) are not the queue's business.
        this.emit(frame);
    }
  }

  protected override onSystem(frame: Frame): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    // The waiting frame was due before the interrupt: its mouth goes out as it is, ahead of it (its audio already
    // has); the ticks after it play after the interrupt has passed downstream (silence, the mouth easing to rest).
    if (waiting && frame.kind === 'interrupt') this.#emitMouth(waiting.tick, waiting.frame);
    this.queue.clear();
    this.#starved = true;
    this.#stop(this.#lastPts, true);
    if (waiting && frame.kind === 'interrupt') queueMicrotask(() => this.#resume(waiting.later));
    else this.#resume([]);
  }

  #lastPts = 0;

  #checkReady(): void {
    if (!this.#starved || this.#waiting || !this.#onReady) return;
    const { frames, ended } = this.queue.ready;
    if (frames < 2 && !(frames >= 1 && ended)) return;
    this.#starved = false;
    this.#onReady(this.#speaking === undefined);
  }

  /** Plays the frame due at this tick (after any tick still waiting for its keyframe). */
  tick(tick: Tick): void {
    if (this.#waiting) {
      this.#waiting.later.push(tick);
      return;
    }
    this.#play(tick);
  }

  #play(tick: Tick): void {
    this.#lastPts = tick.ptsMs;
    const starving = this.#speaking !== undefined && this.#starvedMs >= this.#hangoverMs;
    const next = this.queue.shift({ flushPartial: starving });
    this.#starved = next === undefined;
    if (next) {
      if (this.#speaking && this.#speaking.segmentId !== next.segmentId) this.#stop(tick.ptsMs, false);
      if (!this.#speaking) {
        this.#speaking = { segmentId: next.segmentId, playedFrames: 0 };
        this.#onStarted?.({ segmentId: next.segmentId, ptsMs: tick.ptsMs });
      }
      this.#speaking.playedFrames++;
      this.#starvedMs = 0;
      const tickAt = this.#now();
      const pending =
        next.mouth || this.#lagging ? undefined : this.#mouthPending?.(next.segmentId, next.index);
      const timing = this.#emitAudio(tick, tickAt, next);
      if (pending) {
        // Only the mouth waits: the audio has gone on, and the frame catches up with it at the outputs' A/V
        // alignment (a LiveKit frame is held until its audio has left plus 40 ms anyway).
        this.#waiting = { tick, frame: next, timing, later: [] };
        this.#await(pending);
        return;
      }
      this.#emitMouth(tick, next);
      return;
    }
    if (this.#speaking) {
      if (this.queue.headSegmentDone) {
        this.queue.dropDoneHead();
        this.#stop(tick.ptsMs, false);
      } else if (this.#starvedMs >= this.#hangoverMs) {
        // Starved past the hangover with nothing left to flush: the open segment is over.
        this.queue.endSegment(this.#speaking.segmentId);
        this.queue.dropDoneHead();
        this.#stop(tick.ptsMs, false);
      } else this.#starvedMs += FRAME_MS;
    }
    // Silence inside a starving segment still belongs to it; idle silence belongs to no segment.
    const segmentId = this.#speaking?.segmentId;
    this.emit({ kind: 'audio', pcm: SILENCE, sampleRate: 16000, ptsMs: tick.ptsMs, segmentId });
    this.emit({ kind: 'mouth', keyframes: [], segmentId });
  }

  /** The frame's audio; returns its timing, whose `playedAt` a keyframe wait moves on (the mouth's release). */
  #emitAudio(tick: Tick, tickAt: number, next: SpeechFrame): FrameTiming | undefined {
    const { arrivedAt } = next;
    const timing: FrameTiming | undefined =
      arrivedAt === undefined
        ? undefined
        : {
            arrivedAt,
            completeAt: next.completeAt ?? arrivedAt,
            dueAt: tick.dueAt,
            tickAt,
            playedAt: this.#now(),
          };
    this.emit({
      kind: 'audio',
      pcm: next.pcm,
      sampleRate: 16000,
      ptsMs: tick.ptsMs,
      segmentId: next.segmentId,
      arrivedAt,
      ...(timing ? { timing } : {}),
    });
    return timing;
  }

  #emitMouth(tick: Tick, next: SpeechFrame): void {
    const keyframes = next.mouth ? [{ ...next.mouth, ptsMs: tick.ptsMs }] : [];
    this.emit({ kind: 'mouth', keyframes, segmentId: next.segmentId });
  }

  #await(pending: Promise<void>): void {
    const waiting = this.#waiting!;
    let timer: NodeJS.Timeout | undefined;
    const limit = this.#maxMouthWaitMs;
    const cut =
      limit === undefined
        ? undefined
        : new Promise<void>((resolve) => {
            timer = setTimeout(() => {
              if (this.#waiting === waiting) {
                this.mouthWaitsCut++;
                this.#lagging = pending;
                void pending.then(() => {
                  if (this.#lagging === pending) this.#lagging = undefined;
                });
              }
              resolve();
            }, limit);
          });
    void (cut ? Promise.race([pending, cut]) : pending).then(() => {
      clearTimeout(timer);
      // An interrupt or end let this frame go already.
      if (this.#waiting !== waiting) return;
      const { frame } = waiting;
      // Without it now, the frame plays as it would have with lip-sync here: its keyframe needs later audio.
      frame.mouth = this.queue.takeMouth(frame.segmentId, frame.index);
      this.#waiting = undefined;
      // The same object the audio frame carried on: the animator reads it with the mouth frame, after this.
      if (waiting.timing) waiting.timing.playedAt = this.#now();
      this.#emitMouth(waiting.tick, frame);
      this.#resume(waiting.later);
    });
  }

  /** Plays ticks that waited behind a keyframe, in order, until one has to wait again. */
  #resume(ticks: Tick[]): void {
    for (const [i, tick] of ticks.entries()) {
      if (this.#waiting) {
        this.#waiting.later.push(...ticks.slice(i));
        return;
      }
      this.#play(tick);
    }
    if (!this.#waiting) for (const resolve of this.#caughtUp.splice(0)) resolve();
  }

  #stop(ptsMs: number, interrupted: boolean): void {
    const speaking = this.#speaking;
    if (!speaking) return;
    this.#speaking = undefined;
    this.#starvedMs = 0;
    this.#onStopped?.({
      segmentId: speaking.segmentId,
      ptsMs,
      interrupted,
      playedMs: speaking.playedFrames * FRAME_MS,
    });
  }
}
