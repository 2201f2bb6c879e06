/**
 * What the LiveKit tests and bench:livekit share: the engine's live avatar (the named solid-colour test
 * renderer, the real animator, the real entrance) joined to a LiveKit room by `joinLiveAvatar` — the same path
 * the server takes — and a subscriber (rtc-node) that records what a viewer of the room really receives.
 */
import { LiveAvatar } from '@agenthuman/engine/live';
import { RenderWorkerPool } from '@agenthuman/engine/render';
import { solidColourRendererSpec } from '@agenthuman/engine/testing';
import { joinLiveAvatar, type LiveKitAvatar, SESSION_STATE_TOPIC } from '@agenthuman/rooms/livekit';
import {
  AudioStream,
  type RemoteTrack,
  Room,
  RoomEvent,
  TrackKind,
  VideoBufferType,
  type VideoFrame,
  VideoStream,
} from '@livekit/rtc-node';
import { drainStream } from './drain-stream.js';
import { type LiveKitServer, mintToken } from './livekit-server.js';

export interface AvatarSession {
  live: LiveAvatar;
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
  const pool = new RenderWorkerPool({ size: 1 });
  const live = await LiveAvatar.start({
    avatar: { spec: solidColourRendererSpec({ width, height, textured: true }), seed: 1 },
    pool,
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
    avatar = await joinLiveAvatar(live, { url: server.url, token });
  } catch (error) {
    await live.close();
    await pool.close();
    throw error;
  }
  return {
    live,
    avatar,
    close: async () => {
      await avatar.close('test_over');
      await live.close();
      await pool.close();
    },
  };
}

export interface ReceivedAudio {
  /** performance.now() when the frame arrived. */
  at: number;
  samples: Int16Array;
  sampleRate: number;
  /** Identity of the participant whose track it came from. */
  from: string;
}

/** A viewer of the room: records the avatar's video frames, its audio and its session.state packets. */
export class Subscriber {
  readonly room = new Room();
  readonly videoFrames: { at: number; width: number; height: number; timestampUs: bigint; marker: number }[] =
    [];
  readonly audio: ReceivedAudio[] = [];
  readonly states: { at: number; state: string; reason?: string }[] = [];
  /** The room's events as they came, `<ms after the join> <event>`: what a viewer that saw nothing did see. */
  readonly events: string[] = [];
  joinedAt = 0;
  #streams: { cancel(): Promise<void> }[] = [];

  static async join(
    server: Pick<LiveKitServer, 'url' | 'apiKey' | 'apiSecret'>,
    room: string,
    identity = 'viewer',
  ): Promise<Subscriber> {
    const subscriber = new Subscriber();
    subscriber.#trace();
    subscriber.room.on(RoomEvent.TrackSubscribed, (track, _publication, participant) =>
      subscriber.#read(track, participant.identity),
    );
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
    subscriber.#note(`connected, ${subscriber.room.remoteParticipants.size} listed`);
    return subscriber;
  }

  #note(what: string): void {
    this.events.push(`${Math.round(performance.now() - this.joinedAt)} ${what}`);
  }

