/**
 * @module A live session's recorder: one more sink of the live avatar that writes exactly what the session
 * publishes (the same frames and audio, on the same pts) to a fragmented MP4 through an ffmpeg child fed by an
 * encoder thread, without ever making the media clock wait.
 */
import { LiveError } from '../pipeline/live-error.js';
import type { AudioChunk, AudioSink, VideoSink } from '../pipeline/ports.js';
import type { VideoFrame } from '../render/renderer.js';
import { type EncoderThreads, sharedEncoderThreads } from './encoder-threads.js';
import { ThreadedEncoder } from './threaded-encoder.js';

export interface SessionRecorderOptions {
  /** The .mp4 file to write (fragmented: a crash leaves it playable up to its last fragment). */
  output: string;
  /** Past this much video waiting for ffmpeg, new frames are dropped (the file repeats the last one). */
  dropBacklogMs?: number;
  /**
   * Past this much backlog, or this much media time dropped in a row, the recording fails (ffmpeg is stuck);
   * the live stream is never affected.
   */
  failBacklogMs?: number;
  /** Niceness of the ffmpeg child (default 10): the live stream's threads win the CPU over the recording. */
  niceness?: number;
  ffmpegPath?: string;
  /** The threads that write into ffmpeg's pipes (default: the process's shared ones). */
  encoderThreads?: EncoderThreads;
  /** Called once if the recording fails while the session runs (encoder died or fell hopelessly behind). */
  onFailed?: (error: LiveError) => void;
}

export interface RecorderStats {
  /** Frames handed to the encoder. */
  videoFrames: number;
  /** Frames not handed over because the encoder was behind (the file repeats the previous frame instead). */
  framesDropped: number;
  /** pts of the first recorded frame: the file's zero. */
  startPtsMs: number | undefined;
  /** Media time recorded so far (video and audio start at the same pts and advance together). */
  durationMs: number;
  backlogBytes: number;
}

export interface RecordingResult extends RecorderStats {
  output: string;
  /** false when nothing reached the recorder (no frame): there is no file. */
  recorded: boolean;
}

const SAMPLE_RATE = 16_000;
const RECORDING_CRF = 28;
const RECORDING_X264 = { preset: 'superfast', params: 'subme=0' } as const;
const RECORDING_AUDIO_KBPS = 64;
const FRAME_MS = 40;
/** Audio waiting for its frame, at most (2 s of ticks). */
const MAX_PENDING_AUDIO = 50;

/**
 * The file starts at the first video frame's pts and ends with the last one; audio with an earlier pts is
 * dropped and audio gaps are filled with silence, so sample n of the file's audio is pts `start + n / 16` ms,
 * exactly the clock the video frames carry. Writes never return a promise: a slow ffmpeg costs the recording (dropped, then
 * repeated, frames; counted), never a live tick.
 */
export class SessionRecorder implements VideoSink, AudioSink {
  /** Settles once the encoder threads have loaded (benchmarks wait for it; a session need not). */
  readonly warmed: Promise<void>;
  readonly #options: SessionRecorderOptions;
  #encoder: ThreadedEncoder | undefined;
  #frameBytes = 0;
  #pendingAudio: AudioChunk[] = [];
  /** pts where the next written audio sample belongs. */
  #audioPts: number | undefined;
  #lastVideoPts: number | undefined;
  #stats = { videoFrames: 0, framesDropped: 0, startPtsMs: undefined as number | undefined };
  #failure: LiveError | undefined;
  #stopped = false;

  constructor(options: SessionRecorderOptions) {
    this.#options = options;
    // Loaded before the first frame, which would otherwise wait for it (dropped past the slots it may hold).
    this.warmed = (options.encoderThreads ?? sharedEncoderThreads()).warm();
  }

  /** The ffmpeg child's process id, once the first frame has opened it (its CPU is the recording's cost). */
  get pid(): number | undefined {
    return this.#encoder?.pid;
  }

  get failure(): LiveError | undefined {
    return this.#failure;
  }

