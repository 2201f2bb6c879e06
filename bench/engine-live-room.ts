// live_sessions_2_cores as the product runs a live session: N concurrent sessions, each rendering 25 fps speech
// on the render worker pool (a Flite sentence's PCM looped in real time through AudioLipSync) into its own
// built-in WebRTC room, where libwebrtc encodes VP8 (and Opus) for one viewer on loopback. A count passes when
// over the measured window no session drops a frame or delivers one late, libwebrtc encodes every frame at
// full 640×480 (it would otherwise adapt the resolution down), and each encoder keeps 25 fps.
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { FliteTTS, RenderWorkerPool, SessionPipeline } from '@agenthuman/engine';
import type { BuiltinRoom } from '@agenthuman/rooms';
import { startRoomServer } from '@agenthuman/rooms/testing';
import type { BenchParts } from './engine-setup.js';
import { sleep } from './engine-setup.js';
import { minFps, type ViewerKind, ViewerProcess } from './viewer-process.js';

const WARM_UP_SECONDS = 3;
const MEASURE_SECONDS = 10;

export interface RoomTrialResult {
  ok: boolean;
  memoryMbPerSession: number;
  detail: Record<string, unknown>;
}

/** The animator's idle loop (160 frames = 6.4 s at 25 fps), as packages/server's avatar warm-up draws it. */
const IDLE_LOOP_FRAMES = 160;

/**
 * Starts a pool and warms it the way the server does at start-up (live/media/avatar-warmup.ts): one lane per
 * worker draws the whole idle loop into that worker's cache. Without it a trial would measure a pool in its
 * first seconds, drawing every idle pose from scratch (about 2.8× the render cost of a warm frame).
 */
export async function warmPool(parts: BenchParts): Promise<RenderWorkerPool> {
  const pool = new RenderWorkerPool({ size: availableParallelism() });
  const lanes = await Promise.all(
    Array.from({ length: pool.size }, () => pool.openLane(parts.spec, { format: 'i420' })),
  );
  await Promise.all(
    lanes.map(async (lane) => {
      const animator = parts.animator();
      for (let k = 0; k < IDLE_LOOP_FRAMES; k++) await lane.render(animator.step(k * 40, null), k * 40);
      lane.close();
    }),
  );
  return pool;
}

let sentence: Int16Array | null = null;
async function speech(): Promise<Int16Array> {
  sentence ??= (
    await new FliteTTS().synthesize(
      'Thanks for calling. I can help you change your booking, check the price, or find a later train today.',
    )
  ).pcm;
  return sentence;
}

export interface RoomTrialOptions {
  /**
   * A pool that outlives the trial, as the server's does: its workers' idle-pose caches are then warm, as in a
   * server that has run for a minute. Without one the trial starts (and closes) a cold pool of its own.
   */
  pool?: RenderWorkerPool;
  /** Runs at the start and end of the measured window (bench/live-cpu.ts reads per-thread CPU there). */
  onMeasure?: (phase: 'start' | 'end') => void;
  /** `werift` (default): viewers that count whole frames without decoding; `wrtc`: decoding viewers. */
  viewers?: ViewerKind;
  /**
   * Where the streaming lip-sync runs: `main` (the pipeline's own thread) or `worker` (beside the renderer, as
   * LiveAvatar runs it since the lip-sync moved to the render workers; a build without that runs it on main).
   */
  lipSync?: 'main' | 'worker';
}

