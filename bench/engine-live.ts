// live_sessions_2_cores and session_memory_mb: N concurrent realtime sessions at 640×480 / 25 fps, rendered on a
// pool sized to the cores and each encoded live to VP8 by its own ffmpeg (realtime deadline, one thread), audio
// to Opus. A count passes when, after a warm-up second, no session drops or delivers a frame late and no
// encoder builds a backlog.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { FfmpegEncoder, RenderWorkerPool, SessionPipeline } from '@agenthuman/engine';
import { type BenchParts, envelopeKeyframes, sleep, syntheticSpeech } from './engine-setup.js';

const TRIAL_SECONDS = 6;
const WARM_UP_SECONDS = 1.5;
const COUNTS = [1, 2, 4, 6, 8, 10, 12, 14, 16, 20];
const FRAME_BYTES = 640 * 480 * 1.5;

export interface LiveResult {
  sessions: number;
  memoryMbPerSession: number;
  encoder: string;
}

export async function measureLiveSessions(
  parts: BenchParts,
  log: (line: string) => void,
): Promise<LiveResult> {
  let best = 0;
  let memory = Number.NaN;
  for (const count of COUNTS) {
    const trial = await runTrial(parts, count);
    log(`live ${count}: ${trial.ok ? 'ok' : 'FAIL'} ${JSON.stringify(trial.detail)}`);
    if (!trial.ok) break;
    best = count;
    memory = trial.memoryMbPerSession;
  }
  return {
    sessions: best,
    memoryMbPerSession: Number(memory.toFixed(1)),
    encoder: 'ffmpeg libvpx VP8 realtime cpu-used 8, 1 thread/session (@ffmpeg-installer build); Opus audio',
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
