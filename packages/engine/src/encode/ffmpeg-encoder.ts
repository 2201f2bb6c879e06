/** @module A long-lived ffmpeg child that encodes the pipeline's raw frames and audio (files, benchmarks). */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { getPriority, setPriority } from 'node:os';
import type { Writable } from 'node:stream';
import { LiveError } from '../pipeline/live-error.js';
import type { AudioChunk, AudioSink, VideoSink } from '../pipeline/ports.js';
import type { PixelFormat, VideoFrame } from '../render/renderer.js';
import {
  buildEncodeArgs,
  type Container,
  containerOf,
  defaultCodec,
  type EncodeArgsOptions,
  type VideoCodec,
} from './ffmpeg-args.js';
import { resolveFfmpegPath } from './ffmpeg-binary.js';

/** The x264, audio and MP4 settings are buildEncodeArgs's own, passed through. */
export interface FfmpegEncoderOptions
  extends Pick<
    EncodeArgsOptions,
    'threads' | 'crf' | 'x264Preset' | 'x264Params' | 'audioKbps' | 'fragmented'
  > {
  width: number;
  height: number;
  pixelFormat?: PixelFormat;
  fps?: number;
  /** A .webm (VP8 + Opus), .mp4 (H.264 + AAC), .mkv or .ivf (video only) path, or 'discard' to encode and drop. */
  output: string;
  codec?: VideoCodec;
  /** Take 16 kHz audio too (not for .ivf). */
  audio?: boolean;
  /** Fastest realtime settings, as a live room would use; default false (files favour quality). */
  live?: boolean;
  /** Never return a promise from writeVideo (a live sink: the caller watches `stats.backlogBytes` itself). */
  nonBlocking?: boolean;
  /**
   * Niceness of the ffmpeg child (0–19; never below the main thread's): a recorder yields the CPU to the live
   * stream.
   */
  niceness?: number;
  ffmpegPath?: string;
}

export interface EncoderStats {
  framesIn: number;
  /** Frames repeated to fill pts gaps (frames the pipeline dropped), so the file keeps its timing. */
  framesRepeated: number;
  /** Frames ffmpeg reports encoded so far. */
  framesEncoded: number;
  /** Bytes written but not yet taken by ffmpeg: growth means the encoder is falling behind. */
  backlogBytes: number;
}

/**
 * A frame is larger than a pipe's buffer, so write() reports "full" after every frame; waiting on each drain
 * would deadlock when ffmpeg is reading the audio pipe. Only a backlog of several frames makes callers wait,
 * and audio (small, always written before its frame by the pipeline) never waits.
 */
const BACKLOG_FRAMES = 6;

/**
 * Raw frames go in on stdin, audio on fd 3, both timed by count (25 fps, 16 kHz), so gaps in the video pts are
 * filled by repeating the last frame. writeVideo returns a promise while ffmpeg is several frames behind, which a
 * file-rendering pipeline waits on; a live caller can watch `stats.backlogBytes` instead.
 */
export class FfmpegEncoder implements VideoSink, AudioSink {
  readonly container: Container;
  readonly #child: ChildProcess;
  readonly #video: Writable;
  readonly #audio: Writable | undefined;
  readonly #frameMs: number;
  readonly #frameBytes: number;
  readonly #nonBlocking: boolean;
  #nextPts: number | undefined;
  #last: HeldBuffer | undefined;
  #stats = { framesIn: 0, framesRepeated: 0, framesEncoded: 0 };
  #stderr = '';
  #exit: Promise<number | null>;
  #closing: Promise<EncoderStats> | undefined;
  #failure: LiveError | undefined;

