// bench:record-main — what recording costs the main thread, per recorded frame: N SessionRecorders fed at 25 fps
// from the main thread with transferred 640×480 I420 frames (a talking avatar drawn up front, handed out and
// recycled as the render lanes do) and their 16 kHz audio, exactly as the output processor calls its sinks. CPU is
// the main thread's (from /proc), so other load on the machine stretches wall time but hardly the figure; the
// same loop with no recorder gives the floor. Prints one JSON object on its last line.
// BENCH_RECORD_SESSIONS (default 8), BENCH_RECORD_SECONDS (default 8), BENCH_RECORD_THREADS: recorder threads
// (default: the engine's default; `per-recording` starts one thread per recorder).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAnimator } from '@agenthuman/engine/animation';
import { findPublicAvatar } from '@agenthuman/engine/avatars';
import * as encode from '@agenthuman/engine/encode';
import { createCpuRenderer, type VideoFrame } from '@agenthuman/engine/render';
import { sleep, syntheticSpeech } from './engine-setup.js';
import { processTicks } from './process-cpu.js';

const SESSIONS = Number(process.env.BENCH_RECORD_SESSIONS ?? 8);
const SECONDS = Number(process.env.BENCH_RECORD_SECONDS ?? 8);
const WARM_UP_MS = 2_000;
const DRAWN = 25;

/** CPU ms of one thread of this process so far (/proc, 10 ms ticks). */
function threadCpuMs(tid: number): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const rig = await findPublicAvatar('eileen')!.loadRig('4:3');
const renderer = createCpuRenderer(rig);
const animator = createAnimator({ seed: 1 });
const drawn = Array.from({ length: DRAWN }, (_, i) => {
  const open = Math.abs(Math.sin(i * 0.55));
  const params = animator.step(i * 40, {
    jawOpen: open,
    mouthWidth: 0.5,
    mouthRound: 0,
    upperLip: 0,
    lowerLip: 0,
  });
  return new Uint8Array(renderer.render(params, i * 40, 'i420').data);
});
renderer.close();
const speech = syntheticSpeech(2);
const dir = mkdtempSync(join(tmpdir(), 'bench-record-main-'));

/** A session's frame buffers, handed out in turn and taken back through `recycle` (as a render lane does). */
class FramePool {
  readonly #free: boolean[] = drawn.map(() => true);
  readonly #buffers = drawn.map((frame) => new Uint8Array(frame));
  allocated = 0;
  frame(n: number): VideoFrame {
    const index = n % DRAWN;
    let data = this.#buffers[index]!;
    if (!this.#free[index]) {
      // Still held by a sink: the producer would draw into a fresh buffer.
      data = new Uint8Array(drawn[index]!);
      this.allocated++;
      return { width: 640, height: 480, format: 'i420', data, ptsMs: n * 40, transferred: true };
    }
    this.#free[index] = false;
    return {
      width: 640,
      height: 480,
      format: 'i420',
      data,
      ptsMs: n * 40,
      transferred: true,
      recycle: () => {
        this.#free[index] = true;
      },
    };
  }
}

type Mode = 'off' | 'recording';

