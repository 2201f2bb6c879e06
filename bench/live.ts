// bench:live — live sessions through the whole server: REST create, WebSocket agent.speak, session pipeline on
// the render workers, built-in room (libwebrtc VP8 + Opus) and one WebRTC viewer per session (a Node wrtc viewer
// in this process). `live_sessions`: the most concurrent sessions, all speaking all the time, that hold 25 fps
// with no frame dropped in the pipeline and every viewer decoding ≥ 24 fps (late frames are reported).
// `speak_to_encoded_frame_ms_p95`: agent.speak arrival (queue empty) → the first frame of that speech handed to
// the encoder. Prints the machine's load average with each figure: other work on the machine lowers them.

import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { NodeViewer } from '../packages/rooms/src/testing/node-viewer.js';
import { loadConfig } from '../packages/server/src/config/config.js';
import { pcmBase64, tone, WsTestClient } from '../packages/server/src/live/testing/ws-test-client.js';
import { createServer, type RunningServer } from '../packages/server/src/server.js';
import { percentile, sleep, syntheticSpeech } from './engine-setup.js';

const KEY = 'ah_test_BenchLiveKey00000000000000000000';
const COUNTS = (process.env.BENCH_LIVE_COUNTS ?? '1,2,4,5,6,7,8,10,12').split(',').map(Number);
const AVATARS = ['eileen', 'ada', 'milo', 'nora', 'kai'];
const WARM_UP_MS = 2_500;
const MEASURE_MS = 5_000;

type Live = { id: string; ws: WsTestClient; viewer: NodeViewer; feeder?: NodeJS.Timeout };

async function openSessions(server: RunningServer, base: string, count: number): Promise<Live[]> {
  const out: Live[] = [];
  for (let i = 0; i < count; i++) {
    const res = await server.app.inject({
      method: 'POST',
      url: '/v1/sessions',
      headers: { 'x-api-key': KEY },
      payload: { avatar: `PUBLIC/Avatars/${AVATARS[i % AVATARS.length]}` },
    });
    const session = res.json().session;
    const ws = await WsTestClient.open(`${base.replace(/^http/, 'ws')}/ws`);
    ws.send({ type: 'session.init', session_id: session.session_id, session_token: session.session_token });
    await ws.next('connection.established');
    const viewer = new NodeViewer();
    await viewer.join(server.deps.live.hub, session.room.name, session.room.token);
    await viewer.waitForState('connected');
    out.push({ id: session.session_id, ws, viewer });
  }
  return out;
}

async function closeSessions(server: RunningServer, sessions: Live[]) {
  for (const s of sessions) {
    clearInterval(s.feeder);
    s.viewer.close();
    s.ws.close();
    await server.app.inject({
      method: 'POST',
      url: `/v1/sessions/${s.id}/end`,
      headers: { 'x-api-key': KEY },
    });
  }
}

async function trial(server: RunningServer, base: string, count: number) {
  const sessions = await openSessions(server, base, count);
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
    const live = sessions.map((s) => server.deps.live.get(s.id)!);
    const start = live.map((l) => l.stats);
    const decodedStart = sessions.map((s) => s.viewer.framesDecoded);
    const t0 = performance.now();
    const load0 = loadavg()[0]!;
    const elu0 = performance.eventLoopUtilization();
    await sleep(MEASURE_MS);
    const seconds = (performance.now() - t0) / 1000;
    const mainThreadBusy = performance.eventLoopUtilization(elu0).utilization;
    const end = live.map((l) => l.stats);
    let dropped = 0;
    let late = 0;
    let lateTicks = 0;
    const fps = sessions.map((s, i) => (s.viewer.framesDecoded - decodedStart[i]!) / seconds);
    end.forEach((stats, i) => {
      dropped += stats.render.dropped - start[i]!.render.dropped;
      late += stats.output.lateFrames - start[i]!.output.lateFrames;
      lateTicks += stats.clock.lateTicks - start[i]!.clock.lateTicks;
    });
    const minFps = Math.min(...fps);
    // Late frames (a few frames behind their due time) still reach the viewer in order; dropped ones do not.
    const ok = dropped === 0 && minFps >= 24;
    const busy = Number(mainThreadBusy.toFixed(2));
    const minViewerFps = Number(minFps.toFixed(1));
    return {
      ok,
      detail: { count, dropped, late, lateTicks, minViewerFps, mainThreadBusy: busy, load1: load0 },
    };
  } finally {
    await closeSessions(server, sessions);
  }
}

async function speakLatency(server: RunningServer, base: string) {
  const sessions = await openSessions(server, base, 2);
  try {
    await sleep(1000);
    for (let round = 0; round < 15; round++) {
      for (const s of sessions) s.ws.send({ type: 'agent.speak', audio: pcmBase64(tone(0.4)) });
      await sleep(1000);
    }
    return sessions.flatMap((s) => server.deps.live.get(s.id)!.speakLatenciesMs);
  } finally {
    await closeSessions(server, sessions);
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
const warmup = await server.deps.live.warmed;
console.log(`warm-up: ${JSON.stringify(warmup)}`);
let best = 0;
const trials = [];
for (const count of COUNTS) {
  const result = await trial(server, base, count);
  trials.push(result.detail);
  console.log(`live ${count}: ${result.ok ? 'ok' : 'FAIL'} ${JSON.stringify(result.detail)}`);
  if (!result.ok) break;
  best = count;
}
const loadBeforeLatency = loadavg()[0]!;
const latencies = await speakLatency(server, base);
await server.close();
rmSync(dataDir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    live_sessions: best,
    speak_to_encoded_frame_ms_p95: Number(percentile(latencies, 95).toFixed(1)),
    speak_to_encoded_frame_ms_p50: Number(percentile(latencies, 50).toFixed(1)),
    speak_samples: latencies.length,
    resolution: '640x480',
    load_average_1m: { during_capacity: trials.map((t) => t.load1), before_latency: loadBeforeLatency },
    cores: (await import('node:os')).availableParallelism(),
    viewer: 'Node @roamhq/wrtc viewer per session, in the bench process',
  }),
);
process.exit(0);
