// bench:livekit — the avatar in a real LiveKit room (livekit-server from scripts/test-peers.mjs, on loopback),
// one session driven by an rtc-node participant that speaks the LiveKit Agents avatar protocol, watched by an
// rtc-node subscriber. Prints one JSON object on its last line:
// - `join_to_first_frame_ms`: pipeline start + join + publish → first video frame decoded at the subscriber;
// - `stream_to_published_frame_ms_p95`: the agent opens an lk.audio_stream → the first video frame of that speech
//   handed to the LiveKit video source;
// - `clear_to_playback_finished_ms_p95`: the agent's lk.clear_buffer call → its lk.playback_finished arrives;
// - `interrupted_position_error_ms_p95`: |reported playback_position − what the subscriber heard| (chirp pitch);
// - `av_offset_ms_*`: at the subscriber, the arrival of the decoded frame painted with the speech's first pts
//   minus the arrival of the speech's first audio (positive: video late). Not from publisher timestamps.
// - `concurrent`: N sessions speaking all the time (chirps back to back), each in its own room with its own
//   agent and viewer: frames the pipelines dropped or sent late, and the slowest viewer's received fps.
// Full server sessions come later (the lead extends this after the merge).
// Prints the load average with the figures: other work on the machine moves them.
import { availableParallelism, loadavg } from 'node:os';
import type { VideoFrame } from '@agenthuman/engine';
import { Room } from '@livekit/rtc-node';
import {
  AVATAR_IDENTITY,
  chirpBytes,
  Subscriber,
  startAvatarSession,
  waitFor,
} from '../e2e/livekit/avatar-harness.js';
import { type LiveKitServer, mintToken, startLiveKitServer } from '../e2e/livekit/livekit-server.js';
import { percentile, sleep } from './engine-setup.js';

const JOINS = Number(process.env.BENCH_LIVEKIT_JOINS ?? 3);
const SEGMENTS = Number(process.env.BENCH_LIVEKIT_SEGMENTS ?? 12);
const CLEARS = Number(process.env.BENCH_LIVEKIT_CLEARS ?? 8);
/** Concurrent speaking sessions to try, each in its own room with its own agent and viewer. */
const CONCURRENT = (process.env.BENCH_LIVEKIT_CONCURRENT ?? '2,4').split(',').filter(Boolean).map(Number);
const CONCURRENT_MS = 8_000;

interface RpcCall {
  method: string;
  payload: string;
  at: number;
}

async function agentIn(server: LiveKitServer, room: string): Promise<{ agent: Room; calls: RpcCall[] }> {
  const agent = new Room();
  await agent.connect(server.url, mintToken(server, { identity: 'agent', room, kind: 'agent' }), {
    autoSubscribe: false,
    dynacast: false,
  });
  const calls: RpcCall[] = [];
  for (const method of ['lk.playback_started', 'lk.playback_finished']) {
    agent.localParticipant!.registerRpcMethod(method, async (data) => {
      calls.push({ method, payload: data.payload, at: performance.now() });
      return 'ok';
    });
  }
  return { agent, calls };
}

async function speak(agent: Room, bytes: Uint8Array): Promise<number> {
  const opened = performance.now();
  const writer = await agent.localParticipant!.streamBytes({
    name: `AUDIO_${Math.random().toString(36).slice(2)}`,
    topic: 'lk.audio_stream',
    destinationIdentities: [AVATAR_IDENTITY],
    attributes: { sample_rate: '24000', num_channels: '1' },
  });
  for (let at = 0; at < bytes.length; at += 960) await writer.write(bytes.subarray(at, at + 960));
  await writer.close();
  return opened;
}

async function measureJoins(server: LiveKitServer): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < JOINS; i++) {
    const room = `bench-join-${i}`;
    const subscriber = await Subscriber.join(server, room);
    const started = performance.now();
    const session = await startAvatarSession(server, { room, agentIdentity: 'agent' });
    const first = await waitFor('a first frame', () => subscriber.videoFrames[0], 15_000);
    out.push(first.at - started);
    await session.close();
    await subscriber.close();
  }
  return out;
}

