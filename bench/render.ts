// Renderer benchmark: speech frames and idle frames at 640×480 on this one thread.
// `npm run bench:render` prints one JSON object on its last line; `measureRender()` is what bench:engine imports.

import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createAnimator } from '@agenthuman/engine/animation';
import { findPublicAvatar } from '@agenthuman/engine/avatars';
import { createCpuRenderer, type PixelFormat } from '@agenthuman/engine/render';
import { speechMouth } from '@agenthuman/engine/testing/face';

export interface RenderBenchResult {
  width: number;
  height: number;
  /** Speech frames per CPU-second on one thread, I420 output (what the encoder takes). */
  render_fps_per_core: number;
  /** The same by wall-clock time (lower when other processes compete for the cores). */
  render_fps_wall: number;
  render_ms_p50: number;
  render_ms_p95: number;
  render_rgba_fps_per_core: number;
  /**
   * Speech frames as a session draws them: the animator's nods, tilts, gaze and blinks on the shared pose cache,
   * after one pass has drawn its poses (what bench:engine's render_fps_per_core measures).
   */
  render_cached_fps_per_core: number;
  render_cached_first_pass_fps: number;
  /**
   * The same with pauses: utterances of ~3 s and pauses of ~1.2 s, so the head blends between the speech lattice
   * and the idle loop at each start and end (blend frames are drawn uncached), second pass. Pause frames are idle
   * frames (buffer copies), so this is per frame of a talking session, not per speech frame.
   */
  render_session_fps_per_core: number;
  /** Share of that session's frames drawn off the pose cache (mode-change blends). */
  session_uncached_share: number;
  /** Speech frames only of that session (pause frames left out of both time and count). */
  render_session_speech_fps_per_core: number;
  /** CPU cost of an idle frame once the idle loop is cached. */
  idle_frame_ms: number;
  idle_frame_wall_ms: number;
  /** Time to draw the idle loop the first time (once per avatar). */
  idle_loop_build_ms: number;
  idle_cache_mb: number;
}

/** Wall-clock ms per frame, plus the CPU ms of the whole run per frame (what "per core" means when other
 * processes share the machine and stretch wall-clock time). */
function timeFrames(n: number, draw: (i: number) => void): number[] & { cpuMsPerFrame: number } {
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    draw(i);
    times.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  return Object.assign(times, { cpuMsPerFrame: (cpu.user + cpu.system) / 1000 / n });
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]!;
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

export async function measureRender(frames = 600): Promise<RenderBenchResult> {
  const rig = await findPublicAvatar('eileen')!.loadRig('4:3');
  const speechRun = (format: PixelFormat) => {
    const renderer = createCpuRenderer(rig, { idleCache: false });
    const animator = createAnimator({ seed: 1 });
    const params = Array.from({ length: frames + 50 }, (_, i) => animator.step(i * 40, speechMouth(i)));
    timeFrames(50, (i) => renderer.render(params[i]!, i * 40, format));
    const t = timeFrames(frames, (i) => renderer.render(params[i + 50]!, (i + 50) * 40, format));
    renderer.close();
    return t;
  };
  const speech = speechRun('i420');
  const speechRgba = speechRun('rgba');
  const cachedRenderer = createCpuRenderer(rig);
  const cachedAnimator = createAnimator({ seed: 3 });
  const cachedParams = Array.from({ length: 1500 }, (_, i) => cachedAnimator.step(i * 40, speechMouth(i)));
  const cachedFirst = timeFrames(1500, (i) => cachedRenderer.render(cachedParams[i]!, i * 40, 'i420'));
  const cached = timeFrames(1500, (i) => cachedRenderer.render(cachedParams[i]!, i * 40, 'i420'));
  cachedRenderer.close();

  const sessionRenderer = createCpuRenderer(rig);
  const sessionAnimator = createAnimator({ seed: 5 });
  // 105 frames: 75 of speech (3 s) then 30 of pause (1.2 s).
  const talking = (i: number) => i % 105 < 75;
  const sessionParams = Array.from({ length: 1575 }, (_, i) =>
    sessionAnimator.step(i * 40, talking(i) ? speechMouth(i) : null),
  );
  const uncached = sessionParams.filter((p) => p.pose === undefined && p.idleFrame === undefined).length;
  timeFrames(sessionParams.length, (i) => sessionRenderer.render(sessionParams[i]!, i * 40, 'i420'));
  const session = timeFrames(sessionParams.length, (i) =>
    sessionRenderer.render(sessionParams[i]!, i * 40, 'i420'),
  );
  const speechOnly = sessionParams.map((_, i) => i).filter(talking);
  const sessionSpeech = timeFrames(speechOnly.length, (k) =>
    sessionRenderer.render(sessionParams[speechOnly[k]!]!, speechOnly[k]! * 40, 'i420'),
  );
  sessionRenderer.close();

  const idleRenderer = createCpuRenderer(rig);
  const idleAnimator = createAnimator({ seed: 2 });
  const loop = idleAnimator.idleLoop.frames;
  const idleParams = Array.from({ length: loop * 3 }, (_, i) => idleAnimator.step(i * 40, null));
  const build = timeFrames(loop, (i) => idleRenderer.render(idleParams[i]!, i * 40, 'i420'));
  const idle = timeFrames(loop * 2, (i) =>
    idleRenderer.render(idleParams[i + loop]!, (i + loop) * 40, 'i420'),
  );
  const cacheBytes = idleRenderer.stats().idleCacheBytes;
  idleRenderer.close();

  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  return {
    width: rig.width,
    height: rig.height,
    render_fps_per_core: round(1000 / speech.cpuMsPerFrame, 1),
    render_fps_wall: round(1000 / mean(speech), 1),
    render_ms_p50: round(pct(speech, 0.5)),
    render_ms_p95: round(pct(speech, 0.95)),
    render_rgba_fps_per_core: round(1000 / speechRgba.cpuMsPerFrame, 1),
    render_cached_fps_per_core: round(1000 / cached.cpuMsPerFrame, 1),
    render_cached_first_pass_fps: round(1000 / cachedFirst.cpuMsPerFrame, 1),
    render_session_fps_per_core: round(1000 / session.cpuMsPerFrame, 1),
    session_uncached_share: round(uncached / sessionParams.length, 3),
    render_session_speech_fps_per_core: round(1000 / sessionSpeech.cpuMsPerFrame, 1),
    idle_frame_ms: round(idle.cpuMsPerFrame, 3),
    idle_frame_wall_ms: round(mean(idle), 3),
    idle_loop_build_ms: round(
      build.reduce((s, x) => s + x, 0),
      0,
    ),
    idle_cache_mb: round(cacheBytes / 1048576, 1),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await measureRender()));
}
