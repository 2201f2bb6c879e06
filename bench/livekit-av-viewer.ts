/**
 * bench:livekit-av's rtc-node subscriber, in a child process of its own (not niced) so that its event loop
 * delivers what rtc-node hands it without waiting behind the measured avatar. It joins a room like any viewer
 * (VideoStream, AudioStream at 16 kHz) and answers, per spoken segment, when
 * the decoded frame of the segment's first pts and the segment's first audio sample came out of rtc-node.
 *
 * What the times mean (rtc-node 1.1 / livekit-ffi 0.12, libwebrtc m144): the AudioStream is a sink on the remote
 * audio track, fed when the SDK's synthetic playout task pulls 10 ms from the mixer every 10 ms, i.e. after
 * NetEq's jitter buffer, at the playout clock (what a speaker would play). The VideoStream gets each frame when
 * the receive stream's frame scheduler releases it to the decoder, at its render time (the jitter buffer's
 * target, where libwebrtc's A/V sync adds its delay). So both are "when a viewer would see/hear it".
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readIndexBlocks } from '@agenthuman/engine/testing';
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
import { drainStream } from '../e2e/livekit/drain-stream.js';
import { mintToken } from '../e2e/livekit/livekit-server.js';
import { serveParent } from './livekit-common.js';

export type ViewerCommand =
  | { op: 'join'; room: string; identity: string }
  | { op: 'measure'; room: string; sinceAbs: number; startPts: number }
  | { op: 'leave'; room: string };

/** One segment at the viewer (absolute ms: performance.timeOrigin + performance.now()). */
export interface ViewerMeasurement {
  /** When the frame painted with the segment's start pts came out, from the frames around it (see below). */
  videoAt: number | undefined;
  /** The same from the frames' render times (libwebrtc's schedule: jitter buffer target + A/V sync delay). */
  videoRenderAt: number | undefined;
  /** The first frame with exactly that marker, if one was decoded (no estimate). */
  videoExactAt: number | undefined;
  /** When the first audio sample of the segment came out of the AudioStream. */
  audioAt: number | undefined;
  /** Frames around the start used for `videoAt`. */
  framesUsed: number;
  /** Longest gap between audio frames out of the AudioStream around the segment (delivery jitter, ms). */
  audioGapMaxMs: number;
  /**
   * This process's event-loop delay since the previous measurement (p99, max; ms): how late a frame's or an audio
   * chunk's arrival time can be read here after rtc-node handed it over.
   */
  eventLoopDelayMs?: { p99: number; max: number };
  /**
   * libwebrtc's receive stats over the segment (getRtcStats, inbound-rtp): mean jitter-buffer delay per emitted
   * audio sample / video frame and its target, and the mean decode time per frame (ms).
   */
  jitterBuffersMs?: Record<string, number>;
}

const FRAME_MS = 40;
const ONSET_LEVEL = 2000;
const livekit = JSON.parse(process.env.BENCH_LIVEKIT ?? '{}') as {
  url: string;
  apiKey: string;
  apiSecret: string;
};
const viewers = new Map<string, Viewer>();
const abs = (at: number) => performance.timeOrigin + at;
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();

/** A subscriber that keeps, per decoded frame, its arrival and painted index, and every audio frame. */
class Viewer {
  readonly room = new Room();
  #lastStats = new Map<
    string,
    { delay: number; target: number; count: number; decode: number; frames: number }
  >();
  readonly videoFrames: { at: number; marker: number; renderAt: number }[] = [];
  readonly audio: { at: number; samples: Int16Array; sampleRate: number }[] = [];
  #streams: { cancel(): Promise<void> }[] = [];

  async join(roomName: string, identity: string): Promise<void> {
    this.room.on(RoomEvent.TrackSubscribed, (track) => this.#read(track));
    const token = mintToken(livekit, { identity, room: roomName, canPublish: false });
    await this.room.connect(livekit.url, token, { autoSubscribe: true, dynacast: false });
  }

  #read(track: RemoteTrack): void {
    if (track.kind === TrackKind.KIND_VIDEO) {
      const stream = new VideoStream(track);
      this.#streams.push(stream);
      void drainStream(stream.getReader(), ({ frame, timestampUs }) => {
        const at = performance.now();
        // The frame's timestamp is its render time on libwebrtc's clock (CLOCK_MONOTONIC µs, as hrtime).
        const renderInMs = Number(timestampUs - process.hrtime.bigint() / 1000n) / 1000;
        this.videoFrames.push({ at, marker: marker(frame) ?? -1, renderAt: at + renderInMs });
      });
    } else if (track.kind === TrackKind.KIND_AUDIO) {
      const stream = new AudioStream(track, { sampleRate: 16_000, numChannels: 1 });
      this.#streams.push(stream);
      void drainStream(stream.getReader(), (frame) => {
        this.audio.push({ at: performance.now(), samples: frame.data.slice(), sampleRate: frame.sampleRate });
      });
    }
  }

