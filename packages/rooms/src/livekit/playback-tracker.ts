/**
 * lk.playback_started / lk.playback_finished bookkeeping: exactly one finished per byte stream (segment), sent
 * once its audio has really left the audio track (not when the pipeline queued it), with the position that
 * played. Fed by the stream source (opened/pushed/closed) and by the pipeline's speaking events.
 */
import type { SpeakingStarted, SpeakingStopped } from '@agenthuman/engine';

export interface PlaybackFinished {
  /** Seconds of the segment's audio that played. */
  playback_position: number;
  interrupted: boolean;
}

export interface PlaybackTrackerOptions {
  /** Media-clock pts up to which audio has actually played out (the audio sink's view). */
  playedPtsMs: () => number | undefined;
  started: (segmentId: string) => void;
  finished: (segmentId: string, event: PlaybackFinished) => void;
  /** How long to wait for the audio track to catch up with the pipeline before reporting anyway. */
  maxWaitMs?: number;
  /**
   * A closed segment with nothing ahead of it that neither plays nor changes for this long (default 5 s) is
   * reported finished at what played: the agent's wait for playout must end even if audio the stream sent
   * never reaches the pipeline's speaking events. `onStuck` hears about it (the session's error event).
   */
  stuckMs?: number;
  onStuck?: (segmentId: string, event: PlaybackFinished & { unplayedMs: number }) => void;
}

interface Segment {
  id: string;
  pushedMs: number;
  closed: boolean;
  /** The stream broke before its end: whatever plays of it, it is reported interrupted. */
  broken: boolean;
  started: boolean;
  playing: boolean;
  /** pts where the part now playing began (a starved segment may play in several parts). */
  partStartPts: number;
  /** Audio of the parts that have stopped. */
  doneMs: number;
  finished: boolean;
  startedSent: Promise<void>;
  /** Date.now() of the segment's last event (audio pushed, stream closed, a part started or stopped). */
  activeAt: number;
  watched: boolean;
}

const FRAME_MS = 40;
const POLL_MS = 5;

export class PlaybackTracker {
  readonly #options: PlaybackTrackerOptions;
  readonly #segments = new Map<string, Segment>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;
  #reports: Promise<unknown> = Promise.resolve();

  constructor(options: PlaybackTrackerOptions) {
    this.#options = options;
  }

  /** Segments opened and not yet reported finished. */
  get pending(): number {
    return this.#segments.size;
  }

