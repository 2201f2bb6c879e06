/**
 * bench:cluster — scale-out on real engines: one `agenthuman api` and two `agenthuman worker` processes (child
 * processes, so kill -9 is real) over a throwaway PostgreSQL, a real Redis and a real LiveKit server, all on
 * loopback. Prints one JSON object on its last line.
 *
 *   npm run bench:cluster [-- --builtin-per-worker=1 --livekit-per-worker=1 --pings=200]
 *
 * 1. Routed WebSocket latency: round trips of a frame the session's connection answers at once (an unknown
 *    type → `error`), through the API's relay to a worker, against the same through a single `serve`.
 * 2. Sessions spread over both workers (built-in rooms speaking over /ws, LiveKit rooms with a viewer each);
 *    per worker: sessions held (not ended, viewer frames flowing), worker CPU per session (/proc).
 * 3. Redis restart: sessions it ended (target 0).
 * 4. kill -9 of the worker that holds the most sessions: its built-in sessions' `session.ended worker_lost`
 *    time at the client, its LiveKit sessions resumed (the avatar back in the room, the video gap at the
 *    viewer), sessions of the other worker wrongly ended (target 0).
 * 5. Records: every created session is readable afterwards with its end recorded (lost: target 0).
 * Two workers on one small machine share its cores: CPU per session is the capacity figure (capacity per
 * worker ≈ cores ÷ CPU per session), not a scaling curve.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Room } from '@livekit/rtc-node';
import pg from 'pg';
import { AVATAR_IDENTITY, Subscriber } from '../e2e/livekit/avatar-harness.js';
import { type LiveKitServer, mintToken, startLiveKitServer } from '../e2e/livekit/livekit-server.js';
import { pcmBase64, WsTestClient } from '../packages/server/src/live/testing/ws-test-client.js';
import { startTestRedis } from '../packages/server/src/testing/redis-server.js';
import { startThrowawayPostgres } from '../scripts/throwaway-postgres.mjs';
import { percentile, sleep, syntheticSpeech } from './engine-setup.js';
import { ViewerProcess } from './viewer-process.js';

const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
};
const BUILTIN_PER_WORKER = arg('builtin-per-worker', 1);
const LIVEKIT_PER_WORKER = arg('livekit-per-worker', 1);
const PINGS = arg('pings', 200);
const MEASURE_MS = arg('measure-ms', 5_000);
const KEY = 'ah_test_BenchClusterKey00000000000000000';
const CLI = new URL('../packages/cli/bin/agenthuman.js', import.meta.url).pathname;
const loads: Record<string, number> = {};
const noteLoad = (phase: string) => {
  loads[phase] = Number(loadavg()[0]!.toFixed(2));
};

type Proc = { role: string; url: string; child: ChildProcess; output: () => string };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startProcess(role: 'api' | 'worker' | 'serve', env: Record<string, string>): Promise<Proc> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [CLI, role], {
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      AGENTHUMAN_PUBLIC_URL: url,
      ...(role === 'worker' && { AGENTHUMAN_WORKER_URL: url }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-6000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${role} exited (${child.exitCode}):\n${output}`);
    const up = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })
      .then((res) => res.ok)
      .catch(() => false);
    if (up) return { role, url, child, output: () => output };
    await sleep(200);
  }
  child.kill('SIGKILL');
  throw new Error(`${role} did not answer /health within 180 s:\n${output}`);
}

function stopProcess(proc: Proc | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => proc.child.kill('SIGKILL'), 10_000);
    proc.child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    proc.child.kill(signal);
  });
}

/** User + system CPU seconds of a process (all its threads: render workers included). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

type Reply = {
  session?: {
    session_id: string;
    session_token: string;
    status: string;
    end_reason: string | null;
    room?: { name: string; token: string };
  };
};

async function api(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'x-api-key': KEY, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Reply };
}

async function createSession(base: string, body: unknown) {
  const created = await api(base, 'POST', '/v1/sessions', body);
  const session = created.json.session;
  if (created.status !== 200 || !session) {
    throw new Error(`create answered ${created.status}: ${JSON.stringify(created.json)}`);
  }
  return session;
}

/** A session's /ws through `base`, initialised; `ping()` times one frame the connection answers at once. */
async function pingChannel(base: string) {
  const session = await createSession(base, { avatar: 'PUBLIC/Avatars/ada' });
  const ws = await WsTestClient.open(`${base.replace(/^http/, 'ws')}/ws`);
  ws.send({ type: 'session.init', session_id: session.session_id, session_token: session.session_token });
  await ws.next('connection.established', 60_000);
  return {
    async ping(): Promise<number> {
      const sent = performance.now();
      ws.send({ type: 'bench.ping' });
      await ws.next('error');
      return performance.now() - sent;
    },
    async close() {
      ws.close();
      await api(base, 'POST', `/v1/sessions/${session.session_id}/end`);
    },
  };
}