  /** Jitter-buffer delays since the previous call, per kind (the same figures chromium's getStats gives). */
  async jitterBuffers(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    const stats = await this.room.getRtcStats();
    // One peer connection carries both directions here (livekit-server 1.13, protocol 17): it is listed as the publisher.
    const subscriberStats = [...stats.subscriberStats, ...stats.publisherStats];
    for (const entry of subscriberStats) {
      if (entry.stats.case !== 'inboundRtp') continue;
      const kind = entry.stats.value.stream?.kind ?? '?';
      const inbound = entry.stats.value.inbound;
      const now = {
        delay: inbound?.jitterBufferDelay ?? 0,
        target: inbound?.jitterBufferTargetDelay ?? 0,
        count: Number(inbound?.jitterBufferEmittedCount ?? 0n),
        decode: inbound?.totalDecodeTime ?? 0,
        frames: inbound?.framesDecoded ?? 0,
      };
      const last = this.#lastStats.get(kind) ?? { delay: 0, target: 0, count: 0, decode: 0, frames: 0 };
      this.#lastStats.set(kind, now);
      const count = now.count - last.count;
      if (count <= 0) continue;
      out[`${kind}DelayMs`] = (1000 * (now.delay - last.delay)) / count;
      out[`${kind}TargetMs`] = (1000 * (now.target - last.target)) / count;
      if (now.frames > last.frames)
        out[`${kind}DecodeMs`] = (1000 * (now.decode - last.decode)) / (now.frames - last.frames);
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#streams.map((stream) => stream.cancel()));
    await this.room.disconnect().catch(() => undefined);
  }
}

function marker(frame: VideoFrame): number | undefined {
  const i420 = frame.type === VideoBufferType.I420 ? frame : frame.convert(VideoBufferType.I420);
  // I420 planes are contiguous, luma first with the frame's width as stride.
  return readIndexBlocks(i420.data, i420.width, i420.height);
}

function measure(viewer: Viewer, sinceAbs: number, startPts: number): ViewerMeasurement {
  const startIndex = Math.round(startPts / FRAME_MS);
  // Each decoded frame near the start says when the start frame came out: its own time minus its distance in
  // frames. The median of these is the frame cadence's line at the start frame, robust to a late or skipped
  // frame (an encoder under load may halve the frame rate).
  const arrivals: number[] = [];
  const renders: number[] = [];
  let videoExactAt: number | undefined;
  for (const frame of viewer.videoFrames) {
    const at = abs(frame.at);
    if (at < sinceAbs - 1000 || frame.marker < 0) continue;
    const distance = ((((frame.marker - (startIndex % 256)) % 256) + 384) % 256) - 128;
    if (Math.abs(distance) > 5) continue;
    if (distance === 0 && videoExactAt === undefined) videoExactAt = at;
    arrivals.push(at - distance * FRAME_MS);
    renders.push(abs(frame.renderAt) - distance * FRAME_MS);
  }

  let audioAt: number | undefined;
  let audioGapMaxMs = 0;
  let previous: number | undefined;
  for (const chunk of viewer.audio) {
    const at = abs(chunk.at);
    if (at < sinceAbs) continue;
    if (previous !== undefined && audioAt === undefined)
      audioGapMaxMs = Math.max(audioGapMaxMs, at - previous);
    previous = at;
    if (audioAt !== undefined) continue;
    const index = chunk.samples.findIndex((sample) => Math.abs(sample) > ONSET_LEVEL);
    // A 10 ms frame starts playing when the playout task pulls it, i.e. when it comes out; sample i plays i/rate
    // later. (The chirp crosses the level 0.13 ms after its first sample.)
    if (index >= 0) audioAt = at + (index * 1000) / chunk.sampleRate;
  }
  return {
    videoAt: median(arrivals),
    videoRenderAt: median(renders),
    videoExactAt,
    audioAt,
    framesUsed: arrivals.length,
    audioGapMaxMs,
    eventLoopDelayMs: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
  };
}

function median(values: number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : undefined;
}

async function handle(command: ViewerCommand): Promise<Record<string, unknown>> {
  if (command.op === 'join') {
    const viewer = new Viewer();
    await viewer.join(command.room, command.identity);
    viewers.set(command.room, viewer);
    return {};
  }
  const viewer = viewers.get(command.room);
  if (!viewer) throw new Error(`no viewer in room ${command.room}`);
  if (command.op === 'measure') {
    const result = {
      ...measure(viewer, command.sinceAbs, command.startPts),
      jitterBuffersMs: await viewer.jitterBuffers().catch(() => undefined),
    };
    loopDelay.reset();
    // Keep memory flat over many segments: what is older than this segment is not asked for again.
    const keepFrom = command.sinceAbs - performance.timeOrigin - 2000;
    dropBefore(viewer.videoFrames, keepFrom);
    dropBefore(viewer.audio, keepFrom);
    return { measurement: result };
  }
  viewers.delete(command.room);
  await viewer.close();
  return {};
}

function dropBefore(list: { at: number }[], at: number): void {
  const index = list.findIndex((item) => item.at >= at);
  list.splice(0, index < 0 ? list.length : index);
}

serveParent<ViewerCommand & { id: number }>(handle);