  #trace(): void {
    const note = (what: string) => this.#note(what);
    this.room
      .on(RoomEvent.ParticipantConnected, (p) => note(`participantConnected ${p.identity}`))
      .on(RoomEvent.ParticipantDisconnected, (p) => note(`participantDisconnected ${p.identity}`))
      .on(RoomEvent.TrackPublished, (pub, p) => note(`trackPublished ${p?.identity} ${pub.kind} ${pub.sid}`))
      .on(RoomEvent.TrackSubscribed, (track, pub, p) =>
        note(`trackSubscribed ${p.identity} ${track.kind} ${pub.sid}`),
      )
      .on(RoomEvent.TrackSubscriptionFailed, (sid, p, error) =>
        note(`trackSubscriptionFailed ${p.identity} ${sid} ${error}`),
      )
      .on(RoomEvent.TrackUnsubscribed, (track, _pub, p) =>
        note(`trackUnsubscribed ${p.identity} ${track.kind}`),
      )
      .on(RoomEvent.Reconnecting, () => note('reconnecting'))
      .on(RoomEvent.Reconnected, () => note('reconnected'))
      .on(RoomEvent.Disconnected, (reason) => note(`disconnected ${reason}`));
  }

  /**
   * What a viewer that got no picture had: the events it saw, what it lists of each participant's tracks, and
   * libwebrtc's own view of its video receiver (packets, keyframes decoded, PLIs it sent).
   */
  async diagnosis(): Promise<{
    events: string[];
    listed: string[];
    inboundVideo?: Record<string, number | string>;
  }> {
    const listed = [...this.room.remoteParticipants.values()].map(
      (p) =>
        `${p.identity}: ${[...p.trackPublications.values()].map((pub) => `${pub.kind} subscribed=${pub.subscribed} track=${pub.track !== undefined}`).join(', ')}`,
    );
    const inboundVideo = await this.#inboundVideo().catch((error) => ({ error: String(error) }));
    return { events: [...this.events], listed, inboundVideo };
  }

  async #inboundVideo(): Promise<Record<string, number | string> | undefined> {
    const stats = await this.room.getRtcStats();
    // One peer connection may carry both directions (livekit-server 1.13): it is then listed as the publisher.
    for (const entry of [...stats.subscriberStats, ...stats.publisherStats]) {
      if (entry.stats.case !== 'inboundRtp' || entry.stats.value.stream?.kind !== 'video') continue;
      const inbound = entry.stats.value.inbound;
      const received = entry.stats.value.received;
      return {
        packetsReceived: Number(received?.packetsReceived ?? 0n),
        packetsLost: Number(received?.packetsLost ?? 0n),
        bytesReceived: Number(inbound?.bytesReceived ?? 0n),
        framesReceived: Number(inbound?.framesReceived ?? 0n),
        framesDecoded: inbound?.framesDecoded ?? 0,
        keyFramesDecoded: inbound?.keyFramesDecoded ?? 0,
        framesDropped: inbound?.framesDropped ?? 0,
        pliCount: inbound?.pliCount ?? 0,
        firCount: inbound?.firCount ?? 0,
        nackCount: inbound?.nackCount ?? 0,
        decoder: inbound?.decoderImplementation ?? '',
      };
    }
    return undefined;
  }

  #read(track: RemoteTrack, from: string): void {
    if (track.kind === TrackKind.KIND_VIDEO) {
      const stream = new VideoStream(track);
      this.#streams.push(stream);
      void drainStream(stream.getReader(), ({ frame, timestampUs }) => {
        if (this.videoFrames.length === 0) this.#note(`first video frame from ${from}`);
        this.videoFrames.push({
          at: performance.now(),
          width: frame.width,
          height: frame.height,
          timestampUs,
          marker: frameMarker(frame),
        });
      });
    } else if (track.kind === TrackKind.KIND_AUDIO) {
      const stream = new AudioStream(track, { sampleRate: 16_000, numChannels: 1 });
      this.#streams.push(stream);
      void drainStream(stream.getReader(), (frame) => {
        this.audio.push({
          at: performance.now(),
          samples: frame.data.slice(),
          sampleRate: frame.sampleRate,
          from,
        });
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

  /**
   * How far into a chirp (seconds) the audio received since `sinceMs` got: the pitch of the last 40 ms window
   * that is loud all through and highest, plus half a window. Zero crossings give the pitch to ±12.5 Hz (±12.5 ms).
   */
  chirpReachedS(sinceMs = 0): number | undefined {
    const samples = this.#samplesSince(sinceMs);
    const window = 640; // 40 ms at 16 kHz
    let reached: number | undefined;
    for (let at = 0; at + window <= samples.length; at += window / 4) {
      const part = samples.subarray(at, at + window);
      if (!loudThroughout(part)) continue;
      // Crossings with hysteresis, so codec noise around zero does not count as pitch.
      let crossings = 0;
      let positive = part[0]! >= 0;
      for (const sample of part) {
        if (positive ? sample < -HYSTERESIS : sample > HYSTERESIS) {
          positive = !positive;
          crossings++;
        }
      }
      const hz = crossings / 2 / 0.04;
      const reachedHere = (hz - CHIRP_START_HZ) / CHIRP_HZ_PER_S + 0.02;
      // The highest pitch, not the last window: a viewer's concealment of a late packet can break the tail.
      reached = Math.max(reached ?? 0, reachedHere);
    }
    return reached;
  }

  #samplesSince(sinceMs: number): Int16Array {
    const chunks = this.audio.filter((chunk) => chunk.at >= sinceMs);
    const out = new Int16Array(chunks.reduce((n, chunk) => n + chunk.samples.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk.samples, offset);
      offset += chunk.samples.length;
    }
    return out;
  }

  async close(): Promise<void> {
    this.#note('closing: cancelling streams');
    await Promise.allSettled(this.#streams.map((stream) => stream.cancel()));
    this.#note('closing: disconnecting');
    await this.room.disconnect().catch(() => undefined);
    this.#note('closed');
  }
}

/**
 * The frame number (pts / 40 ms, mod 256) the solid-colour test renderer paints into the chroma planes, read
 * back from the decoded picture: the mean of a few U samples from the middle of the plane.
 */
function frameMarker(frame: VideoFrame): number {
  const i420 = frame.type === VideoBufferType.I420 ? frame : frame.convert(VideoBufferType.I420);
  const u = i420.getPlane(1);
  if (!u || u.length === 0) return -1;
  let sum = 0;
  const samples = 16;
  const start = Math.floor(u.length / 2);
  for (let i = 0; i < samples; i++) sum += u[start + i] ?? 0;
  return Math.round(sum / samples);
}

function loudThroughout(part: Int16Array, threshold = 1000): boolean {
  for (let at = 0; at + 160 <= part.length; at += 160) {
    let sum = 0;
    for (let i = at; i < at + 160; i++) sum += part[i]! ** 2;
    if (Math.sqrt(sum / 160) < threshold) return false;
  }
  return true;
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

/**
 * Speech stand-in whose pitch tells the time: a chirp at CHIRP_START_HZ + CHIRP_HZ_PER_S·t, as raw little-endian
 * int16 bytes with `channels` interleaved channels. A viewer reads how far it played from the last pitch it heard,
 * which a jitter buffer's time-stretching does not change (it keeps pitch), unlike a count of loud milliseconds.
 */
export function chirpBytes(ms: number, rate: number, channels: number, amplitude = 8000): Uint8Array {
  const frames = Math.round((rate * ms) / 1000);
  const pcm = new Int16Array(frames * channels);
  for (let i = 0; i < frames; i++) {
    const t = i / rate;
    const phase = 2 * Math.PI * (CHIRP_START_HZ * t + (CHIRP_HZ_PER_S / 2) * t * t);
    const value = Math.round(amplitude * Math.sin(phase));
    for (let c = 0; c < channels; c++) pcm[i * channels + c] = value;
  }
  return new Uint8Array(pcm.buffer);
}

export const CHIRP_START_HZ = 300;
const HYSTERESIS = 500;
export const CHIRP_HZ_PER_S = 1000;
