/**
 * bench:livekit — speaking avatar sessions in LiveKit rooms through our real server (in-process, PGlite) and a
 * real LiveKit server, each session created as the LiveKit Agents plugin creates it (a customer room, a token
 * for agenthuman-avatar-agent publishing on behalf of the agent). The peers of each room (an rtc-node agent
 * that speaks with lk.audio_stream byte streams and answers the playback RPCs, an rtc-node viewer that decodes
 * what arrives) run in a child process (bench/livekit-peers.ts), so this process is the server alone, as in
 * production. Prints one JSON object.
 *
 *   npm run bench:livekit [-- --max=8 --speak-s=6 --segments=1 --chunk-ms=200 --early-ticks=1 --worker-skips=0 --rephase=0
 *     --speaking-warmup=1 --lipsync-put-off=0 --own-slice-wait=0 --pose-warm=1
 *     --lipsync-ahead-ms=0]
 *   npm run bench:livekit -- --capture-thread=0   (video frames captured on the main thread, for comparison)
 *   npm run bench:livekit -- --sizes=4,4,4,4 --alternate   (capture thread on, off, on, off in one window)
 *   (the 10-minute soak with a forced signalling reconnect is its own script: npm run bench:livekit-soak)
 *
 * Modules: livekit-peers-client.ts (the peers' process, seats), livekit-cpu.ts (CPU by thread kind),
 * livekit-common.ts; the peers themselves are livekit-peers.ts.
 *
 * Figures, per step of 1, 2, 4, … sessions all speaking at once: frames the pipelines dropped, CPU per session
 * of this process by thread kind (main event loop, render workers, rtc-node/libwebrtc) and of the LiveKit
 * server, main event-loop delay, the longest video gap at a viewer. Then create → first video frame at a
 * viewer (a session created alone), speech arrival → first frame published (p95), lk.clear_buffer →
 * lk.playback_finished at the agent (p95). The A/V offset at subscribers is bench/livekit-av.ts's.
 */
import { cpus, loadavg } from 'node:os';
import { setLiveDefaults } from '@agenthuman/engine';
import { keepRtcLogCapture, useVideoCaptureThread } from '@agenthuman/rooms/livekit';
import { type ListeningServer, startListeningServer } from '@agenthuman/sdk/testing';
import { type LiveKitServer, startLiveKitServer } from '../e2e/livekit/livekit-server.js';
import { arg, percentile, round, TTS_FRAME_MS } from './livekit-common.js';
import { openSeat as open, Peers } from './livekit-peers-client.js';
import { closeStep, mergeStages, runStep, stageFigures } from './livekit-step.js';
import {
  FIRST_FRAME_WAIT_MS,
  type FirstFrameMiss,
  viewerFirstFrames,
} from './livekit-viewer-first-frames.js';

const MAX_SESSIONS = arg('max', 8);
const SPEAK_S = arg('speak-s', 6);
/** --segments=4: each session's speech as that many replies in turn (more first frames measured per step). */
const SEGMENTS = arg('segments', 1);
const CLEAR_TRIES = arg('clear-tries', 8);
const FIRST_FRAME_TRIES = arg('first-frame-tries', 3);
const CAPTURE_THREAD = arg('capture-thread', 1) !== 0;
/** --early-ticks=0: speech waits for its tick on the 40 ms grid (before 2026-12-07's change), for A/B runs. */
const EARLY_TICKS = arg('early-ticks', 1) !== 0;
/** --worker-skips=1: the render worker skips frames it reaches too late, up to 4 in flight (off by default). */
const WORKER_SKIPS = arg('worker-skips', 0) !== 0;
/** --rephase=1: a reply's first tick moves the clock's grid (off by default), for A/B runs. */
const REPHASE = arg('rephase', 0) !== 0;
/** --speaking-warmup=0: the start-up warm-up draws no throwaway reply on the workers (before 2026-12-07), for A/B. */
const SPEAKING_WARMUP = arg('speaking-warmup', 1) !== 0;
/** --lipsync-put-off=1: the render worker puts off lip-sync far ahead while frames wait (off by default). */
const LIPSYNC_PUT_OFF = arg('lipsync-put-off', 0) !== 0;
/** --own-slice-wait=1: a frame without its keyframe waits only for its own lip-sync slice (off by default). */
const OWN_SLICE_WAIT = arg('own-slice-wait', 0) !== 0;
/** --pose-warm=0: a session's worker does not warm its avatar's head poses in idle time (before 2026-12-07), for A/B. */
const POSE_WARM = arg('pose-warm', 1) !== 0;
/** --lipsync-ahead-ms=1000: lip-sync slices analysed no earlier than that before they play (off by default), for A/B. */
const LIPSYNC_AHEAD_MS = arg('lipsync-ahead-ms', 0);
/** --server-rtc-logs=1: the server keeps rtc-node's log capture (before 2026-12-07's change), for A/B runs. */
const SERVER_RTC_LOGS = arg('server-rtc-logs', 0) !== 0;
/** --sizes=4,4,4,4: these steps instead of 1, 2, 4, … up to --max. */
const SIZES = process.argv.find((a) => a.startsWith('--sizes='));
const STEP_SIZES = SIZES
  ? SIZES.slice(8).split(',').map(Number)
  : Array.from({ length: Math.floor(Math.log2(MAX_SESSIONS)) + 1 }, (_, i) => 2 ** i);
