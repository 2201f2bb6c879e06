import { availableParallelism, loadavg } from 'node:os';
import { setLiveDefaults } from '@agenthuman/engine';
import { LiveAvatar } from '@agenthuman/engine/live';
import { RenderWorkerPool } from '@agenthuman/engine/render';
import { solidColourRendererSpec } from '@agenthuman/engine/testing';
import { joinLiveAvatar, type LiveKitAvatar } from '@agenthuman/rooms/livekit';
import { Room } from '@livekit/rtc-node';
import { AVATAR_IDENTITY, chirpBytes, waitFor } from '../e2e/livekit/avatar-harness.js';
import {
  type LiveKitServer,
  mintToken,
  roomService,
  startLiveKitServer,
} from '../e2e/livekit/livekit-server.js';
import { BrowserViewer } from './livekit-av-browser.js';
import type { ViewerCommand, ViewerMeasurement } from './livekit-av-viewer.js';
import { BenchChild, ttsFrames } from './livekit-common.js';
import { percentile } from './stats.js';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const SEGMENTS = Number(arg('segments', '24'));
const RENDER_MS = Number(arg('render-ms', '0'));
const SYNC_MODES = arg('sync', 'off,on').split(',') as ('off' | 'on')[];
/** `--align=off,on`: frames sent at once (as before AlignedSinks), or held until their audio leaves rtc-node. */
const ALIGN_MODES = arg('align', 'off,on').split(',') as ('off' | 'on')[];
/** `--video-delay=0,40`: with --align on, frames held this much beyond their audio (AlignedSinks' videoDelayMs). */
const VIDEO_DELAYS = arg('video-delay', '0,40').split(',').map(Number);
/** `--browser=off`: only the rtc-node subscriber. */
const BROWSER = arg('browser', 'on') === 'on';
/** `--lipsync-put-off=1` / `--own-slice-wait=1`: the lip-sync scheduling switches (live-defaults.ts), for A/B. */
setLiveDefaults({
  lipSyncPutOff: arg('lipsync-put-off', '0') !== '0',
  ownSliceWait: arg('own-slice-wait', '0') !== '0',
});
const SEGMENT_MS = 800;
/** join, measure and leave each take seconds at most: past this the viewer is hung. */
const VIEWER_TIMEOUT_MS = 60_000;

const now = () => performance.timeOrigin + performance.now();
const round = (value: number) => Math.round(value * 10) / 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function summary(values: number[]) {
  return {
    n: values.length,
    median: percentile(values, 50),
    p5: percentile(values, 5),
    p95: percentile(values, 95),
    p95Abs: percentile(values.map(Math.abs), 95),
  };
}

/** The viewer child process (bench/livekit-av-viewer.ts). */
class Viewer extends BenchChild {
  constructor(livekit: LiveKitServer) {
    super('./livekit-av-viewer.ts', livekit, { name: 'viewer', timeoutMs: VIEWER_TIMEOUT_MS });
  }

  call<T>(command: ViewerCommand): Promise<T> {
    return this.request<T>(command, command.op);
  }
}

interface Avatar {
  live: LiveAvatar;
  livekit: LiveKitAvatar;
  close(): Promise<void>;
}

/** The avatar as the server joins it (joinLiveAvatar), with the test renderer at `RENDER_MS` per frame. */
async function startAvatar(
  livekit: LiveKitServer,
  room: string,
  align: boolean,
  videoDelayMs: number,
): Promise<Avatar> {
  const pool = new RenderWorkerPool({ size: 1 });
  const live = await LiveAvatar.start({
    avatar: {
      spec: solidColourRendererSpec({
        width: 640,
        height: 480,
        textured: true,
        indexBlocks: true,
        costMs: RENDER_MS,
      }),
      seed: 1,
    },
    pool,
  });
  const token = mintToken(livekit, {
    identity: AVATAR_IDENTITY,
    room,
    kind: 'agent',
    attributes: { 'lk.publish_on_behalf': 'agent' },
  });
  const joined = await joinLiveAvatar(live, {
    url: livekit.url,
    token,
    alignVideoToAudio: align,
    videoDelayMs,
  });
  return {
    live,
    livekit: joined,
    close: async () => {
      await joined.close('bench_over');
      await live.close();
      await pool.close();
    },
  };
}

async function startAgent(livekit: LiveKitServer, room: string) {
  const agent = new Room();
  await agent.connect(livekit.url, mintToken(livekit, { identity: 'agent', room, kind: 'agent' }), {
    autoSubscribe: false,
    dynacast: false,
  });
  let finished = 0;
  agent.localParticipant!.registerRpcMethod('lk.playback_started', async () => 'ok');
  agent.localParticipant!.registerRpcMethod('lk.playback_finished', async () => {
    finished++;
    return 'ok';
  });
  return {
    agent,
    finished: () => finished,
    /** One segment as DataStreamAudioOutput sends it: one write per TTS frame, faster than real time. */
    async speak(ms: number): Promise<void> {
      const bytes = chirpBytes(ms, 16_000, 1);
      const writer = await agent.localParticipant!.streamBytes({
        name: `AUDIO_${Math.random().toString(36).slice(2)}`,
        topic: 'lk.audio_stream',
        destinationIdentities: [AVATAR_IDENTITY],
        attributes: { sample_rate: '16000', num_channels: '1' },
      });
      for (const frame of ttsFrames(bytes, 16_000, 1)) await writer.write(frame);
      await writer.close();
    },
  };
}