  get stats(): RecorderStats {
    const start = this.#stats.startPtsMs;
    const videoEnd = this.#lastVideoPts === undefined ? start : this.#lastVideoPts + FRAME_MS;
    const end = Math.max(videoEnd ?? 0, this.#audioPts ?? 0);
    return {
      ...this.#stats,
      durationMs: start === undefined ? 0 : end - start,
      backlogBytes: this.#encoder?.stats.backlogBytes ?? 0,
    };
  }

  writeVideo(frame: VideoFrame): void {
    try {
      this.#record(frame);
    } catch (error) {
      this.#fail(error);
    } finally {
      // The encoder copied what it took: the buffer goes back to its producer at once.
      frame.recycle?.();
    }
  }

  #record(frame: VideoFrame): void {
    if (this.#stopped || this.#failure) return;
    if (!this.#encoder) this.#open(frame);
    if (this.#lastVideoPts !== undefined && frame.ptsMs <= this.#lastVideoPts) return;
    // The audio of this frame's tick (and of ticks whose frames the pipeline skipped) goes first.
    this.#flushAudio(frame.ptsMs);
    const encoder = this.#encoder!;
    const failMs = this.#options.failBacklogMs ?? 10_000;
    const backlog = encoder.stats.backlogBytes;
    const behind = backlog > this.#bytesFor(this.#options.dropBacklogMs ?? 500);
    // The encoder repeats the last frame over any pts gap (frames dropped here or by the pipeline).
    if (!behind && encoder.writeVideo(frame)) {
      this.#lastVideoPts = frame.ptsMs;
      this.#stats.videoFrames++;
      return;
    }
    this.#stats.framesDropped++;
    const droppedMs = frame.ptsMs - (this.#lastVideoPts ?? frame.ptsMs);
    if (backlog > this.#bytesFor(failMs) || droppedMs > failMs) {
      this.#fail(
        new LiveError('ENCODER_FAILED', `the recording encoder fell more than ${failMs / 1000} s behind`),
      );
    }
  }

  /**
   * Audio leaves the pipeline a few ticks before its rendered frame; it waits here for that frame, so the file
   * ends with the last frame (no audio of ticks never shown) and a stalled renderer cannot starve ffmpeg's
   * video input while its audio input fills.
   */
  writeAudio(chunk: AudioChunk): void {
    if (this.#stopped || this.#failure) return;
    this.#pendingAudio.push(chunk);
    if (this.#pendingAudio.length <= MAX_PENDING_AUDIO) return;
    const oldest = this.#pendingAudio.shift()!;
    if (!this.#encoder) return;
    try {
      // No frame for 2 s (a stalled render worker): the audio goes on alone, the file repeats the last frame.
      this.#writeAudioAt(oldest);
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Ends the file: waits for ffmpeg to write its last fragment. Rejects with the failure, if any. */
  async stop(): Promise<RecordingResult> {
    this.#stopped = true;
    if (this.#failure) throw this.#failure;
    const recorded = this.#encoder !== undefined;
    if (this.#encoder) await this.#encoder.close();
    return { ...this.stats, output: this.#options.output, recorded };
  }

  /** Stops ffmpeg at once (what a crash would leave: the fragments written so far). */
  kill(): void {
    this.#stopped = true;
    this.#encoder?.kill();
  }

  #open(frame: VideoFrame): void {
    this.#encoder = new ThreadedEncoder({
      encoderThreads: this.#options.encoderThreads ?? sharedEncoderThreads(),
      // Enough for the drop threshold's backlog of frames; past it frames are dropped anyway.
      slots: Math.ceil((this.#options.dropBacklogMs ?? 500) / FRAME_MS) + 1,
      onFailed: (error) => this.#fail(error),
      width: frame.width,
      height: frame.height,
      pixelFormat: frame.format,
      output: this.#options.output,
      audio: true,
      // One x264 thread (fewer threads cost less CPU in all). superfast with fullpel motion search (subme=0)
      // costs ~30 % less CPU than ultrafast on a talking head, at the same PSNR and ~30 % fewer bits: CABAC and
      // the 8×8 transform code the few moving blocks in fewer bits, and writing bits is most of the cost here.
      // CRF 28 and 64 kbit/s AAC are plenty for 640×480 from 16 kHz speech (bench:record-encode).
      live: true,
      x264Preset: RECORDING_X264.preset,
      x264Params: RECORDING_X264.params,
      threads: 1,
      crf: RECORDING_CRF,
      audioKbps: RECORDING_AUDIO_KBPS,
      fragmented: true,
      nonBlocking: true,
      niceness: this.#options.niceness ?? 10,
      ...(this.#options.ffmpegPath ? { ffmpegPath: this.#options.ffmpegPath } : {}),
    });
    this.#frameBytes = frame.data.length;
    this.#stats.startPtsMs = frame.ptsMs;
    this.#audioPts = frame.ptsMs;
  }

  /** Writes the waiting audio of ticks up to and including `ptsMs`. */
  #flushAudio(ptsMs: number): void {
    let taken = 0;
    while (taken < this.#pendingAudio.length && this.#pendingAudio[taken]!.ptsMs <= ptsMs) {
      this.#writeAudioAt(this.#pendingAudio[taken]!);
      taken++;
    }
    this.#pendingAudio.splice(0, taken);
  }

  /** Writes the part of `chunk` at or after the current audio position, with silence over any gap before it. */
  #writeAudioAt(chunk: AudioChunk): void {
    const at = this.#audioPts!;
    const samplesPerMs = chunk.sampleRate / 1000;
    const gap = Math.round((chunk.ptsMs - at) * samplesPerMs);
    if (gap > 0)
      this.#encoder!.writeAudio({ pcm: new Int16Array(gap), sampleRate: chunk.sampleRate, ptsMs: at });
    const skip = Math.max(0, -gap);
    if (skip >= chunk.pcm.length) return;
    const pcm = skip > 0 ? chunk.pcm.subarray(skip) : chunk.pcm;
    this.#encoder!.writeAudio({ ...chunk, pcm });
    this.#audioPts = chunk.ptsMs + chunk.pcm.length / samplesPerMs;
  }

  #bytesFor(ms: number): number {
    return (ms / FRAME_MS) * this.#frameBytes + (ms / 1000) * SAMPLE_RATE * 2;
  }

  #fail(error: unknown): void {
    if (this.#failure) return;
    this.#failure =
      error instanceof LiveError
        ? error
        : new LiveError('ENCODER_FAILED', `recording failed: ${(error as Error).message}`, { cause: error });
    this.#encoder?.kill();
    this.#options.onFailed?.(this.#failure);
  }
}
