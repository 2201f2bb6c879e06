// bench:live — live sessions through the whole server: REST create, WebSocket agent.speak, session pipeline on
// the render workers, built-in room (libwebrtc VP8 + Opus) and one WebRTC viewer per session, joined over WHEP
// from a child process (bench/viewer-process.ts: werift peers that receive whole frames without decoding, as a
// remote browser costs this machine nothing to decode; `--viewers=wrtc` for decoding libwebrtc viewers).
// `live_sessions`: the most concurrent sessions, all speaking all the time, that hold 25 fps with no frame
// dropped in the pipeline and every viewer receiving ≥ 24 fps (late frames are reported).
// `speak_to_encoded_frame_ms_p95`: agent.speak arrival (queue empty) → the first frame of that speech handed to
// the encoder. Prints the machine's load average with each figure: other work on the machine lowers them.
// BENCH_LIVE_RECORD=1 records every session (`record: true`: one more ffmpeg per session writing its MP4);
// BENCH_LIVE_RECORD=compare runs each count without and then with recording, in the same window, and reports
// both capacities (`live_sessions` off, `live_sessions_recording` on), the frames recordings dropped and the
// CPU per session-second of the server and of the recordings' ffmpeg (BENCH_LIVE_ALL=1: every count, even past a
// failure, for CPU figures on a busy host).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createServer, loadConfig, type RunningServer } from '@agenthuman/server';
import { pcmBase64, tone, WsTestClient } from '@agenthuman/server/testing/ws-client';
import { percentile, sleep, syntheticSpeech } from './engine-setup.js';
import { minFps, ViewerProcess, viewersFromArgv } from './viewer-process.js';

const KEY = 'ah_test_BenchLiveKey00000000000000000000';
const COUNTS = (process.env.BENCH_LIVE_COUNTS ?? '1,2,4,5,6,7,8,10,12').split(',').map(Number);
const AVATARS = ['eileen', 'ada', 'milo', 'nora', 'kai'];
const WARM_UP_MS = 2_500;
const RECORD_MODE = process.env.BENCH_LIVE_RECORD ?? '0';
const MODES: boolean[] = RECORD_MODE === 'compare' ? [false, true] : [RECORD_MODE === '1'];
const MEASURE_MS = 5_000;

/** CPU time (ms) a child process has used so far, from /proc (utime + stime, 100 ticks a second). */
function childCpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

type Live = { id: string; room: string; ws: WsTestClient; feeder?: NodeJS.Timeout };
const VIEWERS = viewersFromArgv(process.argv);

async function openSessions(
  server: RunningServer,
  base: string,
  count: number,
  record = false,
): Promise<{ sessions: Live[]; viewers: ViewerProcess }> {
  const out: Live[] = [];
  for (let i = 0; i < count; i++) {
    const res = await server.app.inject({
      method: 'POST',
      url: '/v1/sessions',
      headers: { 'x-api-key': KEY },
      payload: { avatar: `PUBLIC/Avatars/${AVATARS[i % AVATARS.length]}`, ...(record && { record: true }) },
    });
    const session = res.json().session;
    const ws = await WsTestClient.open(`${base.replace(/^http/, 'ws')}/ws`);
    ws.send({ type: 'session.init', session_id: session.session_id, session_token: session.session_token });
    await ws.next('connection.established');
    out.push({ id: session.session_id, room: `${session.room.name}:${session.room.token}`, ws });
  }
  const viewers = new ViewerProcess(
    base,
    out.map((s) => s.room),
    VIEWERS,
  );
  await viewers.joined();
  const until = Date.now() + 30_000;
  while (out.some((s) => (server.live.get(s.id)?.viewers ?? 0) < 1)) {
    if (Date.now() > until) throw new Error('viewers did not connect in time');
    await sleep(100);
  }
  return { sessions: out, viewers };
}

async function closeSessions(
  server: RunningServer,
  { sessions, viewers }: { sessions: Live[]; viewers: ViewerProcess },
) {
  viewers.stop();
  for (const s of sessions) {
    clearInterval(s.feeder);
    s.ws.close();
    await server.app.inject({
      method: 'POST',
      url: `/v1/sessions/${s.id}/end`,
      headers: { 'x-api-key': KEY },
    });
  }
}

