/** @module Sends each tick's face parameters to the session's render lane and passes the frames on. */
import type { RenderLane } from '../workers/render-lane.js';
import type { Frame, ParamsFrame } from './frames.js';
import { FrameProcessor } from './processor.js';

export interface RenderProcessorOptions {
  lane: RenderLane;
  /**
   * Live: requests allowed in flight before a frame is dropped instead of queued, so a slow renderer costs
   * frames, not latency. Ignored when `waitForRender` is set.
   */
  maxInFlight?: number;
  /** Rendering to a file: every frame is rendered, the pipeline waits for each. */
  waitForRender?: boolean;
  /** True when a frame with this pts is already stale (the clock has moved past it while catching up). */
  isBehind?: (ptsMs: number) => boolean;
  /**
   * True when a frame with this pts is not due yet (its tick ran early): it may wait behind one more request,
   * having that frame of time in hand; otherwise a reply's first frame would be the one dropped.
   */
  isAhead?: (ptsMs: number) => boolean;
  /** The session clock's time, for the latency breakdown (FrameTiming). */
  now?: () => number;
  /**
   * Live: when a frame is due at the outputs, absolute ms (performance.timeOrigin + now), so the worker draws
   * the frames of all its sessions earliest deadline first.
   */
  deadlineOf?: (ptsMs: number) => number;
  /**
   * Live: past when (absolute ms) the frame with this pts is not worth drawing. The worker skips it if it only
   * gets to it then, so requests may queue there (up to `maxInFlight`) and a frame is dropped for its own
   * lateness, not because the two before it have not come back yet.
   */
  skipAfterOf?: (ptsMs: number) => number;
}

/** How a reply's first frames rendered (worker time): the frames a cold worker or a head blend makes slow. */
export interface ReplyRenders {
  /** The pts of the reply's first speech frame (sent or dropped). */
  startPtsMs: number;
  /** Render time of its first drawn speech frame, ms. */
  firstRenderMs: number | null;
  /** Render time of its first `REPLY_START_FRAMES` drawn speech frames together, ms. */
  startRenderMs: number;
  /** Of those, how many were drawn. */
  startFrames: number;
}

/** One dropped frame, for telling drops at a reply's start from others. */
export interface FrameDrop {
  ptsMs: number;
  cause: 'busy' | 'behind' | 'stale';
  speaking: boolean;
}

/** A reply's start: its first frames, where the head blends off the idle loop (drawn uncached). */
export const REPLY_START_FRAMES = 8;
/** The latest replies and drops kept in the stats (a bounded window, for benchmarks). */
const KEEP_REPLIES = 16;
const KEEP_DROPS = 64;

export interface RenderStats {
  rendered: number;
  dropped: number;
  /**
   * Of `dropped`, by cause: `busy` found the session's requests in flight at the cap (the worker is behind),
   * `behind` reached the renderer already past `maxLatenessMs` (its tick ran late: the event loop stalled, or it
   * waited behind a keyframe), `stale` was queued at the worker past its `skipAfterOf`. `droppedSpeaking` counts the drops of frames that showed speech.
   */
  droppedBusy: number;
  droppedBehind: number;
  droppedStale: number;
  droppedSpeaking: number;
  renderMsTotal: number;
  renderMsMax: number;
  /** The latest replies' first renders (at most 16). */
  replies: ReplyRenders[];
  /** The latest dropped frames (at most 64). */
  drops: FrameDrop[];
}