async function main(): Promise<void> {
  const server = await startLiveKitServer();
  try {
    const joins = await measureJoins(server);

    const room = 'bench-speech';
    const subscriber = await Subscriber.join(server, room);
    const { agent, calls } = await agentIn(server, room);
    const session = await startAvatarSession(server, { room, agentIdentity: 'agent' });
    const published: { pts: number; at: number }[] = [];
    session.live.attach({
      video: {
        writeVideo: (frame: VideoFrame) => void published.push({ pts: frame.ptsMs, at: performance.now() }),
      },
    });
    const starts: number[] = [];
    session.live.on('segment.started', (event) => starts.push(event.ptsMs));
    await waitFor('video at the subscriber', () => subscriber.videoFrames.length > 10, 15_000);

    const streamToFrame: number[] = [];
    const avOffset: number[] = [];
    for (let i = 0; i < SEGMENTS; i++) {
      const finishedBefore = calls.filter((c) => c.method === 'lk.playback_finished').length;
      const opened = await speak(agent, chirpBytes(600, 24_000, 1));
      await waitFor(
        'playback_finished',
        () => calls.filter((c) => c.method === 'lk.playback_finished').length > finishedBefore,
      );
      await sleep(300);
      const startPts = starts[starts.length - 1]!;
      const frame = published.find((p) => p.pts >= startPts);
      if (frame) streamToFrame.push(frame.at - opened);
      const videoAt = frameArrival(subscriber, opened, Math.round(startPts / 40) % 256);
      const audioAt = firstLoud(subscriber, opened);
      if (videoAt !== undefined && audioAt !== undefined) avOffset.push(videoAt - audioAt);
      await sleep(200);
    }

    const clearToFinished: number[] = [];
    const positionError: number[] = [];
    for (let i = 0; i < CLEARS; i++) {
      const finishedBefore = calls.filter((c) => c.method === 'lk.playback_finished').length;
      const opened = await speak(agent, chirpBytes(3000, 24_000, 1));
      await waitFor(
        'playback_started',
        () => calls.filter((c) => c.method === 'lk.playback_started').length > SEGMENTS + i,
      );
      await sleep(400 + 100 * i);
      const cleared = performance.now();
      await agent.localParticipant!.performRpc({
        destinationIdentity: AVATAR_IDENTITY,
        method: 'lk.clear_buffer',
        payload: '',
      });
      const finished = await waitFor(
        'playback_finished',
        () => calls.filter((c) => c.method === 'lk.playback_finished')[finishedBefore],
      );
      clearToFinished.push(finished.at - cleared);
      await sleep(400);
      const heard = subscriber.chirpReachedS(opened);
      if (heard !== undefined)
        positionError.push(Math.abs(JSON.parse(finished.payload).playback_position - heard) * 1000);
      await sleep(200);
    }

    const stats = session.live.stats;
    await session.close();
    await agent.disconnect();
    await subscriber.close();

    const concurrent: ConcurrentResult[] = [];
    for (const count of CONCURRENT) concurrent.push(await measureConcurrent(server, count));
    const round = (v: number) => Math.round(v * 10) / 10;
    console.log(
      JSON.stringify({
        bench: 'livekit',
        livekit_server: 'v1.13.5, loopback, dev mode',
        renderer: 'solid-colour test renderer 320x240 (textured)',
        join_to_first_frame_ms: joins.map(round),
        join_to_first_frame_ms_max: round(Math.max(...joins)),
        stream_to_published_frame_ms_p50: round(percentile(streamToFrame, 50)),
        stream_to_published_frame_ms_p95: round(percentile(streamToFrame, 95)),
        clear_to_playback_finished_ms_p50: round(percentile(clearToFinished, 50)),
        clear_to_playback_finished_ms_p95: round(percentile(clearToFinished, 95)),
        interrupted_position_error_ms_p95: round(percentile(positionError, 95)),
        interrupted_position_error_ms_max: round(Math.max(...positionError)),
        av_offset_ms_p50: round(percentile(avOffset, 50)),
        av_offset_ms_max_abs: round(Math.max(...avOffset.map(Math.abs))),
        samples: {
          joins: joins.length,
          segments: streamToFrame.length,
          av: avOffset.length,
          clears: clearToFinished.length,
          positions: positionError.length,
        },
        concurrent,
        pipeline: {
          late_frames: stats.output.lateFrames,
          dropped_renders: stats.render.dropped,
          late_ticks: stats.clock.lateTicks,
        },
        loadavg: loadavg().map((v) => Math.round(v * 100) / 100),
        cores: availableParallelism(),
      }),
    );
  } finally {
    await server.stop();
  }
  process.exit(0);
}