/**
 * Round trips through a single `serve` and through the cluster's API relay, alternating frame by frame so
 * both paths see the same machine load (the first 10 of each warm the paths up and are not counted).
 */
async function interleavedRoundTrips(serveUrl: string, apiUrl: string, count: number) {
  const direct = await pingChannel(serveUrl);
  const routed = await pingChannel(apiUrl);
  const out = { direct: [] as number[], routed: [] as number[] };
  try {
    for (let i = 0; i < count + 10; i++) {
      const d = await direct.ping();
      const r = await routed.ping();
      if (i >= 10) {
        out.direct.push(d);
        out.routed.push(r);
      }
    }
  } finally {
    await direct.close();
    await routed.close();
  }
  return out;
}

type Seat = {
  id: string;
  kind: 'builtin' | 'livekit';
  ws?: WsTestClient;
  /** `name:token` of a built-in room, for its WHEP viewer. */
  room?: string;
  feeder?: NodeJS.Timeout;
  viewer?: Subscriber;
  agent?: Room;
  workerPid?: number;
  endedBy?: { reason: string; atMs: number };
};

async function openBuiltin(base: string, i: number): Promise<Seat> {
  const session = await createSession(base, { avatar: 'PUBLIC/Avatars/eileen' });
  const ws = await WsTestClient.open(`${base.replace(/^http/, 'ws')}/ws`);
  ws.send({ type: 'session.init', session_id: session.session_id, session_token: session.session_token });
  await ws.next('connection.established', 60_000);
  if (!session.room) throw new Error('a built-in session came without its room');
  const seat: Seat = {
    id: session.session_id,
    kind: 'builtin',
    ws,
    room: `${session.room.name}:${session.room.token}`,
  };
  void ws.next('session.ended', 3_600_000).then(
    (event) => {
      seat.endedBy = { reason: String(event.reason), atMs: performance.now() };
    },
    () => undefined,
  );
  // A TTS-like stream: one second of speech each second, queued a second ahead.
  const send = () => {
    const speech = syntheticSpeech(1, i);
    for (let k = 0; k < 10; k++) {
      ws.send({ type: 'agent.speak', audio: pcmBase64(speech.subarray(k * 1600, (k + 1) * 1600)) });
    }
  };
  send();
  send();
  seat.feeder = setInterval(send, 1000);
  return seat;
}

async function openLiveKit(base: string, livekit: LiveKitServer, n: number): Promise<Seat> {
  const room = `bench-cluster-${process.pid}-${n}`;
  const viewer = await Subscriber.join(livekit, room);
  // The agent the avatar publishes for; it stays, so the avatar's room outlives the avatar's worker.
  const agent = new Room();
  await agent.connect(livekit.url, mintToken(livekit, { identity: 'agent', room, kind: 'agent' }), {
    autoSubscribe: false,
    dynacast: false,
  });
  const token = mintToken(livekit, {
    identity: AVATAR_IDENTITY,
    room,
    kind: 'agent',
    attributes: { 'lk.publish_on_behalf': 'agent' },
    ttlS: 3600,
  });
  const session = await createSession(base, {
    avatar: 'PUBLIC/Avatars/kai',
    room: { platform: 'livekit', url: livekit.url, token },
  });
  return { id: session.session_id, kind: 'livekit', viewer, agent };
}

