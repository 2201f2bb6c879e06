/**
 * One step of bench:livekit: `n` sessions created at once, each with its peers, all speaking at once while CPU is
 * measured. A step fails (and the bench says so in its JSON) when a frame is dropped, a frame could not be
 * captured in time, or a playback report never reached its agent.
 */
import { loadavg } from 'node:os';
import type { AudioChunk, SessionStats } from '@agenthuman/engine';
import type { ListeningServer } from '@agenthuman/sdk/testing';
import type { LiveKitServer } from '../e2e/livekit/livekit-server.js';
import { percentile, round, sleep } from './livekit-common.js';
import { measureCpu, perSession, threadKind } from './livekit-cpu.js';
import type { SpokenSegment } from './livekit-peers.js';
import { openSeat, type Peers, type Seat } from './livekit-peers-client.js';
import { viewerFirstFrames } from './livekit-viewer-first-frames.js';

/** Between one reply's playback_finished and the agent's next. */
const REPLY_GAP_MS = 300;

export interface StepResult {
  row: Record<string, unknown>;
  /** Dropped, skipped and lost all zero, and every viewer saw a frame. */
  clean: boolean;
  seats: Seat[];
  speechToFrame: number[];
  /**
   * The same frames, speech arrival → the frame handed to rtc-node's VideoSource, after the A/V alignment's hold
   * (join-live-avatar.ts's AlignedSinks keeps a frame until its audio has left plus 40 ms): what subscribers get.
   */
  speechToRtcNode: number[];
  /** The same samples by stage (the pipeline's FrameTiming): arrival → due → tick → played → sent → out. */
  speechToFrameStages: Record<string, number[]>;
  /** Worker render time of each session's first speech frame (its first reply), ms. */
  firstSpeakRender: number[];
  /** Worker render time of each reply's first 8 speech frames together (the head's blend off the idle loop), ms. */
  replyStartRender: number[];
}

/** p50/p95 of each stage of speech arrival → frame at the outputs. */
export function stageFigures(
  stages: Record<string, number[]>,
): Record<string, { p50: number | null; p95: number | null }> {
  return Object.fromEntries(
    Object.entries(stages).map(([stage, ms]) => [
      stage,
      { p50: percentile(ms, 50), p95: percentile(ms, 95) },
    ]),
  );
}

/** Collects each session's per-stage samples into one list per stage. */
export function mergeStages(into: Record<string, number[]>, from: Record<string, number[]>): void {
  for (const [stage, ms] of Object.entries(from)) {
    into[stage] ??= [];
    into[stage].push(...ms);
  }
}