export async function runRoomTrial(
  parts: BenchParts,
  count: number,
  {
    pool: sharedPool,
    onMeasure,
    viewers: viewerKind = 'werift',
    lipSync: lipSyncAt = 'main',
  }: RoomTrialOptions = {},
): Promise<RoomTrialResult> {
  const pcm = await speech();
  // Loaded by name so the bench still runs on builds from before lip-sync ran in the workers.
  const live = (await import('@agenthuman/engine/live')) as { audioLipSyncSpec?: () => unknown };
  const inWorker =
    lipSyncAt === 'worker' && parts.lipSync && live.audioLipSyncSpec ? live.audioLipSyncSpec() : undefined;
  const roomServer = await startRoomServer({ verifyToken: () => true });
  const { hub, baseUrl } = roomServer;
  const pool = sharedPool ?? new RenderWorkerPool({ size: availableParallelism() });
  const rssBefore = process.memoryUsage().rss;
  const sessions: { session: SessionPipeline; room: BuiltinRoom }[] = [];
  const feeders: NodeJS.Timeout[] = [];
  const viewers = new ViewerProcess(
    baseUrl,
    Array.from({ length: count }, (_, i) => `room-${i}`),
    viewerKind,
  );
  try {
    for (let i = 0; i < count; i++) {
      const room = hub.create(`room-${i}`);
      const session = await SessionPipeline.start({
        renderer: parts.spec,
        animator: parts.animator(),
        ...(inWorker ? { lipSyncInWorker: inWorker as never } : { lipSync: parts.lipSync?.() }),
        pool,
        videoSinks: [room],
        audioSinks: [room],
      });
      sessions.push({ session, room });
      // Real-time speech: each second the next second of the sentence (looped), so every frame speaks.
      let offset = (i * 7919) % pcm.length;
      const feed = () => {
        const chunk = new Int16Array(16_000);
        for (let k = 0; k < chunk.length; k++) chunk[k] = pcm[(offset + k) % pcm.length]!;
        offset = (offset + chunk.length) % pcm.length;
        session.pushAudio(chunk);
      };
      feed();
      feeders.push(setInterval(feed, 1000));
    }
    await viewers.joined();
    await waitFor(() => sessions.every(({ room }) => room.viewerCount === 1), 60_000);
    await sleep(WARM_UP_SECONDS * 1000);
    const statsAt = async () => ({
      pipeline: sessions.map(({ session }) => session.stats),
      pacer: sessions.map(({ room }) => room.stats().videoDropped),
      encoders: (await Promise.all(sessions.map(({ room }) => room.viewerStats()))).map((v) => v[0]),
      viewerFrames: viewers.sample(),
      cpu: process.cpuUsage(),
      viewerTicks: viewers.cpuTicks(),
      at: performance.now(),
    });
    const eluStart = performance.eventLoopUtilization();
    const a = await statsAt();
    onMeasure?.('start');
    await sleep(MEASURE_SECONDS * 1000);
    onMeasure?.('end');
    const b = await statsAt();
    const seconds = (b.at - a.at) / 1000;
    const mainThreadBusy = performance.eventLoopUtilization(eluStart).utilization;
    const rssAfter = process.memoryUsage().rss;
    let dropped = 0;
    let late = 0;
    let pacerDropped = 0;
    let lateTicks = 0;
    let maxTickLateMs = 0;
    let renderMsMax = 0;
    let renderMs = 0;
    let rendered = 0;
    let encoded = 0;
    let mouthWaitsCut = 0;
    let minEncodeFps = Number.POSITIVE_INFINITY;
    const viewerFps = minFps(a.viewerFrames, b.viewerFrames, count);
    let minWidth = Number.POSITIVE_INFINITY;
    let videoBytes = 0;
    const limited = new Set<string>();
    for (let i = 0; i < count; i++) {
      const s0 = a.pipeline[i]!;
      const s1 = b.pipeline[i]!;
      dropped += s1.render.dropped - s0.render.dropped;
      late += s1.output.lateFrames - s0.output.lateFrames;
      pacerDropped += b.pacer[i]! - a.pacer[i]!;
      lateTicks += s1.clock.lateTicks - s0.clock.lateTicks;
      maxTickLateMs = Math.max(maxTickLateMs, s1.clock.maxLateMs);
      renderMsMax = Math.max(renderMsMax, s1.render.renderMsMax);
      renderMs += s1.render.renderMsTotal - s0.render.renderMsTotal;
      rendered += s1.render.rendered - s0.render.rendered;
      // Frames that waited the whole 20 ms for a keyframe from the worker (absent on builds without worker lip-sync).
      mouthWaitsCut += (s1.mouthWaitsCut ?? 0) - (s0.mouthWaitsCut ?? 0);
      const e0 = a.encoders[i];
      const e1 = b.encoders[i];
      encoded += (e1?.framesEncoded ?? 0) - (e0?.framesEncoded ?? 0);
      minEncodeFps = Math.min(minEncodeFps, ((e1?.framesEncoded ?? 0) - (e0?.framesEncoded ?? 0)) / seconds);
      minWidth = Math.min(minWidth, e1?.frameWidth ?? 0);
      videoBytes += (e1?.bytesSent ?? 0) - (e0?.bytesSent ?? 0);
      if (e1 && e1.qualityLimitationReason !== 'none') limited.add(e1.qualityLimitationReason);
    }
    const cpuMs = (b.cpu.user + b.cpu.system - a.cpu.user - a.cpu.system) / 1000;
    // Decoding viewers on this machine may starve (they are niced), so only frames that arrive whole count.
    const viewersOk = viewerKind === 'wrtc' || viewerFps >= 24;
    const ok =
      dropped === 0 && late === 0 && pacerDropped === 0 && minEncodeFps >= 24 && minWidth >= 640 && viewersOk;
    const memoryMbPerSession = (rssAfter - rssBefore) / count / 2 ** 20;
    return {
      ok,
      memoryMbPerSession,
      detail: {
        dropped,
        late,
        pacerDropped,
        // Main-thread stalls (clock ticks over a frame late) and the slowest render in a worker, to tell
        // which side a drop came from.
        lateTicks,
        maxTickLateMs: round(maxTickLateMs),
        renderMsMax: round(renderMsMax),
        renderMsMean: round(renderMs / Math.max(1, rendered), 2),
        // Frames rendered and encoded in the window, all sessions (CPU per frame for a starved run).
        rendered,
        encoded,
        lipSync: inWorker ? 'worker' : 'main',
        mouthWaitsCut,
        minEncodeFps: round(minEncodeFps),
        minWidth,
        qualityLimited: [...limited].join(',') || 'none',
        viewerMinFps: round(viewerFps),
        videoKbpsPerSession: Math.round((videoBytes * 8) / 1000 / seconds / count),
        serverCpuCores: round(cpuMs / 1000 / seconds, 2),
        viewerCpuCores: round((b.viewerTicks - a.viewerTicks) / 100 / seconds, 2),
        mainThreadBusy: round(mainThreadBusy, 2),
        mbPerSession: round(memoryMbPerSession),
      },
    };
  } finally {
    for (const feeder of feeders) clearInterval(feeder);
    viewers.stop();
    for (const { session, room } of sessions) {
      await session.close();
      room.close();
    }
    if (!sharedPool) await pool.close();
    await roomServer.close();
  }
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('viewers did not connect in time');
    await sleep(100);
  }
}
