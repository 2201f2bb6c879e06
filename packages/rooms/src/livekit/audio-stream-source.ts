/**
 * Audio in from the agent: one byte stream on `lk.audio_stream` per speech segment, raw int16 PCM at the rate
 * and channel count its attributes name. The source checks the sender and the attributes, down-mixes to mono
 * and hands PCM at the stream's own rate to the session's speech input (which resamples).
 */
import type { ByteStreamReader } from '@livekit/rtc-node';
import { PcmStreamDecoder } from './pcm-stream-decoder.js';

export const AUDIO_STREAM_TOPIC = 'lk.audio_stream';

/** Where the avatar's incoming speech goes: the session pipeline's entrance. */
export interface AvatarSpeechInput {
  /** A segment (one byte stream) begins; its mono audio at `sampleRate` follows. */
  openSegment(segmentId: string, sampleRate: number): void;
  pushAudio(segmentId: string, pcm: Int16Array): void;
  /** The stream closed: the segment plays to its end. */
  endSegment(segmentId: string): void;
  /** lk.clear_buffer: drop every queued segment and stop speaking now. */
  clear(): void;
}

export type StreamRejectReason = 'not_allowed_sender' | 'missing_audio_attributes' | 'bad_audio_attributes';

export interface StreamRejected {
  identity: string;
  streamId: string;
  reason: StreamRejectReason;
  message: string;
}

export interface AudioStreamSourceOptions {
  input: AvatarSpeechInput;
  /** The one identity allowed to send speech; undefined rejects every stream. */
  allowedSender: () => string | undefined;
  onSegmentOpened?: (segmentId: string) => void;
  onPushed?: (segmentId: string, durationMs: number) => void;
  /** `broken`: the stream ended in an error (its sender left or its tail was lost), not with its trailer. */
  onSegmentClosed?: (segmentId: string, broken: boolean) => void;
  onRejected?: (event: StreamRejected) => void;
  onError?: (error: unknown) => void;
}

const MIN_RATE = 8000;
const MAX_RATE = 192_000;
const MAX_CHANNELS = 8;

export class AudioStreamSource {
  readonly #options: AudioStreamSourceOptions;
  /** Streams being read; a clear marks them so the rest of their audio is ignored. */
  readonly #reading = new Map<string, { cleared: boolean }>();
  #closed = false;

  constructor(options: AudioStreamSourceOptions) {
    this.#options = options;
  }

  /** The rtc-node byte stream handler for AUDIO_STREAM_TOPIC. */
  readonly handle = (reader: ByteStreamReader, participant: { identity: string }): void => {
    void this.#read(reader, participant.identity).catch((error) => this.#options.onError?.(error));
  };

  /** Ignores the rest of every stream being read (lk.clear_buffer). */
  clearStreams(): void {
    for (const state of this.#reading.values()) state.cleared = true;
  }

  close(): void {
    this.#closed = true;
    this.clearStreams();
  }

  async #read(reader: ByteStreamReader, identity: string): Promise<void> {
    const streamId = reader.info.streamId;
    const reject = (reason: StreamRejectReason, message: string) => {
      // An unread stream keeps its subscription (and what arrives) for the life of the process.
      void reader.close();
      this.#options.onRejected?.({ identity, streamId, reason, message });
    };
    if (this.#closed) {
      void reader.close();
      return;
    }
    if (identity !== this.#options.allowedSender()) {
      reject('not_allowed_sender', `audio stream from ${identity}, who is not the avatar's agent`);
      return;
    }
    const attributes = reader.info.attributes ?? {};
    if (attributes.sample_rate === undefined || attributes.num_channels === undefined) {
      reject('missing_audio_attributes', 'audio stream without sample_rate and num_channels attributes');
      return;
    }
    const sampleRate = Number(attributes.sample_rate);
    const channels = Number(attributes.num_channels);
    if (!Number.isInteger(sampleRate) || sampleRate < MIN_RATE || sampleRate > MAX_RATE) {
      reject('bad_audio_attributes', `sample_rate must be an integer from ${MIN_RATE} to ${MAX_RATE}`);
      return;
    }
    if (!Number.isInteger(channels) || channels < 1 || channels > MAX_CHANNELS) {
      reject('bad_audio_attributes', `num_channels must be an integer from 1 to ${MAX_CHANNELS}`);
      return;
    }
    const { input } = this.#options;
    const state = { cleared: false };
    this.#reading.set(streamId, state);
    const decoder = new PcmStreamDecoder(channels);
    input.openSegment(streamId, sampleRate);
    this.#options.onSegmentOpened?.(streamId);
    let broken = false;
    try {
      for await (const chunk of reader) {
        if (state.cleared) break; // the rest of a cleared stream is dropped (leaving the loop closes the reader)
        const mono = decoder.push(chunk);
        if (mono.length === 0) continue;
        try {
          input.pushAudio(streamId, mono);
          this.#options.onPushed?.(streamId, (mono.length * 1000) / sampleRate);
        } catch (error) {
          // A full speech queue drops this chunk, not the stream.
          this.#options.onError?.(error);
        }
      }
    } catch (error) {
      // The sender aborted or left mid-stream, or our own full reconnect dropped every stream (rtc-node errors them
      // all: its tail never reaches us): what arrived still plays, and the segment ends there, cut short.
      broken = true;
      this.#options.onError?.(error);
    } finally {
      this.#reading.delete(streamId);
      if (!state.cleared && !this.#closed) input.endSegment(streamId);
      this.#options.onSegmentClosed?.(streamId, broken);
    }
  }
}