export async function runStep(
  n: number,
  ctx: {
    livekit: LiveKitServer;
    server: ListeningServer;
    key: string;
    peers: Peers;
    speakMs: number;
    /** speakMs split into this many replies, one after the other (default 1). */
    segments?: number;
  },
): Promise<StepResult> {
  const { livekit, server, key, peers } = ctx;
  const live = server.server.live;
  const opened = await Promise.allSettled(
    Array.from({ length: n }, () => openSeat(livekit, server, key, peers)),
  );
  const seats = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  const refused = opened.find((o) => o.status === 'rejected');
  if (refused) {
    await closeStep(seats, peers, server);
    throw refused.reason;
  }
  // A viewer that sees no frame is a figure of the step (livekit-viewer-first-frames.ts), not its end.
  const { firstFrames, misses: firstFrameMisses } = await viewerFirstFrames(seats, peers, server);
  await sleep(1000);
  const sessions = seats.map((seat) => live.get(seat.sessionId)!);
  const errors: string[] = [];
  const onError = (error: unknown) => errors.push(error instanceof Error ? error.message : String(error));
  for (const session of sessions) session.livekit?.on('error', onError);
  const handedAt = sessions.map((s) => recordHandOffs(s.livekit?.videoSink));
  const queueAhead = sessions.map((s) => recordSpeechQueueAhead(s.livekit?.audioSink));
  const stats0 = sessions.map((s) => s.avatar.stats);
  const skipped0 = sessions.map((s) => s.livekit?.videoSink.skipped ?? 0);
  const hand0 = sessions.map((s) => s.livekit?.videoSink.handMs ?? 0);
  const segments = Math.max(1, ctx.segments ?? 1);
  // Several segments: the agent's next reply after the last one's playback_finished (and a breath), so each
  // reply's first frame is a measured one.
  const cpu = await measureCpu(livekit.pid, peers.child.pid, () =>
    Promise.all(
      seats.map(async (seat) => {
        const spoken: SpokenSegment[] = [];
        for (let k = 0; k < segments; k++) {
          if (k > 0) await sleep(REPLY_GAP_MS);
          const ms = Math.round(ctx.speakMs / segments);
          spoken.push((await peers.call<{ segment: SpokenSegment }>(seat.room, { op: 'speak', ms })).segment);
        }
        return spoken;
      }),
    ),
  );
  for (const session of sessions) session.livekit?.off('error', onError);
  const causes = dropCauses(
    stats0,
    sessions.map((s) => s.avatar.stats),
  );
  const dropped = causes.dropped;
  const skipped = sessions.reduce((sum, s, i) => sum + (s.livekit?.videoSink.skipped ?? 0) - skipped0[i]!, 0);
  const handMs = sessions.reduce((sum, s, i) => sum + (s.livekit?.videoSink.handMs ?? 0) - hand0[i]!, 0);
  const lost = cpu.value.flat().filter((segment) => segment.finishedAt === undefined).length;
  const speechToFrame = sessions.flatMap((s) => s.avatar.stats.output.audioToFrameMs);
  const speechToRtcNode = sessions.flatMap((s, i) =>
    s.avatar.stats.output.audioToFrameFrames.flatMap(({ ptsMs, arrivedAt }) => {
      const at = handedAt[i]!.get(ptsMs);
      return at === undefined ? [] : [at - arrivedAt];
    }),
  );
  // The A/V hold of each sampled frame: handed to rtc-node − written at the outputs.
  const avHold = sessions.flatMap((s, i) => {
    const { audioToFrameFrames: frames, audioToFrameMs: ms } = s.avatar.stats.output;
    return frames.flatMap(({ ptsMs, arrivedAt }, k) => {
      const at = handedAt[i]!.get(ptsMs);
      return at === undefined || ms[k] === undefined ? [] : [at - arrivedAt - ms[k]!];
    });
  });
  const speechQueueAhead = queueAhead.flatMap((q) => q.all);
  const replyQueueAhead = queueAhead.flatMap((q) => q.replyStarts);
  const speechToFrameStages: Record<string, number[]> = {};
  for (const s of sessions) mergeStages(speechToFrameStages, s.avatar.stats.output.audioToFrameStagesMs);
  const serverMs = Object.values(cpu.byKind).reduce((x, y) => x + y, 0);
  const replies = sessions.map((s) => s.avatar.stats.render.replies);
  const firstSpeakRender = replies.flatMap((r) => (r[0]?.firstRenderMs != null ? [r[0].firstRenderMs] : []));
  const replyStartRender = replies.flatMap((r) => r.map((reply) => reply.startRenderMs));
  const row = {
    sessions: n,
    dropped,
    // Why: the render lane's requests at the cap (busy), the frame's tick already past 80 ms when it reached the
    // renderer (behind) or when the worker reached it (stale); the clock's ticks over a frame late, keyframe waits cut, frames written late.
    dropCauses: causes,
    // Frames the capture thread could not take in time (counted apart from the pipeline's drops).
    captureSkipped: skipped,
    playbackFinishedLost: lost,
    avatarErrors: errors.slice(0, 5),
    maxViewerGapMs: Math.round(Math.max(...cpu.value.flat().map((segment) => segment.maxGapMs))),
    createToFirstFrameMaxMs: firstFrames.length > 0 ? Math.round(Math.max(...firstFrames)) : null,
    // Sessions whose viewer decoded no frame within FIRST_FRAME_WAIT_MS (what the sink sent, what the viewer saw).
    viewerFirstFrameMisses: firstFrameMisses,
    speechArrivalToFramePublishedP95Ms: percentile(speechToFrame, 95),
    speechArrivalToFrameAtRtcNodeP95Ms: percentile(speechToRtcNode, 95),
    speechArrivalToFrameStagesMs: stageFigures(speechToFrameStages),
    // What the A/V hold between the two is made of: audio queued in rtc-node's AudioSource ahead of each speech
    // chunk as it is written (every chunk; a reply's first, after the idle silence it drops), and the hold itself.
    avHoldMs: { p50: percentile(avHold, 50), p95: percentile(avHold, 95) },
    speechAudioQueuedAheadMs: {
      p50: percentile(speechQueueAhead, 50),
      p95: percentile(speechQueueAhead, 95),
      replyStartP50: percentile(replyQueueAhead, 50),
      replyStartMax: percentile(replyQueueAhead, 100),
    },
    // Worker render time: each session's first speech frame, and each reply's first 8 (cold code, head blends).
    firstSpeakRenderMs: { p50: percentile(firstSpeakRender, 50), max: percentile(firstSpeakRender, 100) },
    replyStartRenderMs: { p50: percentile(replyStartRender, 50), max: percentile(replyStartRender, 100) },
    // When the step's drops fell: ms from the start of the reply they fell in (pts), or before any reply (the
    // latest 64 drops of each session).
    dropsFromReplyStart: dropTiming(sessions.map((s, i) => ({ stats: s.avatar.stats, before: stats0[i]! }))),
    // CPU ms per wall second per session: this process (the server) by thread kind, the LiveKit server.
    serverCpuMsPerSPerSession: Math.round(serverMs / n),
    serverCpuByKind: perSession(cpu.byKind, n),
    // Wall time the event loop spent handing video frames to rtc-node (or to the capture thread), per session.
    videoHandOffMainMsPerSPerSession: round(handMs / cpu.seconds / n),
    rtcThreadsPerSession: perSession(
      Object.fromEntries(Object.entries(cpu.byName).filter(([name]) => threadKind('', name) === 'rtcNode')),
      n,
    ),
    livekitServerCpuMsPerSPerSession:
      cpu.livekitServerMsPerS === null ? null : Math.round(cpu.livekitServerMsPerS / n),
    peersCpuMsPerSPerSession: cpu.peersMsPerS === null ? null : Math.round(cpu.peersMsPerS / n),
    eventLoopDelayMs: cpu.eventLoopDelayMs,
    loadavg: loadavg().map(round),
  };
  return {
    row,
    clean:
      dropped === 0 &&
      skipped === 0 &&
      lost === 0 &&
      firstFrameMisses.every((miss) => miss.decodedAtViewer > 0),
    seats,
    speechToFrame,
    speechToRtcNode,
    speechToFrameStages,
    firstSpeakRender,
    replyStartRender,
  };
}