export class RenderProcessor extends FrameProcessor {
  readonly name = 'render';
  readonly #lane: RenderLane;
  readonly #maxInFlight: number;
  readonly #wait: boolean;
  readonly #isBehind: (ptsMs: number) => boolean;
  readonly #isAhead: (ptsMs: number) => boolean;
  readonly #now: () => number;
  readonly #deadlineOf: ((ptsMs: number) => number) | undefined;
  readonly #skipAfterOf: ((ptsMs: number) => number) | undefined;
  #inFlight = 0;
  #ended = false;
  /** Whether the last frame seen (sent or dropped) showed speech: the next speech frame after one that did not starts a reply. */
  #lastSpeaking = false;
  #stats: RenderStats = {
    rendered: 0,
    dropped: 0,
    droppedBusy: 0,
    droppedBehind: 0,
    droppedStale: 0,
    droppedSpeaking: 0,
    renderMsTotal: 0,
    renderMsMax: 0,
    replies: [],
    drops: [],
  };

  constructor(options: RenderProcessorOptions) {
    super();
    this.#lane = options.lane;
    this.#maxInFlight = options.maxInFlight ?? 2;
    this.#wait = options.waitForRender ?? false;
    this.#isBehind = options.isBehind ?? (() => false);
    this.#isAhead = options.isAhead ?? (() => false);
    this.#now = options.now ?? (() => performance.now());
    this.#deadlineOf = options.deadlineOf;
    this.#skipAfterOf = options.skipAfterOf;
  }

  get stats(): RenderStats {
    return {
      ...this.#stats,
      replies: this.#stats.replies.map((reply) => ({ ...reply })),
      drops: [...this.#stats.drops],
    };
  }

  protected process(frame: Frame): void | Promise<void> {
    if (frame.kind !== 'params') {
      this.emit(frame);
      return;
    }
    const speaking = !!frame.speaking;
    const reply = speaking ? this.#replyOf(frame.ptsMs) : undefined;
    this.#lastSpeaking = speaking;
    const maxInFlight = this.#maxInFlight + (this.#isAhead(frame.ptsMs) ? 1 : 0);
    if (!this.#wait) {
      const busy = this.#inFlight >= maxInFlight;
      if (busy || this.#isBehind(frame.ptsMs)) {
        this.#dropped(frame, busy ? 'busy' : 'behind');
        return;
      }
    }
    const rendering = this.#render(frame, reply);
    return this.#wait ? rendering : undefined;
  }

  /** The reply this speech frame belongs to (a new one when the frame before showed none). */
  #replyOf(ptsMs: number): ReplyRenders {
    const replies = this.#stats.replies;
    if (!this.#lastSpeaking || replies.length === 0) {
      replies.push({ startPtsMs: ptsMs, firstRenderMs: null, startRenderMs: 0, startFrames: 0 });
      if (replies.length > KEEP_REPLIES) replies.shift();
    }
    return replies[replies.length - 1]!;
  }

  #dropped(frame: ParamsFrame, cause: FrameDrop['cause']): void {
    const stats = this.#stats;
    stats.dropped++;
    if (cause === 'busy') stats.droppedBusy++;
    else if (cause === 'behind') stats.droppedBehind++;
    else stats.droppedStale++;
    if (frame.speaking) stats.droppedSpeaking++;
    stats.drops.push({ ptsMs: frame.ptsMs, cause, speaking: !!frame.speaking });
    if (stats.drops.length > KEEP_DROPS) stats.drops.shift();
  }

  protected override pendingWork(): number {
    return this.#inFlight;
  }

  protected override onSystem(frame: Frame): void {
    if (frame.kind === 'end') this.#ended = true;
  }

  async #render(frame: ParamsFrame, reply: ReplyRenders | undefined): Promise<void> {
    this.#inFlight++;
    try {
      const sentAt = frame.timing && this.#now();
      const rendered = await this.#lane.render(
        frame.params,
        frame.ptsMs,
        frame.speaking,
        this.#deadlineOf?.(frame.ptsMs),
        this.#skipAfterOf?.(frame.ptsMs),
      );
      if (!rendered) {
        this.#dropped(frame, 'stale');
        return;
      }
      const { frame: video, renderMs } = rendered;
      if (reply && reply.startFrames < REPLY_START_FRAMES) {
        reply.firstRenderMs ??= renderMs;
        reply.startRenderMs += renderMs;
        reply.startFrames++;
      }
      const timing = frame.timing && { ...frame.timing, sentAt, receivedAt: this.#now(), renderMs };
      this.#stats.rendered++;
      this.#stats.renderMsTotal += renderMs;
      this.#stats.renderMsMax = Math.max(this.#stats.renderMsMax, renderMs);
      if (!this.#ended)
        this.emit({
          kind: 'video',
          frame: video,
          audioArrivedAt: frame.audioArrivedAt,
          ...(timing ? { timing } : {}),
        });
    } catch (error) {
      if (!this.#ended) this.report(error);
    } finally {
      this.#inFlight--;
      this.notifyIdle();
    }
  }
}