  opened(segmentId: string): void {
    this.#segments.set(segmentId, {
      id: segmentId,
      pushedMs: 0,
      closed: false,
      broken: false,
      started: false,
      playing: false,
      partStartPts: 0,
      doneMs: 0,
      finished: false,
      startedSent: Promise.resolve(),
      activeAt: Date.now(),
      watched: false,
    });
  }

  pushed(segmentId: string, durationMs: number): void {
    const segment = this.#segments.get(segmentId);
    if (!segment) return;
    segment.pushedMs += durationMs;
    segment.activeAt = Date.now();
  }

  /**
   * The byte stream ended: no more audio for this segment. `broken`: it ended without its trailer (the sender
   * left, or our full reconnect lost its tail), so the agent hears `interrupted` at the position that played.
   */
  closed(segmentId: string, broken = false): void {
    const segment = this.#segments.get(segmentId);
    if (!segment || segment.closed || segment.finished) return;
    segment.closed = true;
    segment.broken = broken;
    segment.activeAt = Date.now();
    if (!segment.playing) {
      if (!segment.started && segment.pushedMs === 0) this.#finish(segment, 0, broken, undefined);
      else if (segment.started && segment.doneMs + FRAME_MS >= segment.pushedMs)
        this.#finish(segment, segment.doneMs, broken, undefined);
    }
    if (!segment.finished) this.#watch(segment);
  }

  onSpeakingStarted(event: SpeakingStarted): void {
    const segment = this.#segments.get(event.segmentId);
    if (!segment || segment.finished) return;
    segment.playing = true;
    segment.partStartPts = event.ptsMs;
    segment.activeAt = Date.now();
    if (segment.started) return;
    segment.started = true;
    segment.startedSent = this.#whenPlayed(event.ptsMs).then(() => {
      if (!this.#closed) this.#options.started(segment.id);
    });
  }

  onSpeakingStopped(event: SpeakingStopped): void {
    const segment = this.#segments.get(event.segmentId);
    if (!segment || segment.finished || !segment.playing) return;
    segment.playing = false;
    segment.activeAt = Date.now();
    if (event.interrupted) {
      const played = clamp((this.#options.playedPtsMs() ?? 0) - segment.partStartPts, 0, event.playedMs);
      segment.doneMs += played;
      this.#finish(segment, segment.doneMs, true, undefined);
      return;
    }
    segment.doneMs += event.playedMs;
    // A stream that starved and stopped before it closed resumes as a new part when more audio comes.
    if (segment.closed && segment.doneMs + FRAME_MS >= segment.pushedMs)
      this.#finish(segment, segment.doneMs, segment.broken, event.ptsMs);
  }

  /**
   * lk.clear_buffer: every segment not yet reported ends, interrupted, at what has played of it. Call it before
   * the pipeline drops its queue (the played clock is still true then). The one playing is reported last: the
   * agent's wait_for_playout() answers with the last event, and that is the one with a real position.
   */
  interruptAll(): void {
    const open = [...this.#segments.values()].filter((segment) => !segment.finished);
    open.sort((a, b) => Number(a.playing) - Number(b.playing));
    for (const segment of open) {
      let played = segment.doneMs;
      if (segment.playing) played += Math.max(0, (this.#options.playedPtsMs() ?? 0) - segment.partStartPts);
      segment.playing = false;
      this.#finish(segment, played, true, undefined);
    }
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#segments.clear();
  }

  #finish(segment: Segment, playedMs: number, interrupted: boolean, endPts: number | undefined): void {
    segment.finished = true;
    const event = { playback_position: Math.round(playedMs) / 1000, interrupted };
    const played = endPts === undefined ? Promise.resolve() : this.#whenPlayed(endPts);
    const ready = Promise.all([played, segment.startedSent]);
    // Reported in the order they finished, whatever each one waits for.
    this.#reports = this.#reports
      .then(() => ready)
      .then(() => {
        this.#segments.delete(segment.id);
        if (!this.#closed) this.#options.finished(segment.id, event);
      });
  }

  /**
   * The backstop that makes every closed segment end in a report: checked every `stuckMs`, it finishes a segment
   * that is first in line, not playing, and has had no event for `stuckMs`. A segment queued behind another, or
   * playing, is left to its speaking events.
   */
  #watch(segment: Segment): void {
    if (segment.watched) return;
    segment.watched = true;
    const stuckMs = this.#options.stuckMs ?? 5000;
    const check = () => {
      if (this.#closed || segment.finished) return;
      const idleMs = Date.now() - segment.activeAt;
      if (!segment.playing && idleMs >= stuckMs && this.#firstUnfinished() === segment) {
        const event = { playback_position: Math.round(segment.doneMs) / 1000, interrupted: segment.broken };
        this.#options.onStuck?.(segment.id, {
          ...event,
          unplayedMs: Math.max(0, segment.pushedMs - segment.doneMs),
        });
        this.#finish(segment, segment.doneMs, segment.broken, undefined);
        return;
      }
      const timer = setTimeout(
        () => {
          this.#timers.delete(timer);
          check();
        },
        Math.max(POLL_MS, stuckMs - (segment.playing ? 0 : idleMs)),
      );
      this.#timers.add(timer);
    };
    check();
  }

  #firstUnfinished(): Segment | undefined {
    for (const segment of this.#segments.values()) if (!segment.finished) return segment;
    return undefined;
  }

  /** Resolves once the audio track has played up to `ptsMs` (bounded: a stalled track does not hang the agent). */
  #whenPlayed(ptsMs: number): Promise<void> {
    const deadline = Date.now() + (this.#options.maxWaitMs ?? 2000);
    return new Promise((resolve) => {
      const check = () => {
        const played = this.#options.playedPtsMs();
        if (this.#closed || (played !== undefined && played >= ptsMs) || Date.now() >= deadline) {
          resolve();
          return;
        }
        const timer = setTimeout(() => {
          this.#timers.delete(timer);
          check();
        }, POLL_MS);
        this.#timers.add(timer);
      };
      check();
    });
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
