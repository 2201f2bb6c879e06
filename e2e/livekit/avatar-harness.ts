/**
 * What the LiveKit tests and bench:livekit share: a real engine SessionPipeline (the named solid-colour test
 * renderer, the real animator) whose outputs are the LiveKit sinks and whose entrance is the LiveKit source,
 * and a subscriber (rtc-node) that records what a viewer of the room really receives.
 */
import {
  createAnimator,
  SessionPipeline,
  StreamingResampler,
  solidColourRendererSpec,
} from '@agenthuman/engine';
import { type AvatarSpeechInput, LiveKitAvatar, SESSION_STATE_TOPIC } from '@agenthuman/rooms/livekit';
import { AudioStream, type RemoteTrack, Room, RoomEvent, TrackKind, VideoStream } from '@livekit/rtc-node';
import { type LiveKitServer, mintToken } from './livekit-server.js';

/**
 * The pipeline entrance the avatar's source talks to: resamples each segment to 16 kHz (what the redesigned
 * entrance will do) and pushes it as one pipeline segment.
 */
export class PipelineSpeechInput implements AvatarSpeechInput {
  readonly #pipeline: SessionPipeline;
  readonly #resamplers = new Map<string, StreamingResampler>();

  constructor(pipeline: SessionPipeline) {
    this.#pipeline = pipeline;
  }

  openSegment(segmentId: string, sampleRate: number): void {
    this.#resamplers.set(segmentId, new StreamingResampler(sampleRate, 16_000));
  }

  pushAudio(segmentId: string, pcm: Int16Array): void {
    const out = this.#resamplers.get(segmentId)?.push(pcm);
    if (out && out.length > 0) this.#pipeline.pushAudio(out, { segmentId });
  }

  endSegment(segmentId: string): void {
    const tail = this.#resamplers.get(segmentId)?.flush();
    this.#resamplers.delete(segmentId);
    if (tail && tail.length > 0) this.#pipeline.pushAudio(tail, { segmentId });
    this.#pipeline.endSegment(segmentId);
  }

  clear(): void {
    this.#resamplers.clear();
    this.#pipeline.interrupt();
  }
}

export interface AvatarSession {
  pipeline: SessionPipeline;
  avatar: LiveKitAvatar;
  close(): Promise<void>;
}

export const AVATAR_IDENTITY = 'agenthuman-avatar-agent';

/** Joins an avatar to `room` the way the LiveKit Agents plugin asks: kind agent, publishing on behalf of the agent. */
export async function startAvatarSession(
  server: LiveKitServer,
  options: { room: string; agentIdentity: string; width?: number; height?: number; token?: string },
): Promise<AvatarSession> {
  const width = options.width ?? 320;
  const height = options.height ?? 240;
  const pipeline = await SessionPipeline.start({
    renderer: solidColourRendererSpec({ width, height, textured: true }),
    animator: createAnimator({ seed: 1 }),
    // A byte stream is one segment whatever its gaps: it ends when the stream closes, not when it starves.
    hangoverMs: 10_000,
  });
  const token =
    options.token ??
    mintToken(server, {
      identity: AVATAR_IDENTITY,
      room: options.room,
      kind: 'agent',
      attributes: { 'lk.publish_on_behalf': options.agentIdentity },
    });
  let avatar: LiveKitAvatar;
  try {
    avatar = await LiveKitAvatar.join({
      url: server.url,
      token,
      width: pipeline.width,
      height: pipeline.height,
      input: new PipelineSpeechInput(pipeline),
    });
  } catch (error) {
    await pipeline.close();
    throw error;
  }
  pipeline.attach({ video: avatar.videoSink, audio: avatar.audioSink });
  pipeline.on('speaking.started', (event) => avatar.onSpeakingStarted(event));
  pipeline.on('speaking.stopped', (event) => avatar.onSpeakingStopped(event));
  return {
    pipeline,
    avatar,
    close: async () => {
      await avatar.close('test_over');
      await pipeline.close();
    },
  };
}

export interface ReceivedAudio {
  /** performance.now() when the frame arrived. */
  at: number;
  samples: Int16Array;
  sampleRate: number;
}

/** A viewer of the room: records the avatar's video frames, its audio and its session.state packets. */
export class Subscriber {
  readonly room = new Room();
  readonly videoFrames: { at: number; width: number; height: number; timestampUs: bigint }[] = [];
  readonly audio: ReceivedAudio[] = [];
  readonly states: { at: number; state: string; reason?: string }[] = [];
  joinedAt = 0;
  #streams: { cancel(): Promise<void> }[] = [];

  static async join(server: LiveKitServer, room: string, identity = 'viewer'): Promise<Subscriber> {
    const subscriber = new Subscriber();
    subscriber.room.on(RoomEvent.TrackSubscribed, (track) => subscriber.#read(track));
    subscriber.room.on(RoomEvent.DataReceived, (payload, _participant, _kind, topic) => {
      if (topic !== SESSION_STATE_TOPIC) return;
      const { state, reason } = JSON.parse(new TextDecoder().decode(payload));
      subscriber.states.push({ at: performance.now(), state, reason });
    });
    subscriber.joinedAt = performance.now();
    await subscriber.room.connect(server.url, mintToken(server, { identity, room, canPublish: false }), {
      autoSubscribe: true,
      dynacast: false,
    });
    return subscriber;
  }

  #read(track: RemoteTrack): void {
    if (track.kind === TrackKind.KIND_VIDEO) {
      const stream = new VideoStream(track);
      this.#streams.push(stream);
      void drain(stream.getReader(), ({ frame, timestampUs }) => {
        this.videoFrames.push({
          at: performance.now(),
          width: frame.width,
          height: frame.height,
          timestampUs,
        });
      });
    } else if (track.kind === TrackKind.KIND_AUDIO) {
      const stream = new AudioStream(track, { sampleRate: 16_000, numChannels: 1 });
      this.#streams.push(stream);
      void drain(stream.getReader(), (frame) => {
        this.audio.push({ at: performance.now(), samples: frame.data.slice(), sampleRate: frame.sampleRate });
      });
    }
  }

  /** Milliseconds of received audio louder than `threshold` (RMS per 10 ms), from `sinceMs` (performance.now). */
  loudMs(sinceMs = 0, threshold = 1000): number {
    let ms = 0;
    for (const chunk of this.audio) {
      if (chunk.at < sinceMs) continue;
      const step = chunk.sampleRate / 100;
      for (let at = 0; at + step <= chunk.samples.length; at += step) {
        let sum = 0;
        for (let i = at; i < at + step; i++) sum += (chunk.samples[i] ?? 0) ** 2;
        if (Math.sqrt(sum / step) > threshold) ms += 10;
      }
    }
    return ms;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#streams.map((stream) => stream.cancel()));
    await this.room.disconnect().catch(() => undefined);
  }
}

async function drain<T>(reader: ReadableStreamDefaultReader<T>, onValue: (value: T) => void): Promise<void> {
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      onValue(value);
    }
  } catch {
    // the stream was cancelled or the room left
  }
}

/** Polls `check` every 20 ms until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A tone at `rate` Hz with `channels` interleaved channels, as raw little-endian bytes. */
export function toneBytes(ms: number, rate: number, channels: number, amplitude = 8000): Uint8Array {
  const frames = Math.round((rate * ms) / 1000);
  const pcm = new Int16Array(frames * channels);
  for (let i = 0; i < frames; i++) {
    const value = Math.round(amplitude * Math.sin((2 * Math.PI * 440 * i) / rate));
    for (let c = 0; c < channels; c++) pcm[i * channels + c] = value;
  }
  return new Uint8Array(pcm.buffer);
}
