/**
 * Releases video frames and 10 ms audio chunks at the wall-clock time their media-clock timestamps ask for.
 * libwebrtc stamps RTP (and so the receiver's lip sync) with the time a frame or chunk is handed to it, so
 * handing both over on one schedule is what keeps audio and video in sync, whether the pipeline pushes early,
 * on time, or a little late. Audio never stops: gaps are filled with silence so the receiver's audio clock
 * keeps running and speech can start on the very next 10 ms tick.
 */

export interface PacedVideo<F> {
  frame: F;
  ptsMs: number;
}

export interface PacerSink<F> {
  video(frame: F, ptsMs: number): void;
  /** Exactly one 10 ms chunk at the pacer's sample rate. */
  audio(samples: Int16Array): void;
}

export interface MediaPacerOptions<F> {
  sampleRate: number;
  sink: PacerSink<F>;
  /** Extra delay applied to both streams so that slightly late pushes still go out on schedule. */
  latencyMs?: number;
  /** Monotonic milliseconds; injectable for tests. */
  now?: () => number;
}

export interface PacerStats {
  videoSent: number;
  /** Frames replaced by a newer one before their turn came (the pusher ran ahead or the loop stalled). */
  videoDropped: number;
  audioSent: number;
  silenceSent: number;
  /** Times the media clock was re-anchored because a timestamp jumped. */
  rebases: number;
}

const TICK_MS = 10;
/** A timestamp this far from where the clock expects it means the pusher restarted its clock. */
const REBASE_LATE_MS = 1_000;
const REBASE_EARLY_MS = 5_000;
const MAX_CATCH_UP_CHUNKS = 50;

export class MediaPacer<F> {
  readonly stats: PacerStats = { videoSent: 0, videoDropped: 0, audioSent: 0, silenceSent: 0, rebases: 0 };
  private readonly chunkSamples: number;
  private readonly silence: Int16Array;
  private readonly latencyMs: number;
  private readonly now: () => number;
  private readonly sink: PacerSink<F>;
  private video: PacedVideo<F>[] = [];
  private audio: { samples: Int16Array; ptsMs: number }[] = [];
  /** wall = anchorWall + (pts - anchorPts) + latency. Null until the first push. */
  private anchorWall: number | null = null;
  private anchorPts = 0;
  private audioCursor = 0;
  private timer: NodeJS.Timeout | null = null;
  private nextTickAt = 0;
  private stopped = false;

  constructor(options: MediaPacerOptions<F>) {
    this.sink = options.sink;
    this.latencyMs = options.latencyMs ?? 20;
    this.now = options.now ?? (() => performance.now());
    this.chunkSamples = options.sampleRate / 100;
    if (!Number.isInteger(this.chunkSamples)) throw new Error('sample rate must be a multiple of 100 Hz');
    this.silence = new Int16Array(this.chunkSamples);
  }

  /** Media time that is due now (already minus the latency). */
  mediaNow(): number {
    if (this.anchorWall === null) return Number.NEGATIVE_INFINITY;
    return this.anchorPts + (this.now() - this.anchorWall) - this.latencyMs;
  }

  pushVideo(frame: F, ptsMs: number): void {
    if (this.stopped) return;
    this.anchor(ptsMs);
    this.video.push({ frame, ptsMs });
    this.tick();
  }

  /** `samples` must be exactly one 10 ms chunk at the pacer's sample rate. */
  pushAudio(samples: Int16Array, ptsMs: number): void {
    if (this.stopped) return;
    if (samples.length !== this.chunkSamples)
      throw new Error(`audio chunk must be ${this.chunkSamples} samples`);
    this.anchor(ptsMs);
    this.audio.push({ samples, ptsMs });
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.video = [];
    this.audio = [];
  }

  private anchor(ptsMs: number): void {
    const due = this.mediaNow();
    if (this.anchorWall !== null && ptsMs > due - REBASE_LATE_MS && ptsMs < due + REBASE_EARLY_MS) return;
    if (this.anchorWall !== null) this.stats.rebases++;
    // (Re)start the clock so that this timestamp is due after exactly the latency.
    this.anchorWall = this.now();
    this.anchorPts = ptsMs;
    this.audioCursor = ptsMs - this.latencyMs;
    this.video = [];
    this.audio = [];
    if (!this.timer) {
      this.nextTickAt = this.now();
      this.schedule();
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.nextTickAt += TICK_MS;
    // After a stall, tick from now on instead of firing every missed tick back to back.
    if (this.nextTickAt < this.now() - 5 * TICK_MS) this.nextTickAt = this.now();
    const delay = Math.max(0, this.nextTickAt - this.now());
    this.timer = setTimeout(() => {
      this.tick();
      this.schedule();
    }, delay);
  }

  private tick(): void {
    const due = this.mediaNow();
    this.releaseVideo(due);
    this.releaseAudio(due);
  }

  private releaseVideo(due: number): void {
    let latest: PacedVideo<F> | undefined;
    while (this.video.length > 0 && (this.video[0]?.ptsMs ?? Number.POSITIVE_INFINITY) <= due) {
      if (latest) this.stats.videoDropped++;
      latest = this.video.shift();
    }
    if (!latest) return;
    this.stats.videoSent++;
    this.sink.video(latest.frame, latest.ptsMs);
  }

  private releaseAudio(due: number): void {
    let sent = 0;
    while (this.audioCursor <= due && sent < MAX_CATCH_UP_CHUNKS) {
      const head = this.audio[0];
      // A chunk that starts before the end of this slot plays now; one that arrived late plays a little late
      // rather than being lost.
      if (head && head.ptsMs < this.audioCursor + TICK_MS) {
        this.audio.shift();
        this.stats.audioSent++;
        this.sink.audio(head.samples);
      } else {
        this.stats.silenceSent++;
        this.sink.audio(this.silence);
      }
      this.audioCursor += TICK_MS;
      sent++;
    }
    // After a long stall, skip the silence we owe rather than flooding the encoder.
    if (this.audioCursor <= due) this.audioCursor = due + TICK_MS;
  }
}