async function run(mode: Mode) {
  const threadsEnv = process.env.BENCH_RECORD_THREADS;
  const recorders = Array.from({ length: mode === 'off' ? 0 : SESSIONS }, (_, i) => {
    const options: Record<string, unknown> = { output: join(dir, `${mode}-${i}.mp4`) };
    const Threads = (encode as Record<string, unknown>).EncoderThreads as
      | (new (o: {
          size: number;
        }) => unknown)
      | undefined;
    if (threadsEnv && Threads) {
      options.encoderThreads = new Threads({
        size: threadsEnv === 'per-recording' ? SESSIONS : Number(threadsEnv),
      });
    }
    return new encode.SessionRecorder(
      options as unknown as ConstructorParameters<typeof encode.SessionRecorder>[0],
    );
  });
  // Threads loaded before the clock starts, as a server's are by its first recording (old code: none).
  await Promise.all(
    recorders.map((r) => (r as unknown as { warmed?: Promise<void> }).warmed ?? Promise.resolve()),
  );
  const pools = Array.from({ length: SESSIONS }, () => new FramePool());
  const totalTicks = Math.round(((WARM_UP_MS + SECONDS * 1000) / 1000) * 25);
  const warmTicks = Math.round((WARM_UP_MS / 1000) * 25);
  let cpu0 = 0;
  let process0 = process.cpuUsage();
  let elu0 = performance.eventLoopUtilization();
  let dropped0 = 0;
  const dropped = () => recorders.reduce((sum, r) => sum + r.stats.framesDropped, 0);
  const origin = performance.now();
  let late = 0;
  for (let tick = 0; tick < totalTicks; tick++) {
    const due = origin + tick * 40;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    else late++;
    if (tick === warmTicks) {
      cpu0 = threadCpuMs(process.pid);
      process0 = process.cpuUsage();
      elu0 = performance.eventLoopUtilization();
      dropped0 = dropped();
    }
    const pcm = speech.subarray((tick % 50) * 640, ((tick % 50) + 1) * 640);
    for (let s = 0; s < SESSIONS; s++) {
      const frame = pools[s]!.frame(tick);
      const recorder = recorders[s];
      if (!recorder) {
        frame.recycle?.();
        continue;
      }
      recorder.writeAudio({ pcm, sampleRate: 16_000, ptsMs: tick * 40 });
      recorder.writeVideo(frame);
    }
  }
  const mainCpuMs = threadCpuMs(process.pid) - cpu0;
  const processUsage = process.cpuUsage(process0);
  // Every other thread of this process: the encoder threads (and libuv's and V8's helpers, idle here).
  const otherCpuMs = (processUsage.user + processUsage.system) / 1000 - mainCpuMs;
  const busy = performance.eventLoopUtilization(elu0).utilization;
  const measuredFrames = (totalTicks - warmTicks) * SESSIONS;
  const ffmpegCpuMs = recorders.reduce((sum, r) => sum + processTicks(r.pid ?? -1) * 10, 0);
  const framesDropped = dropped() - dropped0;
  await Promise.all(recorders.map((r) => r.stop()));
  return {
    mode,
    sessions: SESSIONS,
    main_cpu_ms_per_frame: Number((mainCpuMs / measuredFrames).toFixed(3)),
    other_threads_cpu_ms_per_frame: Number((otherCpuMs / measuredFrames).toFixed(3)),
    main_thread_busy: Number(busy.toFixed(3)),
    frames_dropped: framesDropped,
    buffers_allocated: pools.reduce((sum, p) => sum + p.allocated, 0),
    late_ticks: late,
    ...(mode === 'recording' && {
      ffmpeg_cpu_ms_per_session_s: Number(
        (ffmpegCpuMs / SESSIONS / (SECONDS + WARM_UP_MS / 1000)).toFixed(1),
      ),
    }),
  };
}

const off = await run('off');
console.log(JSON.stringify(off));
const on = await run('recording');
console.log(JSON.stringify(on));
rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    sessions: SESSIONS,
    seconds: SECONDS,
    recorder_threads: process.env.BENCH_RECORD_THREADS ?? 'default',
    main_cpu_ms_per_tick_frame_off: off.main_cpu_ms_per_frame,
    main_cpu_ms_per_recorded_frame: Number((on.main_cpu_ms_per_frame - off.main_cpu_ms_per_frame).toFixed(3)),
    other_threads_cpu_ms_per_recorded_frame: Number(
      (on.other_threads_cpu_ms_per_frame - off.other_threads_cpu_ms_per_frame).toFixed(3),
    ),
    main_thread_busy: { off: off.main_thread_busy, recording: on.main_thread_busy },
    recording_frames_dropped: on.frames_dropped,
    ffmpeg_cpu_ms_per_session_s: on.ffmpeg_cpu_ms_per_session_s,
    loadavg: loadavg().map((x) => Math.round(x * 100) / 100),
  }),
);
process.exit(0);
