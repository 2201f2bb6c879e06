/**
 * The engine's outputs as LiveKit tracks. The pipeline's media clock already paces both (one 40 ms audio chunk
 * and one frame per tick), so the sinks hand media straight to rtc-node and keep no clock of their own; the
 * audio sink only tracks how much of what it was given has actually left its queue, which is what the
 * playback events report.
 *
 * Audio never waits behind more than it has to: rtc-node's native queue plays 10 ms every 10 ms, so audio the
 * media clock writes in a burst (catching up after an event-loop stall) would stay queued for good, since the
 * clock then writes in real time again, idle silence included. Each stall used to add its length to the delay
 * of every later reply, up to the queue's size (twice `queueMs`). Idle silence is skipped while the queue holds
 * more than `maxIdleLagMs`, so the backlog drains between replies; speech is never skipped.
 */
import type { AudioChunk, AudioSink, VideoFrame as EngineVideoFrame, VideoSink } from '@agenthuman/engine';
import { AudioFrame, AudioSource, VideoBufferType, VideoFrame, VideoSource } from '@livekit/rtc-node';
import { openVideoCaptureLane, type VideoCaptureLane } from './video-capture-thread.js';

export class LiveKitVideoSink implements VideoSink {
  readonly source: VideoSource;
  readonly #lane: VideoCaptureLane | undefined;
  #useLane: boolean;
  #lastPtsMs = Number.NEGATIVE_INFINITY;
  #closing: Promise<void> | undefined;
  frames = 0;
  /** Of `frames`, those captured on the capture thread. */
  threadedFrames = 0;
  /** Frames the capture thread could not take in time (every slot still queued). */
  skipped = 0;
  /** Wall time writeVideo took on its (the event loop's) thread, summed (ms): what handing frames costs it. */
  handMs = 0;
  /** Captures the capture thread reported as failed (first message kept for diagnosis). */
  captureErrors = 0;
  lastCaptureError: string | undefined;

  /** `captureThread: false` captures on the calling thread (rtc-node's own captureFrame). */
  constructor(width: number, height: number, options: { captureThread?: boolean } = {}) {
    this.source = new VideoSource(width, height);
    this.#lane =
      options.captureThread === false
        ? undefined
        : openVideoCaptureLane(this.source.ffiHandle.handle, width, height, (message) => {
            // The thread's FFI request failed (it must share rtc-node's native module, see package.json's exact
            // pin): later frames are captured here, where rtc-node itself makes the request.
            this.captureErrors++;
            this.lastCaptureError ??= message;
            this.#useLane = false;
          });
    this.#useLane = this.#lane !== undefined;
  }

  /** Whether frames go through the capture thread. */
  get threaded(): boolean {
    return this.#useLane;
  }

  writeVideo(frame: EngineVideoFrame): void {
    const t0 = performance.now();
    try {
      // A frame older than the last one sent (a late render) would step the track's timeline backwards.
      if (frame.format !== 'i420' || frame.ptsMs <= this.#lastPtsMs || this.#closing || this.source.closed)
        return;
      this.#lastPtsMs = frame.ptsMs;
      const timestampUs = Math.round(frame.ptsMs * 1000);
      const taken = this.#useLane ? this.#lane!.capture(frame.data, timestampUs) : 'refused';
      if (taken === 'skipped') this.skipped++;
      if (taken !== 'refused') {
        if (taken === 'queued') {
          this.frames++;
          this.threadedFrames++;
        }
        return;
      }
      const out = new VideoFrame(wholeBuffer(frame.data), frame.width, frame.height, VideoBufferType.I420);
      // rtc-node copies the planes before captureFrame returns, so the buffer can go back to its renderer.
      this.source.captureFrame(out, BigInt(timestampUs));
      this.frames++;
    } finally {
      frame.recycle?.();
      this.handMs += performance.now() - t0;
    }
  }

  /** Waits for the frames still queued on the capture thread: the source's handle must outlive them. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#lane?.close();
      await this.source.close();
    })();
    return this.#closing;
  }
}

export interface LiveKitAudioSinkOptions {
  sampleRate?: number;
  /** rtc-node's own buffer; the pipeline writes in real time, so this only absorbs event-loop jitter. */
  queueMs?: number;
  /** Queued audio above which idle silence is skipped (default 60 ms: one 40 ms chunk plus jitter). */
  maxIdleLagMs?: number;
}

export class LiveKitAudioSink implements AudioSink {
  readonly source: AudioSource;
  readonly sampleRate: number;
  /** Media-clock pts just past the last sample handed to the source (undefined before the first). */
  #writtenEndPts: number | undefined;
  /** Audio accepted by writeAudio that rtc-node has not taken yet (captureFrame calls are chained). */
  #backlogMs = 0;
  #chain: Promise<void> = Promise.resolve();
  #generation = 0;
  #closed = false;
  readonly #maxIdleLagMs: number;
  /** Idle silence skipped to keep the queue short (ms), for tests and benchmarks. */
  skippedIdleMs = 0;
  /** Wall time the event loop spent in rtc-node's captureFrame (its synchronous FFI request), summed (ms). */
  handMs = 0;
  /** Media-clock pts just past the last speech (non-idle) audio written. */
  #speechEndPts = Number.NEGATIVE_INFINITY;