async function closeSeat(base: string, seat: Seat) {
  clearInterval(seat.feeder);
  seat.ws?.close();
  await seat.viewer?.close().catch(() => undefined);
  await seat.agent?.disconnect().catch(() => undefined);
  await api(base, 'POST', `/v1/sessions/${seat.id}/end`).catch(() => undefined);
}

/** The worker pid running each session's media now (`sessions.media_owner` is host:pid:nonce). */
async function ownerPids(db: pg.Client, ids: string[]): Promise<Map<string, number | undefined>> {
  const { rows } = await db.query('select id, media_owner from sessions where id = any($1)', [ids]);
  return new Map(
    rows.map((row: { id: string; media_owner: string | null }) => [
      row.id,
      row.media_owner ? Number(row.media_owner.split(':').at(-2)) : undefined,
    ]),
  );
}

async function statusOf(base: string, id: string): Promise<{ status: string; endReason: string | null }> {
  const res = await api(base, 'GET', `/v1/sessions/${id}`);
  return { status: String(res.json.session?.status), endReason: res.json.session?.end_reason ?? null };
}

const framesSince = (seat: Seat, fromMs: number) =>
  seat.viewer?.videoFrames.filter((frame) => frame.at >= fromMs).length ?? 0;

async function main() {
  const result: Record<string, unknown> = {};
  const dataDir = mkdtempSync(join(tmpdir(), 'agenthuman-bench-cluster-'));
  const common = {
    AGENTHUMAN_BOOTSTRAP_KEY: KEY,
    AGENTHUMAN_RATE_LIMIT: '100000',
    AGENTHUMAN_LOG_LEVEL: 'warn',
    AGENTHUMAN_ROOM_LOOPBACK_ONLY: 'true',
    AGENTHUMAN_WARM_AVATARS: 'false',
    AGENTHUMAN_MAX_LIVE_SESSIONS: '16',
    AGENTHUMAN_WS_UPGRADES_PER_MINUTE: '100000',
  };

  const procs: Proc[] = [];
  const seats: Seat[] = [];
  let serve: Proc | undefined;
  let postgres: { url: string; stop(): void } | undefined;
  let redis: Awaited<ReturnType<typeof startTestRedis>> | undefined;
  let livekit: LiveKitServer | undefined;
  let db: pg.Client | undefined;
  let apiProc: Proc | undefined;
  let viewers: ViewerProcess | undefined;
  try {
    // The latency baseline: one `serve` (embedded PGlite), running beside the cluster while both are timed.
    serve = await startProcess('serve', { ...common, AGENTHUMAN_DATA_DIR: join(dataDir, 'serve') });
    postgres = startThrowawayPostgres() as { url: string; stop(): void };
    redis = await startTestRedis();
    livekit = await startLiveKitServer({ timeoutMs: 60_000 });
    db = new pg.Client({ connectionString: postgres.url });
    await db.connect();
    const clusterEnv = {
      ...common,
      ...livekit.env,
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      AGENTHUMAN_DATA_DIR: join(dataDir, 'cluster'),
    };
    // The API first (it runs the migrations), then the workers.
    apiProc = await startProcess('api', clusterEnv);
    procs.push(apiProc);
    const workers = [await startProcess('worker', clusterEnv), await startProcess('worker', clusterEnv)];
    procs.push(...workers);
    const base = apiProc.url;
    const workerOf = (pid: number | undefined) => workers.findIndex((w) => w.child.pid === pid);
    // Wait until the API places sessions (both workers registered): a first create that starts.
    await sleep(3_000);

    // 1. Routed latency: one session behind each path, frames alternating between the two.
    noteLoad('routed_latency');
    const { direct, routed } = await interleavedRoundTrips(serve.url, base, PINGS);
    await stopProcess(serve);
    result.routed_ws_frame_rtt_ms = {
      via_api_p50: round(percentile(routed, 50)),
      via_api_p95: round(percentile(routed, 95)),
      single_serve_p50: round(percentile(direct, 50)),
      single_serve_p95: round(percentile(direct, 95)),
      samples: routed.length,
    };
    result.routed_ws_extra_latency_p95_ms = round(percentile(routed, 95) - percentile(direct, 95));

    // 2. Sessions over both workers: idle CPU first, then the sessions.
    const idleFrom = workers.map((w) => cpuSeconds(w.child.pid!));
    await sleep(MEASURE_MS);
    const idleCpu = workers.map((w, i) => (cpuSeconds(w.child.pid!) - idleFrom[i]!) / (MEASURE_MS / 1000));
    const total = 2 * (BUILTIN_PER_WORKER + LIVEKIT_PER_WORKER);
    for (let i = 0; i < 2 * BUILTIN_PER_WORKER; i++) seats.push(await openBuiltin(base, i));
    for (let i = 0; i < 2 * LIVEKIT_PER_WORKER; i++) seats.push(await openLiveKit(base, livekit, i));
    const builtinSeats = seats.filter((s) => s.kind === 'builtin');
    // One werift viewer per built-in room, joined over WHEP through the API (relayed to the worker).
    viewers = new ViewerProcess(
      base,
      builtinSeats.map((s) => s.room!),
      'werift',
    );
    await viewers.joined(90_000);
    const deadline = Date.now() + 90_000;
    while (seats.some((s) => s.kind === 'livekit' && framesSince(s, 0) === 0)) {
      if (Date.now() > deadline) throw new Error('LiveKit viewers saw no avatar video within 90 s');
      await sleep(200);
    }
    const owners = await ownerPids(
      db,
      seats.map((s) => s.id),
    );
    for (const seat of seats) seat.workerPid = owners.get(seat.id);
    await sleep(2_000);
    noteLoad('sessions_running');
    const heldFrom = performance.now();
    const viewerFrom = viewers.sample();
    const cpuFrom = workers.map((w) => cpuSeconds(w.child.pid!));
    await sleep(MEASURE_MS);
    const viewerTo = viewers.sample();
    const viewerSeconds = (viewerTo.atMs - viewerFrom.atMs) / 1000;
    const cpuBusy = workers.map((w, i) => (cpuSeconds(w.child.pid!) - cpuFrom[i]!) / (MEASURE_MS / 1000));
    const held = await Promise.all(
      seats.map(async (seat) => {
        const { status } = await statusOf(base, seat.id);
        const index = builtinSeats.indexOf(seat);
        const fps = seat.viewer
          ? framesSince(seat, heldFrom) / (MEASURE_MS / 1000)
          : ((viewerTo.frames[index] ?? 0) - (viewerFrom.frames[index] ?? 0)) / viewerSeconds;
        return { seat, status, running: status === 'started', fps };
      }),
    );
    result.sessions_per_worker = workers.map((_worker, i) => {
      const mine = held.filter((h) => workerOf(h.seat.workerPid) === i);
      const count = mine.length;
      return {
        sessions: count,
        // Held: still running, and its viewer got at least 24 of the 25 frames a second.
        held_no_drops: mine.filter((h) => h.running && !h.seat.endedBy && h.fps >= 24).length,
        running: mine.filter((h) => h.running && !h.seat.endedBy).length,
        viewer_fps_min: count > 0 ? round(Math.min(...mine.map((h) => h.fps))) : null,
        cpu_cores_busy: round(cpuBusy[i]!),
        cpu_cores_idle_worker: round(idleCpu[i]!),
        cpu_cores_per_session: count > 0 ? round((cpuBusy[i]! - idleCpu[i]!) / count) : null,
      };
    });
    const perSession = (result.sessions_per_worker as { cpu_cores_per_session: number | null }[])
      .map((w) => w.cpu_cores_per_session)
      .filter((v): v is number => v !== null && v > 0);
    // Capacity per worker ≈ its cores ÷ CPU per session (two workers here share two cores).
    // Anything not running at 25 fps, for the reader: its status, the session.ended its client heard, fps.
    result.sessions_not_held = held
      .filter((h) => !h.running || h.seat.endedBy || h.fps < 24)
      .map((h) => ({
        kind: h.seat.kind,
        worker: workerOf(h.seat.workerPid) + 1,
        status: h.status,
        client_heard_ended: h.seat.endedBy?.reason ?? null,
        fps: round(h.fps),
      }));
    result.sessions_per_core_estimate = perSession.length ? round(1 / Math.max(...perSession)) : null;
    result.placement = seats.map((s) => `${s.kind}→worker${workerOf(s.workerPid) + 1}`);
    result.sessions_started = total;
    result.sessions_unplaced = seats.filter((s) => workerOf(s.workerPid) < 0).length;

    // 3. Redis restart: nothing may end.
    const endedIds = async () => {
      const rows = await Promise.all(seats.map(async (s) => [s.id, await statusOf(base, s.id)] as const));
      return new Map(rows.filter(([, row]) => row.status === 'ended'));
    };
    const endedBeforeRedis = await endedIds();
    await redis.restart();
    await sleep(8_000);
    const endedAfterRedis = await endedIds();
    result.sessions_ended_by_redis_restart = [...endedAfterRedis.keys()].filter(
      (id) => !endedBeforeRedis.has(id),
    ).length;
    noteLoad('after_redis_restart');

    // 4. kill -9 the worker with the most sessions.
    // Sessions nobody ended (no client end, no loss yet) that are over anyway, with their reasons.
    const endedBeforeKill = await endedIds();
    result.sessions_ended_unprompted_before_kill = [...endedBeforeKill.values()].map((row) => row.endReason);
    const counts = workers.map((_, i) => seats.filter((s) => workerOf(s.workerPid) === i).length);
    const victim = counts[0]! >= counts[1]! ? 0 : 1;
    const survivor = 1 - victim;
    const lostSeats = seats.filter((s) => workerOf(s.workerPid) === victim && !endedBeforeKill.has(s.id));
    const otherSeats = seats.filter((s) => workerOf(s.workerPid) === survivor && !endedBeforeKill.has(s.id));
    const survivorFrom = viewers.sample();
    const killedAt = performance.now();
    workers[victim]!.child.kill('SIGKILL');
    const lostDeadline = Date.now() + 30_000;
    const builtinLost = lostSeats.filter((s) => s.kind === 'builtin');
    const livekitLost = lostSeats.filter((s) => s.kind === 'livekit');
    const resumedFrameAt = new Map<string, number>();
    while (Date.now() < lostDeadline) {
      for (const seat of livekitLost) {
        const frame = seat.viewer?.videoFrames.find((f) => f.at > killedAt + 1_000);
        if (frame && !resumedFrameAt.has(seat.id)) resumedFrameAt.set(seat.id, frame.at);
      }
      if (builtinLost.every((s) => s.endedBy) && resumedFrameAt.size === livekitLost.length) break;
      await sleep(100);
    }
    // The surviving worker's sessions while the other was lost and its sessions ended or moved.
    const survivorTo = viewers.sample();
    const lossSeconds = (performance.now() - killedAt) / 1000;
    const survivorFps = otherSeats.map((seat) => {
      const index = builtinSeats.indexOf(seat);
      return seat.viewer
        ? framesSince(seat, killedAt) / lossSeconds
        : ((survivorTo.frames[index] ?? 0) - (survivorFrom.frames[index] ?? 0)) /
            ((survivorTo.atMs - survivorFrom.atMs) / 1000);
    });
    const detection = builtinLost.filter((s) => s.endedBy).map((s) => s.endedBy!.atMs - killedAt);
    // The video gap: the longest pause between two frames at the viewer, from just before the kill to the
    // first frame of the resumed avatar.
    const gaps = livekitLost.map((seat) => {
      const after = resumedFrameAt.get(seat.id);
      if (after === undefined) return null;
      const frames = seat.viewer!.videoFrames.filter((f) => f.at >= killedAt - 1_000 && f.at <= after);
      let longest = 0;
      for (let i = 1; i < frames.length; i++) longest = Math.max(longest, frames[i]!.at - frames[i - 1]!.at);
      return longest;
    });
    await sleep(2_000);
    const afterLoss = new Map(
      await Promise.all(seats.map(async (s) => [s.id, await statusOf(base, s.id)] as const)),
    );
    const newOwners = await ownerPids(
      db,
      livekitLost.map((s) => s.id),
    );
    result.worker_loss = {
      killed_worker_sessions: lostSeats.length,
      builtin_sessions_ended_worker_lost: builtinLost.filter(
        (s) => s.endedBy?.reason === 'worker_lost' && afterLoss.get(s.id)?.endReason === 'worker_lost',
      ).length,
      builtin_sessions: builtinLost.length,
      detection_ms_max: detection.length ? Math.round(Math.max(...detection)) : null,
      detection_ms_all: detection.map(Math.round),
      livekit_sessions: livekitLost.length,
      livekit_sessions_resumed: livekitLost.filter(
        (s) =>
          afterLoss.get(s.id)?.status === 'started' &&
          resumedFrameAt.has(s.id) &&
          workerOf(newOwners.get(s.id)) === survivor,
      ).length,
      livekit_video_gap_ms: gaps.map((g) => (g === null ? null : Math.round(g))),
      surviving_worker_viewer_fps_min: survivorFps.length ? round(Math.min(...survivorFps)) : null,
    };
    // Sessions wrongly ended: any of the surviving worker's sessions that ended (they were never asked to).
    result.surviving_sessions_ended = otherSeats
      .filter((s) => s.endedBy || afterLoss.get(s.id)?.status === 'ended')
      .map((s) => ({
        kind: s.kind,
        client_heard: s.endedBy?.reason ?? null,
        recorded: afterLoss.get(s.id)?.endReason,
      }));
    // Plus any session that ended before the kill without anyone ending it.
    result.sessions_wrongly_ended =
      otherSeats.filter((s) => s.endedBy || afterLoss.get(s.id)?.status === 'ended').length +
      endedBeforeKill.size;
    noteLoad('after_worker_loss');

    // 5. Records: end what runs, then every created session must be readable with its end recorded.
    for (const seat of seats) await closeSeat(base, seat);
    await sleep(500);
    const finalRows = await Promise.all(seats.map((s) => api(base, 'GET', `/v1/sessions/${s.id}`)));
    result.records_lost = finalRows.filter(
      (r) => r.status !== 200 || r.json.session?.status !== 'ended' || !r.json.session?.end_reason,
    ).length;
    const charged = await db
      .query('select count(distinct session_id)::int as n from minute_charges where session_id = any($1)', [
        seats.map((s) => s.id),
      ])
      .catch(() => undefined);
    result.sessions_billed = charged?.rows[0]?.n ?? null;
  } finally {
    for (const seat of seats) {
      clearInterval(seat.feeder);
      seat.ws?.close();
    }
    viewers?.stop();
    await stopProcess(serve);
    for (const proc of procs) await stopProcess(proc);
    await db?.end().catch(() => undefined);
    await livekit?.stop();
    await redis?.stop();
    postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  result.load_average_1m = loads;
  result.cores = availableParallelism();
  result.setup =
    `1 api + 2 worker processes (${BUILTIN_PER_WORKER} built-in + ${LIVEKIT_PER_WORKER} LiveKit-room sessions ` +
    'per worker), throwaway PostgreSQL, redis-server, livekit-server, all on loopback; latency baseline: one serve';
  console.log(JSON.stringify(result));
  process.exit(0);
}

const round = (value: number) => Math.round(value * 100) / 100;

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