const ALTERNATE = process.argv.includes('--alternate');

async function main(): Promise<void> {
  useVideoCaptureThread(CAPTURE_THREAD);
  keepRtcLogCapture(SERVER_RTC_LOGS);
  setLiveDefaults({
    earlyTicks: EARLY_TICKS,
    workerSkips: WORKER_SKIPS,
    replyRephase: REPHASE,
    speakingWarmup: SPEAKING_WARMUP,
    lipSyncPutOff: LIPSYNC_PUT_OFF,
    ownSliceWait: OWN_SLICE_WAIT,
    poseWarm: POSE_WARM,
    lipSyncAheadMs: LIPSYNC_AHEAD_MS > 0 ? LIPSYNC_AHEAD_MS : undefined,
  });
  // Free ports are picked before the server binds them: on a shared machine another run may take one first.
  const livekit = await startLiveKitServer().catch(() => startLiveKitServer());
  // Warm-up on, as a production server runs: the public avatars' idle frames are drawn before the first session.
  const server = await startListeningServer({
    server: { startMediaWithSession: true },
    env: {
      AGENTHUMAN_WARM_AVATARS: 'true',
      AGENTHUMAN_MAX_LIVE_SESSIONS: String(Math.max(6, ...STEP_SIZES) + 2),
    },
  });
  await server.server.live.warmed;
  const key = (await server.newAccount('enterprise')).key;
  const peers = new Peers(livekit, 10);
  await peers.ready;
  let failed = false;
  try {
    console.log(JSON.stringify(await steps(livekit, server, key, peers)));
  } catch (error) {
    console.error(error);
    failed = true;
  } finally {
    peers.close();
    await server.close();
    await livekit.stop();
    // libwebrtc threads can keep the process alive (and crash on a natural exit) once peers existed.
    process.exit(failed ? 1 : 0);
  }
}

