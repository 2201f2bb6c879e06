/**
 * bench/livekit-cpu-publish.ts's viewers, in a child process (niced by the parent, so decoding does not take the
 * measured publisher's cores): one rtc-node subscriber per room that decodes the avatar's video and audio, keeps
 * its last decoded frames (copied, I420) and reports libwebrtc's receive stats.
 */
import { writeFileSync } from 'node:fs';
import {
  AudioStream,
  type RemoteTrack,
  Room,
  RoomEvent,
  TrackKind,
  VideoBufferType,
  VideoStream,
} from '@livekit/rtc-node';
import { drainStream } from '../e2e/livekit/drain-stream.js';
import { mintToken } from '../e2e/livekit/livekit-server.js';
import { serveParent } from './livekit-common.js';

const server = JSON.parse(process.env.BENCH_LIVEKIT ?? '{}') as {
  url: string;
  apiKey: string;
  apiSecret: string;
};
/** Frames kept for the quality comparison (one second). */
const KEEP = 25;

type Command =
  | { id: number; op: 'join'; room: string }
  | { id: number; op: 'stats'; room: string }
  | { id: number; op: 'dump'; room: string; file: string }
  | { id: number; op: 'leave'; room: string };

class Viewer {
  readonly room = new Room();
  frames = 0;
  audioMs = 0;
  width = 0;
  height = 0;
  readonly kept: Uint8Array[] = [];
  readonly #streams: { cancel(): Promise<void> }[] = [];

  async join(roomName: string): Promise<void> {
    this.room.on(RoomEvent.TrackSubscribed, (track) => this.#read(track));
    const token = mintToken(server, { identity: `viewer-${roomName}`, room: roomName, canPublish: false });
    await this.room.connect(server.url, token, { autoSubscribe: true, dynacast: false });
  }

  #read(track: RemoteTrack): void {
    if (track.kind === TrackKind.KIND_VIDEO) {
      const stream = new VideoStream(track);
      this.#streams.push(stream);
      void drainStream(stream.getReader(), ({ frame }) => {
        this.frames++;
        const i420 = frame.type === VideoBufferType.I420 ? frame : frame.convert(VideoBufferType.I420);
        this.width = i420.width;
        this.height = i420.height;
        this.kept.push(i420.data.slice());
        if (this.kept.length > KEEP) this.kept.shift();
      });
    } else if (track.kind === TrackKind.KIND_AUDIO) {
      const stream = new AudioStream(track, { sampleRate: 16_000, numChannels: 1 });
      this.#streams.push(stream);
      void drainStream(stream.getReader(), (frame) => {
        this.audioMs += (frame.samplesPerChannel * 1000) / frame.sampleRate;
      });
    }
  }

  /** libwebrtc's inbound-rtp counters (cumulative), per kind. */
  async inbound(): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    const stats = await this.room.getRtcStats();
    for (const entry of [...stats.subscriberStats, ...stats.publisherStats]) {
      if (entry.stats.case !== 'inboundRtp') continue;
      const kind = entry.stats.value.stream?.kind ?? '?';
      const inbound = entry.stats.value.inbound;
      out[kind] = {
        bytesReceived: Number(inbound?.bytesReceived ?? 0n),
        framesDecoded: inbound?.framesDecoded ?? 0,
        framesDropped: inbound?.framesDropped ?? 0,
        freezeCount: inbound?.freezeCount ?? 0,
        qpSum: Number(inbound?.qpSum ?? 0n),
        packetsLost: Number(entry.stats.value.received?.packetsLost ?? 0n),
        concealedSamples: Number(inbound?.concealedSamples ?? 0n),
        totalSamplesReceived: Number(inbound?.totalSamplesReceived ?? 0n),
      };
    }
    return out;
  }

  async leave(): Promise<void> {
    await Promise.allSettled(this.#streams.map((stream) => stream.cancel()));
    await this.room.disconnect().catch(() => undefined);
  }
}

const viewers = new Map<string, Viewer>();

serveParent<Command>(async (command) => {
  if (command.op === 'join') {
    const viewer = new Viewer();
    viewers.set(command.room, viewer);
    await viewer.join(command.room);
    return {};
  }
  const viewer = viewers.get(command.room);
  if (!viewer) throw new Error(`no viewer in ${command.room}`);
  if (command.op === 'stats')
    return { frames: viewer.frames, audioMs: viewer.audioMs, inbound: await viewer.inbound() };
  if (command.op === 'dump') {
    const frames = [...viewer.kept];
    writeFileSync(command.file, Buffer.concat(frames));
    return { count: frames.length, width: viewer.width, height: viewer.height };
  }
  viewers.delete(command.room);
  await viewer.leave();
  return {};
});
