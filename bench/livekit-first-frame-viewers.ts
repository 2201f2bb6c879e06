/**
 * bench/livekit-first-frame.ts's viewers, in a child process of their own (as bench:livekit's peers are): many
 * rtc-node viewers of many rooms in one process, each traced from its join to its first decoded video frame —
 * the room events it saw, when, and on a miss what libwebrtc's inbound-rtp said (packets, keyframes, PLIs).
 * Driven over IPC (livekit-common.ts's `serveParent`); times are absolute (performance.timeOrigin + now).
 */
import { Room, RoomEvent, TrackKind, VideoStream } from '@livekit/rtc-node';
import { drainStream } from '../e2e/livekit/drain-stream.js';
import { mintToken } from '../e2e/livekit/livekit-server.js';
import { now, serveParent } from './livekit-common.js';

export type ViewerCommand =
  /** Joins `room` as `name` (resolves once connected) and starts watching for the first video frame. */
  | { op: 'join'; room: string; name: string }
  /** Waits up to `withinMs` from the join for the first frame; answers the trace either way. */
  | { op: 'first-frame'; name: string; withinMs: number }
  | { op: 'leave'; name: string };
type Message = ViewerCommand & { id: number };

export interface ViewerTrace {
  name: string;
  room: string;
  joinedAt: number;
  connectedAt: number;
  firstFrameAt: number | undefined;
  /** Room events in order, ms after the join. */
  events: string[];
  /** On a miss: the video inbound-rtp figures libwebrtc had (undefined when it had no video receiver). */
  inboundVideo?: Record<string, number | string>;
}

type Viewer = { room: Room; trace: ViewerTrace; streams: VideoStream[] };

const livekit = JSON.parse(process.env.BENCH_LIVEKIT ?? '{}') as {
  url: string;
  apiKey: string;
  apiSecret: string;
};
const viewers = new Map<string, Viewer>();

async function join(roomName: string, name: string): Promise<object> {
  const room = new Room();
  const trace: ViewerTrace = {
    name,
    room: roomName,
    joinedAt: now(),
    connectedAt: 0,
    firstFrameAt: undefined,
    events: [],
  };
  const viewer: Viewer = { room, trace, streams: [] };
  viewers.set(name, viewer);
  const note = (what: string) => trace.events.push(`${Math.round(now() - trace.joinedAt)} ${what}`);
  room
    .on(RoomEvent.ParticipantConnected, (p) => note(`participantConnected ${p.identity}`))
    .on(RoomEvent.ParticipantDisconnected, (p) => note(`participantDisconnected ${p.identity}`))
    .on(RoomEvent.TrackPublished, (pub, p) => note(`trackPublished ${p?.identity} ${pub.kind} ${pub.sid}`))
    .on(RoomEvent.TrackSubscriptionFailed, (sid, p, error) =>
      note(`trackSubscriptionFailed ${p.identity} ${sid} ${error}`),
    )
    .on(RoomEvent.TrackUnsubscribed, (track, _pub, p) => note(`trackUnsubscribed ${p.identity} ${track.kind}`))
    .on(RoomEvent.Reconnecting, () => note('reconnecting'))
    .on(RoomEvent.Reconnected, () => note('reconnected'))
    .on(RoomEvent.Disconnected, (reason) => note(`disconnected ${reason}`))
    .on(RoomEvent.TrackSubscribed, (track, pub, p) => {
      note(`trackSubscribed ${p.identity} ${track.kind} ${pub.sid}`);
      if (track.kind !== TrackKind.KIND_VIDEO) return;
      const stream = new VideoStream(track);
      viewer.streams.push(stream);
      void drainStream(stream.getReader(), ({ frame }) => {
        if (trace.firstFrameAt === undefined) {
          trace.firstFrameAt = now();
          note(`firstFrame ${frame.width}x${frame.height}`);
        }
      });
    });
  await room.connect(livekit.url, mintToken(livekit, { identity: name, room: roomName, canPublish: false }), {
    autoSubscribe: true,
    dynacast: false,
  });
  trace.connectedAt = now();
  note(`connected, ${room.remoteParticipants.size} already in the room`);
  return {};
}

async function firstFrame(name: string, withinMs: number): Promise<{ trace: ViewerTrace }> {
  const viewer = viewers.get(name);
  if (!viewer) throw new Error(`no viewer ${name}`);
  const { trace } = viewer;
  while (trace.firstFrameAt === undefined && now() < trace.joinedAt + withinMs)
    await new Promise((resolve) => setTimeout(resolve, 20));
  if (trace.firstFrameAt === undefined) {
    trace.inboundVideo = await inboundVideo(viewer.room).catch((error) => ({ error: String(error) }));
    const listed = [...viewer.room.remoteParticipants.values()].map(
      (p) =>
        `${p.identity}: ${[...p.trackPublications.values()].map((pub) => `${pub.kind} subscribed=${pub.subscribed} track=${pub.track !== undefined}`).join(', ')}`,
    );
    trace.events.push(`at the miss: ${listed.join('; ') || 'nobody listed'}`);
  }
  return { trace };
}

/** libwebrtc's own view of the video receiver: did packets come, was a keyframe decoded, were PLIs sent. */
async function inboundVideo(room: Room): Promise<Record<string, number | string> | undefined> {
  const stats = await room.getRtcStats();
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

async function leave(name: string): Promise<object> {
  const viewer = viewers.get(name);
  if (!viewer) return {};
  viewers.delete(name);
  await Promise.allSettled(viewer.streams.map((stream) => stream.cancel()));
  await viewer.room.disconnect().catch(() => undefined);
  return {};
}

serveParent<Message>(async (command) => {
  switch (command.op) {
    case 'join':
      return join(command.room, command.name);
    case 'first-frame':
      return firstFrame(command.name, command.withinMs);
    case 'leave':
      return leave(command.name);
  }
});