interface ConcurrentResult {
  sessions: number;
  dropped_renders: number;
  late_frames: number;
  viewer_fps_min: number;
  loadavg_1m: number;
}

async function measureConcurrent(server: LiveKitServer, count: number): Promise<ConcurrentResult> {
  const rigs = [];
  for (let i = 0; i < count; i++) {
    const room = `bench-concurrent-${count}-${i}`;
    const subscriber = await Subscriber.join(server, room);
    const { agent, calls } = await agentIn(server, room);
    const session = await startAvatarSession(server, { room, agentIdentity: 'agent' });
    rigs.push({ subscriber, agent, calls, session });
  }
  await Promise.all(
    rigs.map((rig) => waitFor('video', () => rig.subscriber.videoFrames.length > 10, 20_000)),
  );
  const stop = performance.now() + CONCURRENT_MS;
  const before = rigs.map((rig) => ({
    ...rig.session.live.stats,
    frames: rig.subscriber.videoFrames.length,
  }));
  const started = performance.now();
  // Each agent keeps one segment queued ahead of the one playing, so every avatar speaks without a gap.
  await Promise.all(
    rigs.map(async (rig) => {
      while (performance.now() < stop) {
        await speak(rig.agent, chirpBytes(2000, 24_000, 1));
        await waitFor('playback_started', () => rig.calls.length > 0, 10_000).catch(() => undefined);
        await sleep(1500);
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  const result = {
    sessions: count,
    dropped_renders: 0,
    late_frames: 0,
    viewer_fps_min: Number.POSITIVE_INFINITY,
    loadavg_1m: Math.round(loadavg()[0]! * 100) / 100,
  };
  rigs.forEach((rig, i) => {
    const stats = rig.session.live.stats;
    result.dropped_renders += stats.render.dropped - before[i]!.render.dropped;
    result.late_frames += stats.output.lateFrames - before[i]!.output.lateFrames;
    const fps = (rig.subscriber.videoFrames.length - before[i]!.frames) / elapsedS;
    result.viewer_fps_min = Math.min(result.viewer_fps_min, Math.round(fps * 10) / 10);
  });
  for (const rig of rigs) {
    await rig.session.close();
    await rig.agent.disconnect();
    await rig.subscriber.close();
  }
  return result;
}

/**
 * When the frame painted with `marker` arrived at the subscriber: the frames decoded within ±2 of it (the codec
 * may move a flat chroma level by one, or drop a frame), each moved by its distance in frames, median.
 */
function frameArrival(subscriber: Subscriber, sinceMs: number, marker: number): number | undefined {
  const estimates = subscriber.videoFrames
    .filter((f) => f.at > sinceMs && Math.abs(f.marker - marker) <= 2)
    .slice(0, 5)
    .map((f) => f.at - (f.marker - marker) * 40)
    .sort((a, b) => a - b);
  return estimates.length === 0 ? undefined : estimates[Math.floor(estimates.length / 2)];
}

/** Arrival (performance.now) of the first 10 ms of loud audio received after `sinceMs`. */
function firstLoud(subscriber: Subscriber, sinceMs: number): number | undefined {
  for (const chunk of subscriber.audio) {
    if (chunk.at < sinceMs) continue;
    const step = chunk.sampleRate / 100;
    for (let at = 0; at + step <= chunk.samples.length; at += step) {
      let sum = 0;
      for (let i = at; i < at + step; i++) sum += (chunk.samples[i] ?? 0) ** 2;
      // The chunk arrived whole; its k-th 10 ms plays k·10 ms after the first.
      if (Math.sqrt(sum / step) > 1000) return chunk.at + (at / chunk.sampleRate) * 1000;
    }
  }
  return undefined;
}

await main();