  constructor(options: LiveKitAudioSinkOptions = {}) {
    this.sampleRate = options.sampleRate ?? 16_000;
    this.source = new AudioSource(this.sampleRate, 1, options.queueMs ?? 200);
    this.#maxIdleLagMs = options.maxIdleLagMs ?? 60;
  }

  /** Audio given to the sink that has not yet left rtc-node's queue (ms). */
  get queuedMs(): number {
    return this.#backlogMs + this.source.queuedDuration;
  }

  writeAudio(chunk: AudioChunk): void {
    if (this.#closed || chunk.pcm.length === 0) return;
    if (chunk.sampleRate !== this.sampleRate) {
      throw new RangeError(`LiveKit audio sink takes ${this.sampleRate} Hz, got ${chunk.sampleRate} Hz`);
    }
    const durationMs = (chunk.pcm.length * 1000) / this.sampleRate;
    if (chunk.idle && this.queuedMs > this.#maxIdleLagMs) {
      // Skipped silence counts as played at once: later positions stay on the media clock's pts.
      this.#writtenEndPts = chunk.ptsMs + durationMs;
      this.skippedIdleMs += durationMs;
      return;
    }
    if (!chunk.idle) {
      // A reply's first audio: the idle silence still queued ahead of it (up to maxIdleLagMs and a chunk) would
      // only delay it, so it is dropped, counted as played like skipped silence. Speech is never dropped.
      const queued = this.queuedMs;
      if (queued > 0 && (this.playedPtsMs ?? 0) >= this.#speechEndPts) {
        this.#drop();
        this.skippedIdleMs += queued;
      }
      this.#speechEndPts = chunk.ptsMs + durationMs;
    }
    this.#writtenEndPts = chunk.ptsMs + durationMs;
    this.#backlogMs += durationMs;
    const generation = this.#generation;
    const frame = new AudioFrame(wholeBuffer(chunk.pcm), this.sampleRate, 1, chunk.pcm.length);
    // Chained so frames reach rtc-node in order even when its queue is full and a capture has to wait.
    this.#chain = this.#chain.then(async () => {
      if (generation !== this.#generation || this.#closed) return;
      this.#backlogMs -= durationMs;
      const t0 = performance.now();
      const captured = this.source.captureFrame(frame);
      this.handMs += performance.now() - t0;
      await captured.catch(() => undefined);
    });
  }

  /** lk.clear_buffer: what was queued is dropped unplayed, so the played position stops where it is now. */
  clearAudio(): void {
    if (this.#closed) return;
    const played = this.playedPtsMs;
    this.#drop();
    this.#writtenEndPts = played;
  }

  /** Empties rtc-node's queue and the captures still chained for it. */
  #drop(): void {
    this.#generation++;
    this.#backlogMs = 0;
    this.source.clearQueue();
  }

  /** Media-clock pts up to which audio has left rtc-node's queue (undefined before any audio). */
  get playedPtsMs(): number | undefined {
    if (this.#writtenEndPts === undefined) return undefined;
    return this.#writtenEndPts - this.#backlogMs - this.source.queuedDuration;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#generation++;
    await this.source.close();
  }
}

/**
 * rtc-node hands `data.buffer` to its native side and ignores the view's offset, so a frame that is a view into
 * a longer buffer (server TTS speech is cut into chunks with subarray) would send the start of that buffer.
 */
function wholeBuffer<T extends Int16Array | Uint8Array>(view: T): T {
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength ? view : (view.slice() as T);
}