async function measureRoom(
  livekit: LiveKitServer,
  viewer: Viewer,
  sync: 'off' | 'on',
  align: 'off' | 'on',
  videoDelayMs: number,
) {
  const room = `av-${process.pid}-${sync}-${align}-${videoDelayMs}`;
  await roomService(livekit, 'CreateRoom', { name: room, sync_streams: sync === 'on' });
  await viewer.call({ op: 'join', room, identity: 'viewer' });
  const agent = await startAgent(livekit, room);
  const avatar = await startAvatar(livekit, room, align === 'on', videoDelayMs);
  const starts: number[] = [];
  avatar.live.on('segment.started', (event) => starts.push(event.ptsMs));
  // When each pts reached rtc-node, and what its AudioSource still held at that moment.
  const handedAudio = new Map<number, { at: number; queuedMs: number }>();
  const handedVideo = new Map<number, number>();
  const { audioSink, videoSink } = avatar.livekit;
  const writeAudio = audioSink.writeAudio.bind(audioSink);
  audioSink.writeAudio = (chunk) => {
    if (!chunk.idle) handedAudio.set(chunk.ptsMs, { at: now(), queuedMs: audioSink.queuedMs });
    writeAudio(chunk);
  };
  const writeVideo = videoSink.writeVideo.bind(videoSink);
  videoSink.writeVideo = (frame) => {
    handedVideo.set(frame.ptsMs, now());
    writeVideo(frame);
  };

  const viewers: {
    name: string;
    measure: (sinceAbs: number, startPts: number) => Promise<ViewerMeasurement>;
  }[] = [
    {
      name: 'rtcNode',
      measure: async (sinceAbs, startPts) =>
        (await viewer.call<{ measurement: ViewerMeasurement }>({ op: 'measure', room, sinceAbs, startPts }))
          .measurement,
    },
  ];
  const browser = BROWSER ? new BrowserViewer() : undefined;
  if (browser) {
    await browser.join(livekit.url, mintToken(livekit, { identity: 'browser', room, canPublish: false }));
    viewers.push({ name: 'chromium', measure: (sinceAbs, startPts) => browser.measure(sinceAbs, startPts) });
  }
  const results = viewers.map(() => ({
    offset: [] as number[],
    byRender: [] as number[],
    exact: [] as number[],
    renderAfterArrival: [] as number[],
    audioGapMax: [] as number[],
    loopDelayP99: [] as number[],
    loopDelayMax: [] as number[],
    jitter: [] as Record<string, number>[],
    errors: new Set<string>(),
    streams: undefined as Record<string, string> | undefined,
  }));
  const handedOffset: number[] = [];
  const leavesOffset: number[] = [];
  const queuedAtStart: number[] = [];
  const jitter: Record<string, Record<string, number>>[] = [];
  try {
    await sleep(2000);
    await browser?.jitterBuffers();
    for (let i = 0; i < SEGMENTS; i++) {
      handedAudio.clear();
      handedVideo.clear();
      const finishedBefore = agent.finished();
      const sinceAbs = now();
      await agent.speak(SEGMENT_MS);
      await waitFor('playback_finished', () => agent.finished() > finishedBefore, 15_000);
      // The viewer's jitter buffers hold the end a little longer than the avatar's queue.
      await sleep(300);
      const startPts = starts.at(-1);
      if (startPts === undefined) continue;
      for (const [i, v] of viewers.entries()) {
        const m = await v.measure(sinceAbs, startPts);
        const r = results[i]!;
        if (m.audioAt !== undefined && m.videoAt !== undefined) r.offset.push(m.audioAt - m.videoAt);
        if (m.audioAt !== undefined && m.videoRenderAt !== undefined)
          r.byRender.push(m.audioAt - m.videoRenderAt);
        if (m.audioAt !== undefined && m.videoExactAt !== undefined) r.exact.push(m.audioAt - m.videoExactAt);
        if (m.videoAt !== undefined && m.videoRenderAt !== undefined)
          r.renderAfterArrival.push(m.videoRenderAt - m.videoAt);
        r.audioGapMax.push(m.audioGapMaxMs);
        if (m.jitterBuffersMs) r.jitter.push(m.jitterBuffersMs);
        if (m.eventLoopDelayMs) {
          r.loopDelayP99.push(m.eventLoopDelayMs.p99);
          r.loopDelayMax.push(m.eventLoopDelayMs.max);
        }
        for (const error of (m as { errors?: string[] }).errors ?? []) r.errors.add(error);
        r.streams = (m as { streams?: Record<string, string> }).streams ?? r.streams;
      }
      if (browser) jitter.push(await browser.jitterBuffers());
      const audio = handedAudio.get(startPts);
      const video = handedVideo.get(startPts);
      if (audio && video !== undefined) {
        handedOffset.push(audio.at - video);
        leavesOffset.push(audio.at + audio.queuedMs - video);
        queuedAtStart.push(audio.queuedMs);
      }
      await sleep(200 + Math.random() * 200);
    }
  } finally {
    await viewer.call({ op: 'leave', room }).catch(() => undefined);
    await browser?.close();
    await avatar.close();
    await agent.agent.disconnect();
  }
  return {
    syncStreams: sync,
    alignVideoToAudio: align,
    videoDelayMs,
    viewers: Object.fromEntries(
      viewers.map((v, i) => {
        const r = results[i]!;
        return [
          v.name,
          {
            offsetMs: { ...summary(r.offset), samples: r.offset.map(round) },
            // rtc-node: against the frames' render times (libwebrtc's schedule) instead of their arrival;
            // chromium: against presentationTime instead of expectedDisplayTime.
            offsetByRenderTimeMs: summary(r.byRender),
            videoRenderTimeAfterArrivalMs: summary(r.renderAfterArrival),
            // Against the one frame with exactly the start index (no neighbours): more jitter, same centre.
            offsetExactFrameMs: summary(r.exact),
            ...(v.name === 'rtcNode' && {
              audioDeliveryGapMaxMs: summary(r.audioGapMax),
              // The viewer process's event-loop delay per segment (p99 and max of each): the bound on how late
              // it can have stamped a frame or an audio chunk.
              viewerEventLoopDelayP99Ms: summary(r.loopDelayP99),
              viewerEventLoopDelayMaxMs: summary(r.loopDelayMax),
              // libwebrtc's own receive stats per segment (getRtcStats): medians, and each segment's in order.
              jitterBuffersMs: Object.fromEntries(
                [...new Set(r.jitter.flatMap((j) => Object.keys(j)))].map((field) => [
                  field,
                  {
                    median: percentile(
                      r.jitter.flatMap((j) => (j[field] === undefined ? [] : [j[field]!])),
                      50,
                    ),
                    samples: r.jitter.map((j) => (j[field] === undefined ? null : round(j[field]!))),
                  },
                ]),
              ),
            }),
            ...(r.errors.size > 0 && { errors: [...r.errors] }),
            ...(r.streams && { streamIds: r.streams }),
          },
        ];
      }),
    ),
    ...(browser && {
      // Chromium's RTCRtpReceiver stats per segment: jitter-buffer delay per emitted sample / frame (its NetEq
      // for audio), and its AudioContext's latencies.
      chromiumJitterBuffersMs: Object.fromEntries(
        ['audio', 'video', 'audioOutput'].flatMap((kind) =>
          Object.keys(jitter.find((j) => j[kind])?.[kind] ?? {}).map((field) => [
            `${kind}.${field}`,
            percentile(
              jitter.flatMap((j) => (j[kind]?.[field] === undefined ? [] : [j[kind]![field]!])),
              50,
            ),
          ]),
        ),
      ),
    }),
    publisher: {
      // Audio chunk handed − frame handed, same pts (< 0: the frame left after its audio: render time).
      handedAudioMinusVideoMs: summary(handedOffset),
      // Audio rtc-node's AudioSource held when the start chunk was handed: it leaves that much later.
      audioSourceQueuedMs: summary(queuedAtStart),
      // When the start audio leaves the queue (handed + queued) − frame handed: what the subscriber starts from.
      audioLeavesMinusVideoHandedMs: summary(leavesOffset),
    },
    loadavg: loadavg().map(round),
  };
}

