/** @module The end of the pipeline: writes audio and video to the sinks and measures what arrives late. */
import type { Frame, FrameTiming } from './frames.js';
import { systemTime, type TimeSource } from './media-clock.js';
import type { AudioSink, VideoSink } from './ports.js';
import { FrameProcessor } from './processor.js';
import { shareFrame } from './shared-frame.js';

export interface OutputProcessorOptions {
  videoSinks: VideoSink[];
  audioSinks: AudioSink[];
  now: () => number;
  /**
   * When the frame with this pts is due: audio and video that come before it (a tick run early) wait until then,
   * and a frame leaving more than `maxLatenessMs` later counts as late.
   */
  dueTimeOf?: (ptsMs: number) => number;
  maxLatenessMs: number;
  /** Timers on the clock's time source, for what waits for its due time (default: the system's). */
  time?: Pick<TimeSource, 'setTimeout' | 'clearTimeout'>;
}

/** Below this a frame ahead of its due time goes at once (a timer is no more precise). */
const MIN_HOLD_MS = 1;

interface Held {
  due: number;
  write: () => void | Promise<void>;
  /** What dropping it unwritten must release (a video frame's buffer). */
  drop?: () => void;
}

export interface OutputStats {
  videoFrames: number;
  audioFrames: number;
  lateFrames: number;
  /**
   * Per audio chunk that arrived with nothing queued ahead of it: chunk entering the pipeline → the first video
   * frame carrying it leaving the renderer.
   */
  audioToFrameMs: number[];
  /** The same samples split by stage (FrameTiming), in the same order. */
  audioToFrameStagesMs: Record<LatencyStage, number[]>;
  /**
   * The same frames' pts and their audio's arrival (clock time), in the same order: a sink further on (one
   * that holds frames for A/V alignment) can tell when each really left.
   */
  audioToFrameFrames: { ptsMs: number; arrivedAt: number }[];
}

/**
 * arrival → complete: the frame's audio waits for the rest of its 40 ms (the source's pacing); complete → due:
 * it waits for its tick (up to a frame); due → tick: the
 * event loop ran the tick late; tick → played: the frame waited for its lip-sync keyframe; played → sent:
 * the animator; sent → received − render: the render request queued at its worker (behind other sessions'
 * frames and lip-sync) and travelled; render: drawing; received → out: the outputs took it (a frame whose tick
 * ran early waits there for its due time). A tick run early (MediaClock.runNextEarly) makes due → tick negative.
 */
export const LATENCY_STAGES = [
  'arrivalToComplete',
  'completeToDue',
  'dueToTick',
  'tickToPlayed',
  'playedToSent',
  'workerQueue',
  'render',
  'receivedToOut',
] as const;
export type LatencyStage = (typeof LATENCY_STAGES)[number];

function stagesOf(t: FrameTiming, outAt: number): Record<LatencyStage, number> | undefined {
  if (t.sentAt === undefined || t.receivedAt === undefined || t.renderMs === undefined) return undefined;
  return {
    arrivalToComplete: t.completeAt - t.arrivedAt,
    completeToDue: t.dueAt - t.completeAt,
    dueToTick: t.tickAt - t.dueAt,
    tickToPlayed: t.playedAt - t.tickAt,
    playedToSent: t.sentAt - t.playedAt,
    workerQueue: t.receivedAt - t.sentAt - t.renderMs,
    render: t.renderMs,
    receivedToOut: outAt - t.receivedAt,
  };
}

const LATENCY_SAMPLES_KEPT = 1000;

