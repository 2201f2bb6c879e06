/**
 * bench:livekit — speaking avatar sessions in LiveKit rooms through our real server (in-process, PGlite) and a
 * real LiveKit server, each session created as the LiveKit Agents plugin creates it (a customer room, a token
 * for agenthuman-avatar-agent publishing on behalf of the agent). The peers of each room (an rtc-node agent
 * that speaks with lk.audio_stream byte streams and answers the playback RPCs, an rtc-node viewer that decodes
 * what arrives) run in a child process (bench/livekit-peers.ts), so this process is the server alone, as in
 * production. Prints one JSON object.
 *
 *   npm run bench:livekit [-- --max=8 --speak-s=6]
 *   npm run bench:livekit -- --soak=10     (one session for 10 min, a forced signalling reconnect halfway)
 *
 * Figures, per step of 1, 2, 4, … sessions all speaking at once: frames the pipelines dropped, CPU per session
 * of this process by thread kind (main event loop, render workers, rtc-node/libwebrtc) and of the LiveKit
 * server, main event-loop delay, the longest video gap at a viewer. Then create → first video frame at a
 * viewer (a session created alone), speech arrival → first frame published (p95), lk.clear_buffer →
 * lk.playback_finished at the agent (p95), and the A/V offset at a viewer (below).
 *
 * A/V offset: one more avatar joined by the same joinLiveAvatar path with the solid-colour test renderer, whose
 * frames carry their pts (index = pts / 40 ms mod 256) in the chroma planes. The viewer decodes them and hears
 * the chirp's onset; the segment's first audio and the frame with the segment's start pts leave the pipeline
 * together, so (onset arrival) − (that frame's arrival) is the offset a subscriber sees (> 0: audio late).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type ListeningServer, startListeningServer } from '@agenthuman/sdk/testing';
import type { Room } from '@livekit/rtc-node';
import { AVATAR_IDENTITY, startAvatarSession } from '../e2e/livekit/avatar-harness.js';
import { type LiveKitServer, mintToken, startLiveKitServer } from '../e2e/livekit/livekit-server.js';
import type { PeerCommand, PeerReply, SpokenSegment } from './livekit-peers.js';
import { cpuByThreadName, processTicks, threadTicks, ticksToMsPerSecond } from './process-cpu.js';

const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
};
const MAX_SESSIONS = arg('max', 8);
const SPEAK_S = arg('speak-s', 6);
const CLEAR_TRIES = arg('clear-tries', 8);
const AV_TRIES = arg('av-tries', 5);
const FIRST_FRAME_TRIES = arg('first-frame-tries', 3);
/** --soak=<minutes>: one session speaking on and off, a forced signalling reconnect halfway. */
const SOAK_MIN = arg('soak', 0);

const now = () => performance.timeOrigin + performance.now();
const round = (value: number) => Math.round(value * 10) / 10;
const percentile = (values: number[], p: number) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);
};

/** The peers' child process, one request at a time per call (replies matched by id). */
class Peers {
  readonly child: ChildProcess;
  #next = 1;
  #waiting = new Map<number, (reply: PeerReply) => void>();
  readonly ready: Promise<void>;