async function trial(server: RunningServer, base: string, count: number, record: boolean) {
  const opened = await openSessions(server, base, count, record);
  const { sessions, viewers } = opened;
  try {
    // A TTS-like stream: 100 ms chunks, one second of speech each second, queued a second ahead.
    sessions.forEach((s, i) => {
      const send = () => {
        const speech = syntheticSpeech(1, i);
        for (let k = 0; k < 10; k++) {
          s.ws.send({ type: 'agent.speak', audio: pcmBase64(speech.subarray(k * 1600, (k + 1) * 1600)) });
        }
      };
      send();
      send();
      s.feeder = setInterval(send, 1000);
    });
    await sleep(WARM_UP_MS);
    const live = sessions.map((s) => server.live.get(s.id)!);
    const start = live.map((l) => l.avatar.stats);
    const recordingDrops = () =>
      sessions.reduce((sum, s) => sum + (server.recordings.get(s.id)?.stats.framesDropped ?? 0), 0);
    const recordingDrops0 = recordingDrops();
    const ffmpegPids = sessions.map((s) => server.recordings.get(s.id)?.pid);
    const ffmpegCpu = () => ffmpegPids.reduce<number>((sum, pid) => sum + childCpuMs(pid), 0);
    const ffmpegCpu0 = ffmpegCpu();
    const serverCpu0 = process.cpuUsage();
    const framesStart = viewers.sample();
    const load0 = loadavg()[0]!;
    const elu0 = performance.eventLoopUtilization();
    await sleep(MEASURE_MS);
    const mainThreadBusy = performance.eventLoopUtilization(elu0).utilization;
    const recordingDropped = recordingDrops() - recordingDrops0;
    // CPU per session per second of media: the server process (main, render workers, libwebrtc), and the
    // recording's ffmpeg children. Their ratio is the capacity a recording costs, whatever else loads the host.
    const serverCpu = process.cpuUsage(serverCpu0);
    const perSessionSecond = (ms: number) => Number((ms / count / (MEASURE_MS / 1000)).toFixed(1));
    const serverCpuMs = perSessionSecond((serverCpu.user + serverCpu.system) / 1000);
    const recordingCpuMs = perSessionSecond(ffmpegCpu() - ffmpegCpu0);
    const end = live.map((l) => l.avatar.stats);
    let dropped = 0;
    let late = 0;
    let lateTicks = 0;
    const viewerFps = minFps(framesStart, viewers.sample(), sessions.length);
    end.forEach((stats, i) => {
      dropped += stats.render.dropped - start[i]!.render.dropped;
      late += stats.output.lateFrames - start[i]!.output.lateFrames;
      lateTicks += stats.clock.lateTicks - start[i]!.clock.lateTicks;
    });
    // Late frames (a few frames behind their due time) still reach the viewer in order; dropped ones do not.
    const ok = dropped === 0 && viewerFps >= 24;
    const busy = Number(mainThreadBusy.toFixed(2));
    const minViewerFps = Number(viewerFps.toFixed(1));
    return {
      ok,
      detail: {
        count,
        record,
        dropped,
        late,
        lateTicks,
        minViewerFps,
        mainThreadBusy: busy,
        load1: load0,
        serverCpuMsPerSessionSecond: serverCpuMs,
        ...(record && { recordingDropped, recordingCpuMsPerSessionSecond: recordingCpuMs }),
      },
    };
  } finally {
    await closeSessions(server, opened);
  }
}

async function speakLatency(server: RunningServer, base: string) {
  const opened = await openSessions(server, base, 2);
  const { sessions } = opened;
  try {
    await sleep(1000);
    for (let round = 0; round < 15; round++) {
      for (const s of sessions) s.ws.send({ type: 'agent.speak', audio: pcmBase64(tone(0.4)) });
      await sleep(1000);
    }
    return sessions.flatMap((s) => server.live.get(s.id)!.avatar.speakLatenciesMs);
  } finally {
    await closeSessions(server, opened);
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'agenthuman-bench-live-'));
const config = loadConfig({
  AGENTHUMAN_DATA_DIR: dataDir,
  AGENTHUMAN_BOOTSTRAP_KEY: KEY,
  PORT: '0',
  HOST: '127.0.0.1',
  AGENTHUMAN_ROOM_LOOPBACK_ONLY: 'true',
  AGENTHUMAN_MAX_LIVE_SESSIONS: '64',
  AGENTHUMAN_RATE_LIMIT: '100000',
  AGENTHUMAN_LOG_LEVEL: 'silent',
});
const server = await createServer(config);
const base = await server.listen();
const warmup = await server.live.warmed;
console.log(`warm-up: ${JSON.stringify(warmup)}`);
// Per mode (recording off / on) the most sessions that held; with `compare` both run at each count in turn.
const best = new Map<boolean, number>(MODES.map((mode) => [mode, 0]));
const failed = new Set<boolean>();
const trials = [];
for (const count of COUNTS) {
  for (const record of MODES) {
    if (failed.has(record) && !process.env.BENCH_LIVE_ALL) continue;
    const result = await trial(server, base, count, record);
    trials.push(result.detail);
    console.log(
      `live ${count}${record ? ' recording' : ''}: ${result.ok ? 'ok' : 'FAIL'} ${JSON.stringify(result.detail)}`,
    );
    if (result.ok) best.set(record, count);
    else failed.add(record);
  }
  if (failed.size === MODES.length && !process.env.BENCH_LIVE_ALL) break;
}
const loadBeforeLatency = loadavg()[0]!;
const latencies = await speakLatency(server, base);
await server.close();
rmSync(dataDir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    live_sessions: best.get(MODES[0]!),
    ...(RECORD_MODE === 'compare' && {
      live_sessions_recording: best.get(true),
      recording_frames_dropped: trials.filter((t) => t.record).map((t) => [t.count, t.recordingDropped]),
      cpu_ms_per_session_second: trials.map((t) => ({
        count: t.count,
        record: t.record,
        server: t.serverCpuMsPerSessionSecond,
        ...(t.record && { recording_ffmpeg: t.recordingCpuMsPerSessionSecond }),
      })),
    }),
    recording: RECORD_MODE === '1' ? 'every session' : RECORD_MODE === 'compare' ? 'compare' : 'off',
    speak_to_encoded_frame_ms_p95: Number(percentile(latencies, 95).toFixed(1)),
    speak_to_encoded_frame_ms_p50: Number(percentile(latencies, 50).toFixed(1)),
    speak_samples: latencies.length,
    resolution: '640x480',
    load_average_1m: { during_capacity: trials.map((t) => t.load1), before_latency: loadBeforeLatency },
    cores: (await import('node:os')).availableParallelism(),
    viewer:
      VIEWERS === 'werift'
        ? 'werift viewer per session in a child process (receives whole VP8 frames, no decoding)'
        : 'libwebrtc (@roamhq/wrtc) viewer per session in a niced child process, decoding',
  }),
);
process.exit(0);