async function main(): Promise<void> {
  const livekit = await startLiveKitServer();
  const viewer = new Viewer(livekit);
  let failed = false;
  try {
    await viewer.ready;
    const loadBefore = loadavg().map(round);
    const rooms = [];
    for (const align of ALIGN_MODES)
      for (const sync of SYNC_MODES) {
        for (const delay of align === 'on' ? VIDEO_DELAYS : [0])
          rooms.push(await measureRoom(livekit, viewer, sync, align, delay));
        console.error(JSON.stringify(rooms.at(-1)));
      }
    console.log(
      JSON.stringify({
        bench: 'livekit-av',
        livekit_server: 'v1.13.5, loopback, dev mode',
        renderer: `solid-colour test renderer 640x480 (textured), ${RENDER_MS} ms per frame`,
        segmentMs: SEGMENT_MS,
        rooms,
        machine: {
          cores: availableParallelism(),
          loadavgBefore: loadBefore,
          loadavgAfter: loadavg().map(round),
        },
      }),
    );
  } catch (error) {
    console.error(error);
    failed = true;
  } finally {
    viewer.child.kill();
    await livekit.stop();
    // libwebrtc threads can keep the process alive (and crash on a natural exit) once rooms existed.
    process.exit(failed ? 1 : 0);
  }
}

await main();
