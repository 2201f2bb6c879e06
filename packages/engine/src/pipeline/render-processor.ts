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
  #stats: RenderStats = {
    rendered: 0,
    dropped: 0,
    droppedBusy: 0,
    droppedBehind: 0,
    droppedStale: 0,
    droppedSpeaking: 0,
    renderMsTotal: 0,
    renderMsMax: 0,
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
    return { ...this.#stats };
  }

  protected process(frame: Frame): void | Promise<void> {
    if (frame.kind !== 'params') {
      this.emit(frame);
      return;
    }
    const maxInFlight = this.#maxInFlight + (this.#isAhead(frame.ptsMs) ? 1 : 0);
    if (!this.#wait) {
      const busy = this.#inFlight >= maxInFlight;
      if (busy || this.#isBehind(frame.ptsMs)) {
        this.#stats.dropped++;
        if (busy) this.#stats.droppedBusy++;
        else this.#stats.droppedBehind++;
        if (frame.speaking) this.#stats.droppedSpeaking++;
        return;
      }
    }
    const rendering = this.#render(frame);
    return this.#wait ? rendering : undefined;
  }

  protected override pendingWork(): number {
    return this.#inFlight;
  }

  protected override onSystem(frame: Frame): void {
    if (frame.kind === 'end') this.#ended = true;
  }

  async #render(frame: ParamsFrame): Promise<void> {
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
        this.#stats.dropped++;
        this.#stats.droppedStale++;
        if (frame.speaking) this.#stats.droppedSpeaking++;
        return;
      }
      const { frame: video, renderMs } = rendered;
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