  constructor(livekit: LiveKitServer, nice: number) {
    // Niced (every thread: nice is per thread, so the whole process starts under it): the peers decode what a
    // remote viewer would decode on its own machine, and must not take cores from the measured server.
    this.child = fork(fileURLToPath(new URL('./livekit-peers.ts', import.meta.url)), [], {
      execPath: 'nice',
      execArgv: ['-n', String(nice), process.execPath, '--import', 'tsx'],
      env: {
        ...process.env,
        BENCH_LIVEKIT: JSON.stringify({
          url: livekit.url,
          apiKey: livekit.apiKey,
          apiSecret: livekit.apiSecret,
        }),
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.ready = new Promise((resolve, reject) => {
      this.#waiting.set(0, () => resolve());
      this.child.once('exit', (code) => reject(new Error(`peers exited with ${code}`)));
    });
    this.child.on('message', (reply: PeerReply) => {
      const done = this.#waiting.get(reply.id);
      this.#waiting.delete(reply.id);
      done?.(reply);
    });
  }

  async call<T extends Record<string, unknown>>(room: string, command: PeerCommand): Promise<T> {
    const id = this.#next++;
    const reply = await new Promise<PeerReply>((resolve) => {
      this.#waiting.set(id, resolve);
      this.child.send({ ...command, id, room });
    });
    if (reply.error) throw new Error(`peers (${command.op} ${room}): ${reply.error}`);
    return reply as T;
  }

  close(): void {
    this.child.kill();
  }
}

type Seat = { sessionId: string; room: string; createdAt: number };
let counter = 0;

async function open(
  livekit: LiveKitServer,
  server: ListeningServer,
  key: string,
  peers: Peers,
): Promise<Seat> {
  const room = `bench-${process.pid}-${++counter}`;
  await peers.call(room, { op: 'open' });
  const token = mintToken(livekit, {
    identity: AVATAR_IDENTITY,
    room,
    kind: 'agent',
    attributes: { 'lk.publish_on_behalf': 'agent' },
  });
  const createdAt = now();
  const res = await fetch(`${server.url}/v1/sessions`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    body: JSON.stringify({
      avatar: 'PUBLIC/Avatars/kai',
      room: { platform: 'livekit', url: livekit.url, token },
    }),
  });
  if (res.status !== 200) throw new Error(`create answered ${res.status}: ${await res.text()}`);
  const { session } = await res.json();
  return { sessionId: session.session_id, room, createdAt };
}

function threadKind(tid: string, comm: string): string {
  if (tid === String(process.pid)) return 'main';
  if (comm === 'node') return 'renderWorkers';
  if (/^(node|libuv|V8|threadpool)|Worker/i.test(comm)) return 'nodeInternal';
  return 'rtcNode';
}

/** CPU of this process by thread kind and of the LiveKit server and peers, while `during` runs. */
async function measureCpu<T>(
  livekitPid: number | undefined,
  peersPid: number | undefined,
  during: () => Promise<T>,
) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  const a = threadTicks();
  const lkA = livekitPid ? processTicks(livekitPid) : 0;
  const peersA = peersPid ? processTicks(peersPid) : 0;
  const t0 = performance.now();
  delay.enable();
  const value = await during();
  delay.disable();
  const seconds = (performance.now() - t0) / 1000;
  const b = threadTicks();
  const byName = cpuByThreadName(a, b, seconds);
  const byKind: Record<string, number> = {};
  for (const [tid, end] of b) {
    const ms = ticksToMsPerSecond(end.ticks - (a.get(tid)?.ticks ?? 0), seconds);
    const kind = threadKind(tid, end.comm);
    byKind[kind] = (byKind[kind] ?? 0) + ms;
  }
  return {
    value,
    seconds,
    byKind,
    byName,
    livekitServerMsPerS: livekitPid ? ticksToMsPerSecond(processTicks(livekitPid) - lkA, seconds) : null,
    peersMsPerS: peersPid ? ticksToMsPerSecond(processTicks(peersPid) - peersA, seconds) : null,
    eventLoopDelayMs: {
      p50: round(delay.percentile(50) / 1e6),
      p99: round(delay.percentile(99) / 1e6),
      max: round(delay.max / 1e6),
    },
  };
}

const perSession = (values: Record<string, number>, n: number) =>
  Object.fromEntries(
    Object.entries(values)
      .filter(([, v]) => v / n >= 0.5)
      .map(([k, v]) => [k, Math.round(v / n)]),
  );

async function main(): Promise<void> {
  const livekit = await startLiveKitServer();
  // Warm-up on, as a production server runs: the public avatars' idle frames are drawn before the first session.
  const server = await startListeningServer({
    server: { startMediaWithSession: true },
    env: { AGENTHUMAN_WARM_AVATARS: 'true', AGENTHUMAN_MAX_LIVE_SESSIONS: String(Math.max(6, MAX_SESSIONS)) },
  });
  await server.server.live.warmed;
  const key = (await server.newAccount('enterprise')).key;
  const peers = new Peers(livekit, 10);
  await peers.ready;
  let failed = false;
  try {
    if (SOAK_MIN > 0) console.log(JSON.stringify(await soak(livekit, server, key, peers)));
    else console.log(JSON.stringify(await steps(livekit, server, key, peers)));
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
  const live = server.server.live;
  const rows: Record<string, unknown>[] = [];
  const createToFirstFrame: number[] = [];
  const speechToFrame: number[] = [];
  let clearToFinished: number[] = [];
  for (let n = 1; n <= MAX_SESSIONS; n *= 2) {
    const seats = await Promise.all(Array.from({ length: n }, () => open(livekit, server, key, peers)));
    const firstFrames = await Promise.all(
      seats.map(
        async (seat) =>
          (await peers.call<{ at: number }>(seat.room, { op: 'first-frame' })).at - seat.createdAt,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const before = seats.map((seat) => live.get(seat.sessionId)!.avatar.stats.render.dropped);
    const cpu = await measureCpu(livekit.pid, peers.child.pid, () =>
      Promise.all(
        seats.map((seat) =>
          peers.call<{ segment: SpokenSegment }>(seat.room, { op: 'speak', ms: SPEAK_S * 1000 }),
        ),
      ),
    );
    const dropped = seats.reduce(
      (sum, seat, i) => sum + live.get(seat.sessionId)!.avatar.stats.render.dropped - before[i]!,
      0,
    );
    const stepSpeechToFrame = seats.flatMap(
      (seat) => live.get(seat.sessionId)!.avatar.stats.output.audioToFrameMs,
    );
    speechToFrame.push(...stepSpeechToFrame);
    const serverMs = Object.values(cpu.byKind).reduce((x, y) => x + y, 0);
    rows.push({
      sessions: n,
      dropped,
      maxViewerGapMs: Math.round(Math.max(...cpu.value.map((r) => r.segment.maxGapMs))),
      createToFirstFrameMaxMs: Math.round(Math.max(...firstFrames)),
      speechArrivalToFramePublishedP95Ms: percentile(stepSpeechToFrame, 95),
      // CPU ms per wall second per session: this process (the server) by thread kind, the LiveKit server.
      serverCpuMsPerSPerSession: Math.round(serverMs / n),
      serverCpuByKind: perSession(cpu.byKind, n),
      rtcThreadsPerSession: perSession(
        Object.fromEntries(Object.entries(cpu.byName).filter(([name]) => threadKind('', name) === 'rtcNode')),
        n,
      ),
      livekitServerCpuMsPerSPerSession:
        cpu.livekitServerMsPerS === null ? null : Math.round(cpu.livekitServerMsPerS / n),
      peersCpuMsPerSPerSession: cpu.peersMsPerS === null ? null : Math.round(cpu.peersMsPerS / n),
      eventLoopDelayMs: cpu.eventLoopDelayMs,
      loadavg: loadavg().map(round),
    });
    console.error(JSON.stringify(rows.at(-1)));
    if (n === 1)
      clearToFinished = (
        await peers.call<{ latencies: number[] }>(seats[0]!.room, { op: 'clear', tries: CLEAR_TRIES })
      ).latencies;
    await Promise.all(seats.map((seat) => peers.call(seat.room, { op: 'close' })));
    // Each session ends when its agent leaves; the next step starts from none.
    const until = performance.now() + 15_000;
    while (live.size > 0 && performance.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The A/V subscriber is not niced: its audio device and decoder run on time, as a viewer's own machine runs them.
  const avPeers = new Peers(livekit, 0);
  await avPeers.ready;
  // The target is for one session created on its own (n creates at once are listed per step above).
  for (let i = 0; i < FIRST_FRAME_TRIES; i++) {
    const seat = await open(livekit, server, key, avPeers);
    createToFirstFrame.push(
      (await avPeers.call<{ at: number }>(seat.room, { op: 'first-frame' })).at - seat.createdAt,
    );
    await avPeers.call(seat.room, { op: 'close' });
    await fetch(`${server.url}/v1/sessions/${seat.sessionId}/end`, {
      method: 'POST',
      headers: { 'x-api-key': key },
    });
  }
  const publisherOffsets: number[] = [];
  const avOffsets = await measureAvOffset(livekit, avPeers, publisherOffsets).finally(() => avPeers.close());
  const clean = rows.filter((s) => s.dropped === 0).map((s) => s.sessions as number);
  return {
    machine: { loadavg: loadavg().map(round), cores: (await import('node:os')).cpus().length },
    concurrentSessionsNoDroppedFrames: clean.length ? Math.max(...clean) : 0,
    steps: rows,
    createToFirstFrameAtViewerMs: {
      p50: percentile(createToFirstFrame, 50),
      max: percentile(createToFirstFrame, 100),
    },
    speechArrivalToFramePublishedMs: {
      p50: percentile(speechToFrame, 50),
      p95: percentile(speechToFrame, 95),
    },
    clearBufferToPlaybackFinishedMs: {
      p50: percentile(clearToFinished, 50),
      p95: percentile(clearToFinished, 95),
    },
    avOffsetAtViewerMs: {
      samples: avOffsets.map(round),
      median: percentile(avOffsets, 50),
      maxAbs: avOffsets.length ? round(Math.max(...avOffsets.map(Math.abs))) : null,
      // The same pts handed to rtc-node: audio time − video time (< 0: the frame left after its audio).
      atPublisher: publisherOffsets.map(round),
    },
    notMeasured: ['built-in agent end of speech → first audio (npm run bench:livekit-agent, per stage)'],
  };
}

/** See the header: segments spoken to a test-renderer avatar, offset = onset arrival − start frame arrival. */
async function measureAvOffset(
  livekit: LiveKitServer,
  peers: Peers,
  publisherOffsets: number[],
): Promise<number[]> {
  const room = `bench-${process.pid}-av`;
  await peers.call(room, { op: 'open' });
  const session = await startAvatarSession(livekit, {
    room,
    agentIdentity: 'agent',
    width: 640,
    height: 480,
  });
  const starts: number[] = [];
  session.live.on('segment.started', (event) => starts.push(event.ptsMs));
  // When each pts was handed to rtc-node, for the offset at the publisher (what the viewer's adds to).
  const handedAudio = new Map<number, number>();
  const handedVideo = new Map<number, number>();
  const { audioSink, videoSink } = session.avatar;
  const writeAudio = audioSink.writeAudio.bind(audioSink);
  audioSink.writeAudio = (chunk) => {
    handedAudio.set(chunk.ptsMs, now());
    writeAudio(chunk);
  };
  const writeVideo = videoSink.writeVideo.bind(videoSink);
  videoSink.writeVideo = (frame) => {
    handedVideo.set(frame.ptsMs, now());
    writeVideo(frame);
  };
  const offsets: number[] = [];
  try {
    await peers.call(room, { op: 'first-frame' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (let i = 0; i < AV_TRIES; i++) {
      const { segment } = await peers.call<{ segment: SpokenSegment }>(room, { op: 'speak', ms: 1500 });
      const startPts = starts.at(-1);
      if (startPts === undefined || segment.audioOnsetAt === undefined) continue;
      const offset = startFrameOffset(segment, startPts);
      if (offset !== undefined) offsets.push(offset);
      const audioAt = handedAudio.get(startPts);
      const videoAt = handedVideo.get(startPts);
      if (audioAt !== undefined && videoAt !== undefined) publisherOffsets.push(audioAt - videoAt);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await peers.call(room, { op: 'close' });
    await session.close();
  }
  return offsets;
}

/**
 * When the frame of `startPts` arrived, estimated from every decoded frame within ±0.5 s of it (each frame's
 * arrival minus its distance in frames), median against arrival jitter; then onset − that.
 */
function startFrameOffset(segment: SpokenSegment, startPts: number): number | undefined {
  const FRAME_MS = 40;
  const startIndex = Math.round(startPts / FRAME_MS);
  const estimates: number[] = [];
  for (const frame of segment.frames) {
    if (frame.marker < 0) continue;
    const distance = ((((frame.marker - (startIndex % 256)) % 256) + 384) % 256) - 128;
    if (Math.abs(distance) > 12) continue;
    estimates.push(frame.at - distance * FRAME_MS);
  }
  const median = percentile(estimates, 50);
  if (median === null) return undefined;
  // The segment's first audio sample is startPts; the frame shown with it is the one of index startIndex.
  return segment.audioOnsetAt! - (median + (startPts - startIndex * FRAME_MS));
}

async function soak(livekit: LiveKitServer, server: ListeningServer, key: string, peers: Peers) {
  const mb = () => Math.round(process.memoryUsage().rss / 1e6);
  const seat = await open(livekit, server, key, peers);
  await peers.call(seat.room, { op: 'first-frame' });
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const rssStartMb = mb();
  const startedAt = performance.now();
  const since = now();
  const endAt = startedAt + SOAK_MIN * 60_000;
  let reconnectedAt: number | undefined;
  let reconnects = 0;
  const livekitSeat = server.server.live.get(seat.sessionId)?.livekit;
  livekitSeat?.on('reconnected', () => reconnects++);
  while (performance.now() < endAt) {
    await peers.call(seat.room, { op: 'speak', ms: 2000 });
    await new Promise((resolve) => setTimeout(resolve, 4000));
    if (reconnectedAt === undefined && performance.now() > startedAt + (endAt - startedAt) / 2) {
      reconnectedAt = performance.now();
      // SIMULATE_SIGNAL_RECONNECT: rtc-node closes its signal connection and resumes.
      await livekitSeat?.room.simulateScenario(0 as Parameters<Room['simulateScenario']>[0]);
    }
  }
  const gaps = await peers.call<{ longestGapMs: number; frames: number }>(seat.room, {
    op: 'longest-gap',
    since,
  });
  const row = await (
    await fetch(`${server.url}/v1/sessions/${seat.sessionId}`, { headers: { 'x-api-key': key } })
  ).json();
  const result = {
    soakMinutes: SOAK_MIN,
    sessionsEnded: row.session.status === 'ended' ? 1 : 0,
    forcedSignalReconnect: reconnectedAt !== undefined,
    reconnectsSeenByTheAvatar: reconnects,
    longestFrameGapAtViewerMs: Math.round(gaps.longestGapMs),
    framesAtViewer: gaps.frames,
    rssStartMb,
    rssEndMb: mb(),
    machine: { loadavg: loadavg().map(round) },
  };
  await peers.call(seat.room, { op: 'close' });
  return result;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
