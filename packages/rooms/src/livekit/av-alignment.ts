/**
 * Audio and video of one pts leave for the room together. The pipeline hands a tick's audio and its frame to
 * the sinks at about the same moment, but they do not leave rtc-node together: a frame goes to the encoder at
 * once, while audio waits behind what rtc-node's AudioSource already holds (it plays 10 ms every 10 ms, and the
 * sink keeps up to `maxIdleLagMs` there as a cushion against event-loop jitter: without it every late tick
 * would be a gap of silence mid-word). Measured at a subscriber (bench:livekit-av) that cushion was 30–55 ms of
 * audio lag on every segment. A subscriber cannot take it out: libwebrtc stamps audio when it leaves the queue
 * and video when it is captured, so even one that synchronises a participant's tracks lines up those stamps.
 *
 * So each frame is held until the audio of its pts leaves the queue (from the audio sink's own estimate of
 * what it holds) and `videoDelayMs` more, never longer than `maxHoldMs`. Frames the renderer delivers later
 * than that go at once: audio is never delayed here.
 */
import type { AudioChunk, AudioSink, VideoFrame, VideoSink } from '@agenthuman/engine';

/** What the alignment needs of the audio sink: how much audio is still queued ahead of the next write. */
export interface QueuedAudio extends AudioSink {
  readonly queuedMs: number;
  /** Idle silence the sink skipped or dropped so far (ms): LiveKitAudioSink's count. */
  readonly skippedIdleMs?: number;
}

export interface AlignedSinksOptions {
  /** Longest a frame is held (default 120 ms: the audio sink's idle cushion and videoDelayMs, with room). */
  maxHoldMs?: number;
  /**
   * Held this much longer than its audio (default 40 ms). A subscriber's audio path always adds more than its
   * video path: the first sample of an Opus packet waits for its 20 ms frame to fill, NetEq holds at least one
   * packet, and an audio device plays after it pulls. Every subscriber measured (rtc-node, chromium, rooms with
   * and without `sync_streams`) played audio 40–150 ms after the frame of the same pts with frames sent as their
   * audio left; 40 ms is the part any subscriber adds.
   */
  videoDelayMs?: number;
  /** Below this a frame goes at once (a timer would cost more than it aligns). */
  minHoldMs?: number;
  now?: () => number;
}

export class AlignedSinks {
  readonly audio: AudioSink;
  readonly video: VideoSink;
  /** Frames held, and for how long in all (ms): for tests and benchmarks. */
  held = 0;
  heldMsTotal = 0;
  readonly #maxHoldMs: number;
  readonly #minHoldMs: number;
  readonly #videoDelayMs: number;
  readonly #now: () => number;
  /** The last audio chunk written: its pts and when its first sample leaves the queue (`now()` ms). */
  #anchor: { ptsMs: number; leavesAt: number } | undefined;
  readonly #timers = new Set<{ timer: NodeJS.Timeout; frame: VideoFrame }>();
  readonly #video: VideoSink;
  #closed = false;

  constructor(audio: QueuedAudio, video: VideoSink, options: AlignedSinksOptions = {}) {
    this.#maxHoldMs = options.maxHoldMs ?? 120;
    this.#minHoldMs = options.minHoldMs ?? 3;
    this.#videoDelayMs = options.videoDelayMs ?? 40;
    this.#now = options.now ?? (() => performance.now());
    // rtc-node stamps audio as it leaves its queue and maps video pts to its own clock (libwebrtc's timestamp
    // aligner), and this holds frames from the audio's actual times: the media clock may move its grid.
    this.audio = {
      rephasable: true,
      writeAudio: (chunk: AudioChunk) => {
        // Read before the write: the chunk's first sample leaves after what is queued now. A chunk the sink
        // skips (idle silence while behind) leaves no later than that either. But a reply's first audio may drop
        // the idle silence queued ahead of it (LiveKitAudioSink): the queue then holds less after the write than
        // before, and the chunk leaves after what remains ahead of it, not after what was dropped.
        const at = this.#now();
        const durationMs = (chunk.pcm.length * 1000) / chunk.sampleRate;
        const before = audio.queuedMs;
        const skippedBefore = audio.skippedIdleMs ?? 0;
        const result = audio.writeAudio(chunk);
        const after = audio.queuedMs;
        // The sink's own count says it dropped silence; the queue shrinking only shows a drop longer than the
        // chunk, and a shorter one is the usual case once a reply's first tick runs early (that frame was held
        // for the dropped silence).
        const dropped = !chunk.idle && ((audio.skippedIdleMs ?? 0) > skippedBefore || after < before);
        const ahead = dropped ? Math.max(0, after - durationMs) : before;
        this.#anchor = { ptsMs: chunk.ptsMs, leavesAt: at + ahead };
        // Frames already held (rendered ahead of their tick) were timed behind the silence just dropped.
        if (dropped) this.#retime();
        return result;
      },
      clearAudio: () => {
        audio.clearAudio?.();
        this.#anchor = undefined;
      },
    };
    this.#video = video;
    this.video = {
      rephasable: true,
      writeVideo: (frame: VideoFrame) => {
        const holdMs = this.#holdFor(frame.ptsMs);
        if (this.#closed || holdMs < this.#minHoldMs) return video.writeVideo(frame);
        this.held++;
        this.heldMsTotal += holdMs;
        this.#hold(frame, holdMs);
      },
    };
  }

  #hold(frame: VideoFrame, holdMs: number): void {
    const entry = {
      frame,
      timer: setTimeout(() => {
        this.#timers.delete(entry);
        void this.#video.writeVideo(frame);
      }, holdMs),
    };
    this.#timers.add(entry);
  }

  /** Times the held frames again from the current anchor, in pts order (those due now go at once). */
  #retime(): void {
    const entries = [...this.#timers];
    this.#timers.clear();
    for (const { timer, frame } of entries) {
      clearTimeout(timer);
      const holdMs = this.#holdFor(frame.ptsMs);
      if (holdMs < this.#minHoldMs) void this.#video.writeVideo(frame);
      else this.#hold(frame, holdMs);
    }
  }

  /** How long the frame of `ptsMs` waits for its audio to leave (0 when it already has). */
  #holdFor(ptsMs: number): number {
    const anchor = this.#anchor;
    if (!anchor) return Math.min(this.#maxHoldMs, this.#videoDelayMs);
    const leavesAt = anchor.leavesAt + (ptsMs - anchor.ptsMs) + this.#videoDelayMs;
    return Math.min(this.#maxHoldMs, Math.max(0, leavesAt - this.#now()));
  }

  /** Drops held frames (their buffers go back to the renderer); later writes go straight through. */
  close(): void {
    this.#closed = true;
    for (const { timer, frame } of this.#timers) {
      clearTimeout(timer);
      frame.recycle?.();
    }
    this.#timers.clear();
  }
}