/**
 * The step's drops by when they fell: pts minus the start pts of the reply they fell in (a frame a worker drew
 * late at a reply's start falls in the first few hundred ms), or before the session's first reply.
 */
function dropTiming(sessions: { stats: SessionStats; before: SessionStats }[]) {
  const offsets: number[] = [];
  let beforeSpeech = 0;
  for (const { stats, before } of sessions) {
    const seen = new Set(before.render.drops.map((d) => d.ptsMs));
    const starts = stats.render.replies.map((r) => r.startPtsMs);
    for (const drop of stats.render.drops) {
      if (seen.has(drop.ptsMs)) continue;
      const start = starts.filter((pts) => pts <= drop.ptsMs).at(-1);
      if (start === undefined) beforeSpeech++;
      else offsets.push(drop.ptsMs - start);
    }
  }
  // Drops per 200 ms of the reply they fell in ("0": its first 200 ms), from 2 s on together.
  const byWindow: Record<string, number> = {};
  for (const ms of offsets) {
    const key = ms >= 2000 ? '2000+' : String(Math.floor(ms / 200) * 200);
    byWindow[key] = (byWindow[key] ?? 0) + 1;
  }
  return {
    beforeSpeech,
    within400Ms: offsets.filter((ms) => ms < 400).length,
    later: offsets.filter((ms) => ms >= 400).length,
    byWindow,
  };
}

/** The step's dropped frames by cause, summed over its sessions (differences of the pipelines' counters). */
function dropCauses(before: SessionStats[], after: SessionStats[]) {
  const sum = (pick: (s: SessionStats) => number) =>
    after.reduce((total, s, i) => total + pick(s) - pick(before[i]!), 0);
  return {
    dropped: sum((s) => s.render.dropped),
    busy: sum((s) => s.render.droppedBusy),
    behind: sum((s) => s.render.droppedBehind),
    stale: sum((s) => s.render.droppedStale),
    speaking: sum((s) => s.render.droppedSpeaking),
    lateTicks: sum((s) => s.clock.lateTicks),
    maxTickLateMs: round(Math.max(0, ...after.map((s) => s.clock.maxLateMs))),
    mouthWaitsCut: sum((s) => s.mouthWaitsCut),
    lateAtOutputs: sum((s) => s.output.lateFrames),
  };
}

/**
 * When each pts reached the LiveKit video sink (this process's performance.now(), the pipeline clock's time
 * source): the bench wraps the sink's writeVideo, which the A/V alignment calls once it lets a frame go.
 */
function recordHandOffs(
  sink: { writeVideo(frame: { ptsMs: number }): void } | undefined,
): Map<number, number> {
  const at = new Map<number, number>();
  if (!sink) return at;
  const write = sink.writeVideo.bind(sink);
  sink.writeVideo = (frame) => {
    at.set(frame.ptsMs, performance.now());
    write(frame);
  };
  return at;
}

/**
 * Audio queued in rtc-node's AudioSource ahead of each speech chunk (read just after the write, less the chunk:
 * a reply's first chunk drops the idle silence queued ahead of it first).
 */
function recordSpeechQueueAhead(
  sink: { writeAudio(chunk: AudioChunk): void; readonly queuedMs: number } | undefined,
): { all: number[]; replyStarts: number[] } {
  const out = { all: [] as number[], replyStarts: [] as number[] };
  if (!sink) return out;
  const write = sink.writeAudio.bind(sink);
  let speaking = false;
  sink.writeAudio = (chunk) => {
    write(chunk);
    if (chunk.idle) {
      speaking = false;
      return;
    }
    const ahead = Math.max(0, sink.queuedMs - (chunk.pcm.length * 1000) / chunk.sampleRate);
    out.all.push(ahead);
    if (!speaking) out.replyStarts.push(ahead);
    speaking = true;
  };
  return out;
}

/** The peers leave; each session ends with its agent (`agent_left`), so the next step starts from none. */
export async function closeStep(seats: Seat[], peers: Peers, server: ListeningServer): Promise<void> {
  await Promise.all(seats.map((seat) => peers.call(seat.room, { op: 'close' }).catch(() => undefined)));
  const live = server.server.live;
  const until = performance.now() + 15_000;
  while (live.size > 0 && performance.now() < until) await sleep(100);
}
