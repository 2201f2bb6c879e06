/**
 * @module The main thread's end of a recording's encoder: frames are copied into shared slots and announced with
 * a small message; an encoder thread writes them into ffmpeg's pipes (the ~8 pipe wake-ups of a 460 KB frame
 * used to run on the main thread, next to the media clock).
 */
import { LiveError } from '../pipeline/live-error.js';
import type { AudioChunk } from '../pipeline/ports.js';
import type { VideoFrame } from '../render/renderer.js';
import { Cell, type FromEncoderThread, type PcmChunk } from './encoder-protocol.js';
import type { EncoderLink, EncoderThreads } from './encoder-threads.js';
import type { EncoderStats, FfmpegEncoderOptions } from './ffmpeg-encoder.js';

export interface ThreadedEncoderOptions extends FfmpegEncoderOptions {
  encoderThreads: EncoderThreads;
  /** Frames that may be on their way to ffmpeg at once (one more is kept as the frame to repeat). */
  slots: number;
  /** Called once when the thread reports a failure (or dies) before close(). */
  onFailed?: (error: LiveError) => void;
}

/** Audio batched into the next frame's message past this many chunks waits no longer (no frame for 200 ms). */
const MAX_BATCHED_AUDIO = 5;

export class ThreadedEncoder {
  readonly #frameBytes: number;
  readonly #state: Int32Array;
  readonly #slots: Uint8Array[];
  readonly #id: number;
  readonly #link: EncoderLink;
  readonly #onFailed: ((error: LiveError) => void) | undefined;
  #audio: PcmChunk[] = [];
  #failure: LiveError | undefined;
  #closing: Promise<void> | undefined;
  #settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  #done = false;

  constructor(options: ThreadedEncoderOptions) {
    const { encoderThreads, slots, onFailed, ...encoder } = options;
    this.#frameBytes =
      encoder.pixelFormat === 'rgba'
        ? encoder.width * encoder.height * 4
        : encoder.width * encoder.height + 2 * (encoder.width >> 1) * (encoder.height >> 1);
    const count = slots + 1;
    const state = new SharedArrayBuffer((Cell.slots + count) * 4);
    const memory = new SharedArrayBuffer(count * this.#frameBytes);
    this.#state = new Int32Array(state);
    this.#slots = Array.from(
      { length: count },
      (_, i) => new Uint8Array(memory, i * this.#frameBytes, this.#frameBytes),
    );
    this.#onFailed = onFailed;
    const { id, link } = encoderThreads.attach({
      receive: (message) => this.#receive(message),
      lost: (error) =>
        this.#fail(new LiveError('ENCODER_FAILED', `recording thread failed: ${error.message}`)),
    });
    this.#id = id;
    this.#link = link;
    link.post({ type: 'open', id, options: encoder, state, slots: memory, frameBytes: this.#frameBytes });
  }

  /** The ffmpeg child's process id, once the encoder thread has started it. */
  get pid(): number | undefined {
    return Atomics.load(this.#state, Cell.pid) || undefined;
  }

  get failure(): LiveError | undefined {
    return this.#failure;
  }

  /**
   * `backlogBytes`: bytes in ffmpeg's pipes, not yet taken, as the thread last saw them. Frames still on their
   * way to the thread (it is loading, or starved of CPU) hold slots instead: when none is free, frames drop.
   */
  get stats(): EncoderStats {
    const s = this.#state;
    return {
      framesIn: Atomics.load(s, Cell.framesIn),
      framesRepeated: Atomics.load(s, Cell.framesRepeated),
      framesEncoded: Atomics.load(s, Cell.framesEncoded),
      backlogBytes: Atomics.load(s, Cell.backlogBytes),
    };
  }

  /**
   * Copies the frame into a free slot and hands it to the thread, with the audio written before it; false when
   * every slot is still being read by ffmpeg (the caller drops the frame). The frame's own buffer is free again
   * as soon as this returns.
   */
  writeVideo(frame: VideoFrame): boolean {
    if (this.#failure) throw this.#failure;
    if (this.#closing) return false;
    if (frame.data.length !== this.#frameBytes) {
      throw new LiveError(
        'ENCODER_FAILED',
        `frame has ${frame.data.length} bytes, expected ${this.#frameBytes}`,
      );
    }
    // The lowest free slot: a recording that keeps up touches two or three slots' pages, not all of them.
    let slot = 0;
    while (slot < this.#slots.length && Atomics.load(this.#state, Cell.slots + slot) !== 0) slot++;
    if (slot === this.#slots.length) return false;
    this.#slots[slot]!.set(frame.data);
    Atomics.store(this.#state, Cell.slots + slot, 1);
    this.#post(slot, frame.ptsMs);
    return true;
  }

  writeAudio(chunk: AudioChunk): void {
    if (this.#failure) throw this.#failure;
    if (this.#closing) return;
    // Copied now: the pipeline may reuse the buffer before the batch is posted.
    this.#audio.push({ pcm: chunk.pcm.slice(), sampleRate: chunk.sampleRate, ptsMs: chunk.ptsMs });
    if (this.#audio.length >= MAX_BATCHED_AUDIO) this.#post(undefined, chunk.ptsMs);
  }

  /** Ends the inputs and waits for ffmpeg to finish the file; rejects with ENCODER_FAILED and ffmpeg's message. */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve, reject) => {
      if (this.#failure) return reject(this.#failure);
      this.#settle = { resolve, reject };
      if (this.#audio.length > 0) this.#post(undefined, this.#audio.at(-1)!.ptsMs);
      this.#link.post({ type: 'close', id: this.#id });
    });
    return this.#closing;
  }

  /** Stops ffmpeg at once (what a crash leaves: the fragments written so far). */
  kill(): void {
    this.#closing ??= Promise.resolve();
    this.#link.post({ type: 'kill', id: this.#id });
    this.#end();
  }

  #post(slot: number | undefined, ptsMs: number): void {
    const audio = this.#audio;
    this.#audio = [];
    this.#link.post({ type: 'write', id: this.#id, slot, ptsMs, audio });
  }

  #receive(message: FromEncoderThread): void {
    if (message.type === 'closed') {
      this.#settle?.resolve();
      this.#end();
    } else if (message.type === 'failed') {
      this.#fail(new LiveError('ENCODER_FAILED', message.message));
    }
  }

  #fail(error: LiveError): void {
    if (this.#failure) return;
    this.#failure = error;
    this.#settle?.reject(error);
    this.#end();
    // A failure while closing is close()'s rejection, not news for the writer.
    if (!this.#closing) this.#onFailed?.(error);
  }

  #end(): void {
    if (this.#done) return;
    this.#done = true;
    this.#link.release();
  }
}