export class OutputProcessor extends FrameProcessor {
  readonly name = 'output';
  readonly #options: OutputProcessorOptions;
  #lastArrival: number | undefined;
  /** Audio and video of ticks run early, each in pts order, until their due time. */
  readonly #held: Record<'audio' | 'video', Held[]> = { audio: [], video: [] };
  readonly #timers: Record<'audio' | 'video', unknown> = { audio: undefined, video: undefined };
  #stats: OutputStats = {
    videoFrames: 0,
    audioFrames: 0,
    lateFrames: 0,
    audioToFrameMs: [],
    audioToFrameFrames: [],
    audioToFrameStagesMs: Object.fromEntries(LATENCY_STAGES.map((s) => [s, [] as number[]])) as Record<
      LatencyStage,
      number[]
    >,
  };

  constructor(options: OutputProcessorOptions) {
    super();
    this.#options = options;
  }

  get stats(): OutputStats {
    const stages = this.#stats.audioToFrameStagesMs;
    return {
      ...this.#stats,
      audioToFrameMs: [...this.#stats.audioToFrameMs],
      audioToFrameFrames: [...this.#stats.audioToFrameFrames],
      audioToFrameStagesMs: Object.fromEntries(LATENCY_STAGES.map((s) => [s, [...stages[s]]])) as Record<
        LatencyStage,
        number[]
      >,
    };
  }

  protected process(frame: Frame): void | Promise<void> {
    if (frame.kind === 'audio') {
      this.#stats.audioFrames++;
      const chunk = {
        pcm: frame.pcm,
        sampleRate: frame.sampleRate,
        ptsMs: frame.ptsMs,
        ...(frame.segmentId === undefined ? { idle: true } : {}),
      };
      return this.#atDue('audio', frame.ptsMs, {
        write: () => settle(this.#options.audioSinks.map((sink) => sink.writeAudio(chunk))),
      });
    }
    if (frame.kind === 'video')
      return this.#atDue('video', frame.frame.ptsMs, {
        write: () => this.#writeVideo(frame),
        drop: () => frame.frame.recycle?.(),
      });
  }

  protected override pendingWork(): number {
    return this.#held.audio.length + this.#held.video.length;
  }

  protected override onSystem(frame: Frame): void {
    // Audio not yet due when speech is cut is dropped unplayed, as the sinks drop what they queued; frames stay
    // (the picture goes on). At the end nothing more is written.
    this.#drop('audio');
    if (frame.kind === 'end') this.#drop('video');
    if (frame.kind === 'interrupt') for (const sink of this.#options.audioSinks) sink.clearAudio?.();
  }

  /**
   * Writes now, or at the pts' due time when that is still ahead (a tick run early): the sinks are paced by the
   * media clock alone, so a frame rendered ahead must not leave ahead. Audio and video each keep their order.
   */
  #atDue(kind: 'audio' | 'video', ptsMs: number, item: Omit<Held, 'due'>): void | Promise<void> {
    const held = this.#held[kind];
    const due = this.#options.dueTimeOf?.(ptsMs);
    if (held.length === 0 && (due === undefined || due - this.#options.now() < MIN_HOLD_MS))
      return item.write();
    held.push({ ...item, due: due ?? Number.NEGATIVE_INFINITY });
    if (held.length === 1) this.#arm(kind);
  }

  #arm(kind: 'audio' | 'video'): void {
    const next = this.#held[kind][0];
    if (!next) return;
    const time = this.#options.time ?? systemTime;
    this.#timers[kind] = time.setTimeout(
      () => {
        this.#timers[kind] = undefined;
        this.#release(kind);
      },
      Math.max(0, next.due - this.#options.now()),
    );
  }

  #release(kind: 'audio' | 'video'): void {
    const held = this.#held[kind];
    while (held.length > 0 && held[0]!.due - this.#options.now() < MIN_HOLD_MS) {
      const result = held.shift()!.write();
      if (result instanceof Promise) result.catch((error: unknown) => this.report(error));
    }
    this.#arm(kind);
    this.notifyIdle();
  }

  #drop(kind: 'audio' | 'video'): void {
    const timer = this.#timers[kind];
    if (timer !== undefined) (this.#options.time ?? systemTime).clearTimeout(timer);
    this.#timers[kind] = undefined;
    for (const item of this.#held[kind].splice(0)) item.drop?.();
  }

  #writeVideo(frame: Extract<Frame, { kind: 'video' }>): void | Promise<void> {
    const now = this.#options.now();
    this.#stats.videoFrames++;
    const due = this.#options.dueTimeOf?.(frame.frame.ptsMs);
    if (due !== undefined && now - due > this.#options.maxLatenessMs) this.#stats.lateFrames++;
    if (frame.audioArrivedAt !== undefined && frame.audioArrivedAt !== this.#lastArrival) {
      this.#lastArrival = frame.audioArrivedAt;
      const samples = this.#stats.audioToFrameMs;
      samples.push(now - frame.audioArrivedAt);
      if (samples.length > LATENCY_SAMPLES_KEPT) samples.shift();
      const frames = this.#stats.audioToFrameFrames;
      frames.push({ ptsMs: frame.frame.ptsMs, arrivedAt: frame.audioArrivedAt });
      if (frames.length > LATENCY_SAMPLES_KEPT) frames.shift();
      const split = frame.timing && stagesOf(frame.timing, now);
      if (split)
        for (const stage of LATENCY_STAGES) {
          const kept = this.#stats.audioToFrameStagesMs[stage];
          kept.push(split[stage]);
          if (kept.length > LATENCY_SAMPLES_KEPT) kept.shift();
        }
    }
    const sinks = [...this.#options.videoSinks];
    // Each sink releases its hold; the buffer goes back to the renderer after the last one did.
    const views = shareFrame(frame.frame, sinks.length);
    return settle(sinks.map((sink, i) => sink.writeVideo(views[i]!)));
  }
}

function settle(results: (void | Promise<void>)[]): void | Promise<void> {
  const pending = results.filter((result): result is Promise<void> => result instanceof Promise);
  if (pending.length > 0) return Promise.all(pending).then(() => undefined);
}