async function steps(livekit: LiveKitServer, server: ListeningServer, key: string, peers: Peers) {
  const rows: Record<string, unknown>[] = [];
  const createToFirstFrame: number[] = [];
  const speechToFrame: number[] = [];
  const speechToRtcNode: number[] = [];
  const speechToFrameStages: Record<string, number[]> = {};
  const firstSpeakRender: number[] = [];
  const replyStartRender: number[] = [];
  // What the start-up warm-up left on each render worker (speech frames drawn, lip-sync steps run).
  const workersAfterWarmup = server.server.live.pool.load;
  let clearToFinished: number[] = [];
  const failures: string[] = [];
  let cleanMax = 0;
  for (const [i, n] of STEP_SIZES.entries()) {
    // --alternate: every other step with the capture thread off (on first; off first with --capture-thread=0).
    const threaded = ALTERNATE ? (i % 2 === 0) === CAPTURE_THREAD : CAPTURE_THREAD;
    useVideoCaptureThread(threaded);
    let step: Awaited<ReturnType<typeof runStep>>;
    try {
      step = await runStep(n, { livekit, server, key, peers, speakMs: SPEAK_S * 1000, segments: SEGMENTS });
    } catch (error) {
      // A step that cannot finish (a peer that hangs, a create refused) is reported, and the bench goes on.
      failures.push(`${n} sessions: ${error instanceof Error ? error.message : String(error)}`);
      break;
    }
    rows.push({ ...step.row, captureThread: threaded });
    speechToFrame.push(...step.speechToFrame);
    speechToRtcNode.push(...step.speechToRtcNode);
    mergeStages(speechToFrameStages, step.speechToFrameStages);
    firstSpeakRender.push(...step.firstSpeakRender);
    replyStartRender.push(...step.replyStartRender);
    if (step.clean) cleanMax = Math.max(cleanMax, n);
    for (const miss of step.row.viewerFirstFrameMisses as FirstFrameMiss[])
      failures.push(
        `${n} sessions: the viewer of ${miss.sessionId} saw no frame in ${FIRST_FRAME_WAIT_MS} ms (sink ${JSON.stringify(miss.sink)}; ${miss.decodedAtViewer > 0 ? `its libwebrtc decoded ${miss.decodedAtViewer} frames, rtc-node never announced the track: the subscriber's stall, the step still counts` : 'nothing decoded'})`,
      );
    if (step.row.playbackFinishedLost)
      failures.push(
        `${n} sessions: ${step.row.playbackFinishedLost} lk.playback_finished never reached the agent`,
      );
    console.error(JSON.stringify(rows.at(-1)));
    if (n === 1)
      clearToFinished = (
        await peers.call<{ latencies: number[] }>(step.seats[0]!.room, { op: 'clear', tries: CLEAR_TRIES })
      ).latencies;
    await closeStep(step.seats, peers, server);
  }
  // The A/V subscriber is not niced: its audio device and decoder run on time, as a viewer's own machine runs them.
  const avPeers = new Peers(livekit, 0);
  await avPeers.ready;
  // The target is for one session created on its own (n creates at once are listed per step above).
  for (let i = 0; i < FIRST_FRAME_TRIES; i++) {
    const seat = await open(livekit, server, key, avPeers);
    const { firstFrames, misses } = await viewerFirstFrames([seat], avPeers, server);
    createToFirstFrame.push(...firstFrames);
    for (const miss of misses)
      failures.push(
        `alone: the viewer of ${miss.sessionId} saw no frame in ${FIRST_FRAME_WAIT_MS} ms: ${JSON.stringify(miss)}`,
      );
    await avPeers.call(seat.room, { op: 'close' });
    await fetch(`${server.url}/v1/sessions/${seat.sessionId}/end`, {
      method: 'POST',
      headers: { 'x-api-key': key },
    });
  }
  avPeers.close();
  return {
    machine: { loadavg: loadavg().map(round), cores: cpus().length },
    captureThread: CAPTURE_THREAD,
    earlyTicks: EARLY_TICKS,
    workerSkips: WORKER_SKIPS,
    rephase: REPHASE,
    speakingWarmup: SPEAKING_WARMUP,
    lipSyncPutOff: LIPSYNC_PUT_OFF,
    ownSliceWait: OWN_SLICE_WAIT,
    poseWarm: POSE_WARM,
    lipSyncAheadMs: LIPSYNC_AHEAD_MS,
    serverRtcLogs: SERVER_RTC_LOGS,
    workersAfterWarmup,
    segmentsPerSession: SEGMENTS,
    ttsFrameMs: TTS_FRAME_MS,
    // The largest step with no dropped or skipped frame and every playback report delivered.
    concurrentSessionsNoDroppedFrames: cleanMax,
    failures,
    steps: rows,
    createToFirstFrameAtViewerMs: {
      p50: percentile(createToFirstFrame, 50),
      max: percentile(createToFirstFrame, 100),
    },
    speechArrivalToFramePublishedMs: {
      p50: percentile(speechToFrame, 50),
      p95: percentile(speechToFrame, 95),
    },
    // The same frames handed to rtc-node, after the A/V alignment's hold (their audio left, plus 40 ms).
    speechArrivalToFrameAtRtcNodeMs: {
      p50: percentile(speechToRtcNode, 50),
      p95: percentile(speechToRtcNode, 95),
    },
    speechArrivalToFrameStagesMs: stageFigures(speechToFrameStages),
    // Worker render time of each session's first speech frame and of each reply's first 8 frames, all steps.
    firstSpeakRenderMs: {
      p50: percentile(firstSpeakRender, 50),
      p95: percentile(firstSpeakRender, 95),
      max: percentile(firstSpeakRender, 100),
    },
    replyStartRenderMs: {
      p50: percentile(replyStartRender, 50),
      p95: percentile(replyStartRender, 95),
      max: percentile(replyStartRender, 100),
    },
    clearBufferToPlaybackFinishedMs: {
      p50: percentile(clearToFinished, 50),
      p95: percentile(clearToFinished, 95),
    },
    notMeasured: [
      'built-in agent end of speech → first audio (npm run bench:livekit-agent, per stage)',
      'A/V offset at subscribers, from decoded frames and played audio (npm run bench:livekit-av)',
    ],
  };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