  constructor(options: FfmpegEncoderOptions) {
    const container = options.output === 'discard' ? 'discard' : containerOf(options.output);
    if (!container) {
      throw new LiveError(
        'ENCODER_FAILED',
        `unsupported output "${options.output}": use .webm, .mp4, .mkv or .ivf`,
      );
    }
    this.container = container;
    const fps = options.fps ?? 25;
    const pixelFormat = options.pixelFormat ?? 'i420';
    const audio = (options.audio ?? true) && container !== 'ivf';
    this.#frameMs = 1000 / fps;
    this.#nonBlocking = options.nonBlocking ?? false;
    this.#frameBytes =
      pixelFormat === 'rgba'
        ? options.width * options.height * 4
        : options.width * options.height + 2 * (options.width >> 1) * (options.height >> 1);
    const args = buildEncodeArgs({
      width: options.width,
      height: options.height,
      fps,
      pixelFormat,
      codec: options.codec ?? defaultCodec(container),
      container,
      path: options.output,
      audio,
      audioSampleRate: 16_000,
      live: options.live ?? false,
      threads: options.threads,
      crf: options.crf,
      x264Preset: options.x264Preset,
      x264Params: options.x264Params,
      audioKbps: options.audioKbps,
      fragmented: options.fragmented ?? false,
    });
    this.#child = spawn(resolveFfmpegPath(options.ffmpegPath), args, {
      stdio: ['pipe', 'pipe', 'pipe', audio ? 'pipe' : 'ignore'],
    });
    if (options.niceness && this.#child.pid !== undefined) {
      try {
        setPriority(this.#child.pid, Math.max(getPriority(process.pid), options.niceness));
      } catch {
        // Not allowed here (a container without CAP_SYS_NICE for this range): it runs at normal priority.
      }
    }
    this.#video = this.#child.stdin!;
    this.#audio = audio ? (this.#child.stdio[3] as Writable) : undefined;
    for (const stream of [this.#video, this.#audio]) stream?.on('error', (error) => this.#fail(error));
    this.#child.stdout!.setEncoding('utf8').on('data', (text: string) => this.#onProgress(text));
    this.#child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      this.#stderr = (this.#stderr + text).slice(-4000);
    });
    this.#exit = new Promise((resolve) => {
      this.#child.on('error', (error) => {
        this.#fail(error);
        resolve(null);
      });
      this.#child.on('exit', (code) => resolve(code));
    });
  }

  /** The ffmpeg child's process id (its memory counts towards a session's cost). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  get stats(): EncoderStats {
    return { ...this.#stats, backlogBytes: this.#video.writableLength + (this.#audio?.writableLength ?? 0) };
  }

  writeVideo(frame: VideoFrame): void | Promise<void> {
    if (this.#failure) throw this.#failure;
    if (this.#closing) {
      frame.recycle?.();
      return;
    }
    if (frame.data.length !== this.#frameBytes) {
      throw new LiveError(
        'ENCODER_FAILED',
        `frame has ${frame.data.length} bytes, expected ${this.#frameBytes}`,
      );
    }
    if (this.#nextPts !== undefined && frame.ptsMs < this.#nextPts - this.#frameMs / 2) {
      frame.recycle?.();
      return;
    }
    if (this.#nextPts !== undefined && this.#last) {
      for (; frame.ptsMs >= this.#nextPts + this.#frameMs / 2; this.#nextPts += this.#frameMs) {
        this.#writeFrame(this.#last);
        this.#stats.framesRepeated++;
      }
    }
    // The previous frame stops being the one to repeat; its buffer goes back once its writes are done.
    this.#last?.release();
    this.#last = new HeldBuffer(frame.data, frame.recycle);
    this.#nextPts = frame.ptsMs + this.#frameMs;
    this.#stats.framesIn++;
    this.#writeFrame(this.#last);
    if (!this.#nonBlocking && this.#video.writableLength > BACKLOG_FRAMES * this.#frameBytes) {
      return this.#drained(this.#video);
    }
  }

  /** The pipe keeps a reference to the buffer until ffmpeg has taken it: the write's callback releases it. */
  #writeFrame(held: HeldBuffer): void {
    held.hold();
    this.#video.write(held.data, (error) => {
      // A failed write (ffmpeg gone) may leave the buffer in libuv's hands: never hand it back then.
      if (!error) held.release();
    });
  }

  writeAudio(chunk: AudioChunk): void | Promise<void> {
    if (this.#failure) throw this.#failure;
    if (!this.#audio || this.#closing) return;
    const bytes = new Uint8Array(chunk.pcm.buffer, chunk.pcm.byteOffset, chunk.pcm.byteLength);
    // Copy: the pipeline may reuse its silence buffer, and write() keeps a reference until flushed.
    this.#audio.write(Buffer.from(bytes));
  }

  /** Ends the inputs and waits for ffmpeg to finish the file; rejects with ENCODER_FAILED and ffmpeg's message. */
  close(): Promise<EncoderStats> {
    this.#closing ??= this.#finish();
    return this.#closing;
  }

  /** Stops ffmpeg at once (the output is incomplete). */
  kill(): void {
    this.#child.kill('SIGKILL');
  }

  async #finish(): Promise<EncoderStats> {
    this.#video.end();
    this.#audio?.end();
    const code = await this.#exit;
    if (this.#failure && code !== 0) throw this.#failure;
    if (code !== 0) {
      throw new LiveError(
        'ENCODER_FAILED',
        `ffmpeg exited with code ${code}: ${this.#stderr.trim().slice(-500)}`,
      );
    }
    return this.stats;
  }

  #drained(stream: Writable): Promise<void> {
    return Promise.race([once(stream, 'drain').then(() => undefined), this.#exit.then(() => undefined)]);
  }

  #onProgress(text: string): void {
    const matches = text.match(/frame=(\d+)/g);
    const last = matches?.at(-1);
    if (last) this.#stats.framesEncoded = Number(last.slice(6));
  }

  #fail(error: Error): void {
    this.#failure ??= new LiveError(
      'ENCODER_FAILED',
      `ffmpeg failed: ${error.message}${this.#stderr ? ` (${this.#stderr.trim().slice(-300)})` : ''}`,
      { cause: error },
    );
  }
}

/**
 * A frame buffer that goes back to its producer (`VideoFrame.recycle`) once nothing here uses it: each pending
 * pipe write holds it, and so does being the last frame (repeated over pts gaps).
 */
class HeldBuffer {
  #holds = 1;

  constructor(
    readonly data: Uint8Array,
    readonly recycle: (() => void) | undefined,
  ) {}

  hold(): void {
    this.#holds++;
  }

  release(): void {
    if (--this.#holds === 0) this.recycle?.();
  }
}
