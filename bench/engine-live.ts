// live_sessions_2_cores and session_memory_mb: the most concurrent realtime sessions at 640×480 / 25 fps that
// run with no dropped or late frame, found by doubling then bisecting. By default each session streams into a
// built-in WebRTC room whose libwebrtc VP8 encoder feeds one loopback viewer (engine-live-room.ts: what the
// product does; the viewers receive in a child process without decoding, as remote browsers would).
// `--encoder=ffmpeg` instead encodes each session with its own ffmpeg (realtime VP8, one thread; the file
// path's encoder); that count passes when no encoder builds a backlog either.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { FfmpegEncoder, RenderWorkerPool, SessionPipeline } from '@agenthuman/engine';
import { runRoomTrial, warmPool } from './engine-live-room.js';
import { type BenchParts, envelopeKeyframes, sleep, syntheticSpeech } from './engine-setup.js';
import { viewersFromArgv } from './viewer-process.js';

const TRIAL_SECONDS = 6;
const WARM_UP_SECONDS = 1.5;
const MAX_SESSIONS = 32;
const FRAME_BYTES = 640 * 480 * 1.5;

export interface LiveResult {
  sessions: number;
  memoryMbPerSession: number;
  firstSessionMb: number;
  encoder: string;
}

export async function measureLiveSessions(
  parts: BenchParts,
  log: (line: string) => void,
  encoder: 'webrtc' | 'ffmpeg' = 'webrtc',
): Promise<LiveResult> {
  let best = 0;
  let failed = MAX_SESSIONS + 1;
  const rssDelta = new Map<number, number>();
  // One pool for every trial, warmed as the server warms its own at start-up (`--cold-pool`: a fresh, cold pool
  // per trial, as this bench measured before).
  const rssBeforePool = process.memoryUsage().rss;
  const pool = process.argv.includes('--cold-pool') ? undefined : await warmPool(parts);
  // The shared pool's workers, rigs and idle caches: the one-off cost a first session pays in a cold server.
  const poolMb = pool ? (process.memoryUsage().rss - rssBeforePool) / 2 ** 20 : 0;
  const trial = async (count: number) => {
    const result =
      encoder === 'webrtc'
        ? await runRoomTrial(parts, count, { pool, viewers: viewersFromArgv(process.argv) })
        : await runTrial(parts, count);
    log(`live ${count} (${encoder}): ${result.ok ? 'ok' : 'FAIL'} ${JSON.stringify(result.detail)}`);
    if (result.ok) best = count;
    else failed = count;
    rssDelta.set(count, result.memoryMbPerSession * count);
    return result.ok;
  };
  try {
    for (let count = 1; count <= MAX_SESSIONS && (await trial(count)); count *= 2);
    while (failed - best > 1) await trial(Math.floor((best + failed) / 2));
  } finally {
    await pool?.close();
  }
  // Added memory per session: the slope between the largest passing count and one session, so the worker
  // pool's and the avatar cache's one-off cost (paid by the first session) is not spread over the count.
  const top = Math.max(best, 2);
  const slope = ((rssDelta.get(top) ?? Number.NaN) - (rssDelta.get(1) ?? Number.NaN)) / (top - 1);
  return {
    sessions: best,
    memoryMbPerSession: Number(slope.toFixed(1)),
    firstSessionMb: Number(((rssDelta.get(1) ?? Number.NaN) + poolMb).toFixed(1)),
    encoder:
      encoder === 'webrtc'
        ? `libwebrtc VP8 (@roamhq/wrtc RTCVideoSource, built-in room, one loopback viewer per session: ${viewersFromArgv(process.argv) === 'werift' ? 'werift in a child process, receiving whole frames without decoding' : 'libwebrtc in a niced child process, decoding'}); Opus; ${pool ? 'one render pool warmed like the server' : 'a cold render pool per trial'}`
        : 'ffmpeg libvpx VP8 realtime cpu-used 8, 1 thread/session (@ffmpeg-installer build); Opus audio',
  };
}

async function runTrial(parts: BenchParts, count: number) {
  const pool = new RenderWorkerPool({ size: availableParallelism() });
  const rssBefore = process.memoryUsage().rss;
  const sessions: { session: SessionPipeline; encoder: FfmpegEncoder }[] = [];
  const feeders: NodeJS.Timeout[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const encoder = new FfmpegEncoder({
        width: 640,
        height: 480,
        output: 'discard',
        live: true,
        threads: 1,
      });
      const session = await SessionPipeline.start({
        renderer: parts.spec,
        animator: parts.animator(),
        lipSync: parts.lipSync?.(),
        pool,
        videoSinks: [encoder],
        audioSinks: [encoder],
      });
      sessions.push({ session, encoder });
      // A TTS-like stream: one second of speech each second, so every frame is a speech frame.
      const feed = () => {
        const speech = syntheticSpeech(1, i);
        session.pushAudio(speech, { keyframes: parts.lipSync ? undefined : envelopeKeyframes(speech) });
      };
      feed();
      feed();
      feeders.push(setInterval(feed, 1000));
    }
    await sleep(WARM_UP_SECONDS * 1000);
    const start = sessions.map(({ session }) => session.stats);
    const eluStart = performance.eventLoopUtilization();
    let maxBacklogFrames = 0;
    const until = Date.now() + (TRIAL_SECONDS - WARM_UP_SECONDS) * 1000;
    while (Date.now() < until) {
      await sleep(250);
      for (const { encoder } of sessions)
        maxBacklogFrames = Math.max(maxBacklogFrames, encoder.stats.backlogBytes / FRAME_BYTES);
    }
    const end = sessions.map(({ session }) => session.stats);
    const mainThreadBusy = performance.eventLoopUtilization(eluStart).utilization;
    const rssAfter = process.memoryUsage().rss;
    const childRss = sessions.reduce((sum, { encoder }) => sum + rssOf(encoder.pid), 0);
    let dropped = 0;
    let late = 0;
    let frames = 0;
    let lateTicks = 0;
    end.forEach((stats, i) => {
      dropped += stats.render.dropped - start[i]!.render.dropped;
      late += stats.output.lateFrames - start[i]!.output.lateFrames;
      frames += stats.output.videoFrames - start[i]!.output.videoFrames;
      lateTicks += stats.clock.lateTicks - start[i]!.clock.lateTicks;
    });
    const expected = count * (TRIAL_SECONDS - WARM_UP_SECONDS) * 25;
    const ok = dropped === 0 && maxBacklogFrames <= 3 && frames >= expected * 0.97;
    const memoryMbPerSession = (rssAfter - rssBefore + childRss) / count / 2 ** 20;
    return {
      ok,
      memoryMbPerSession,
      detail: {
        frames,
        expected,
        dropped,
        late,
        lateTicks,
        maxBacklogFrames: Number(maxBacklogFrames.toFixed(1)),
        mbPerSession: Number(memoryMbPerSession.toFixed(1)),
        mainThreadBusy: Number(mainThreadBusy.toFixed(2)),
      },
    };
  } finally {
    for (const feeder of feeders) clearInterval(feeder);
    for (const { session, encoder } of sessions) {
      await session.close();
      encoder.kill();
    }
    await pool.close();
  }
}

function rssOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}
