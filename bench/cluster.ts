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

const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
};
const BUILTIN_PER_WORKER = arg('builtin-per-worker', 1);
const LIVEKIT_PER_WORKER = arg('livekit-per-worker', 1);
const PINGS = arg('pings', 200);
const MEASURE_MS = arg('measure-ms', 5_000);
const KEY = 'ah_test_BenchClusterKey000000000000000000';
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
  session?: { session_id: string; session_token: string; status: string; end_reason: string | null };
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

/** Round trips of frames the session's connection answers at once, through `base`'s /ws. */
async function wsRoundTrips(base: string, count: number): Promise<number[]> {
  const session = await createSession(base, { avatar: 'PUBLIC/Avatars/ada' });
  const ws = await WsTestClient.open(`${base.replace(/^http/, 'ws')}/ws`);
  ws.send({ type: 'session.init', session_id: session.session_id, session_token: session.session_token });
  await ws.next('connection.established', 60_000);
  const rtts: number[] = [];
  try {
    for (let i = 0; i < count + 10; i++) {
      const sent = performance.now();
      ws.send({ type: 'bench.ping' });
      await ws.next('error');
      // The first frames warm both paths up (JIT, sockets); they are not counted.
      if (i >= 10) rtts.push(performance.now() - sent);
    }
  } finally {
    ws.close();
    await api(base, 'POST', `/v1/sessions/${session.session_id}/end`);
  }
  return rtts;
}

type Seat = {
  id: string;
  kind: 'builtin' | 'livekit';
  ws?: WsTestClient;
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
  const seat: Seat = { id: session.session_id, kind: 'builtin', ws };
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

  // 1a. The baseline: one `serve` (embedded PGlite), alone on the machine.
  noteLoad('before_serve_baseline');
  const serve = await startProcess('serve', { ...common, AGENTHUMAN_DATA_DIR: join(dataDir, 'serve') });
  let direct: number[];
  try {
    direct = await wsRoundTrips(serve.url, PINGS);
  } finally {
    await stopProcess(serve);
  }

  const postgres = startThrowawayPostgres() as { url: string; stop(): void };
  const redis = await startTestRedis();
  const livekit = await startLiveKitServer({ timeoutMs: 60_000 });
  const db = new pg.Client({ connectionString: postgres.url });
  const procs: Proc[] = [];
  const seats: Seat[] = [];
  let apiProc: Proc | undefined;
  try {
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

    // 1b. Routed latency: the same single session, through the API's relay to a worker.
    noteLoad('before_routed_latency');
    const routed = await wsRoundTrips(base, PINGS);
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
    const cpuFrom = workers.map((w) => cpuSeconds(w.child.pid!));
    await sleep(MEASURE_MS);
    const cpuBusy = workers.map((w, i) => (cpuSeconds(w.child.pid!) - cpuFrom[i]!) / (MEASURE_MS / 1000));
    const held = await Promise.all(
      seats.map(async (seat) => {
        const { status } = await statusOf(base, seat.id);
        const fps = seat.viewer ? framesSince(seat, heldFrom) / (MEASURE_MS / 1000) : undefined;
        return { seat, running: status === 'running', fps };
      }),
    );
    result.sessions_per_worker = workers.map((_worker, i) => {
      const mine = held.filter((h) => workerOf(h.seat.workerPid) === i);
      const count = mine.length;
      return {
        sessions: count,
        held_running: mine.filter((h) => h.running && !h.seat.endedBy).length,
        livekit_viewer_fps_min: mine.some((h) => h.fps !== undefined)
          ? round(Math.min(...mine.filter((h) => h.fps !== undefined).map((h) => h.fps!)))
          : null,
        cpu_cores_busy: round(cpuBusy[i]!),
        cpu_cores_idle_worker: round(idleCpu[i]!),
        cpu_cores_per_session: count > 0 ? round((cpuBusy[i]! - idleCpu[i]!) / count) : null,
      };
    });
    result.sessions_started = total;
    result.sessions_unplaced = seats.filter((s) => workerOf(s.workerPid) < 0).length;

    // 3. Redis restart: nothing may end.
    const beforeRedis = seats.filter((s) => !s.endedBy).length;
    await redis.restart();
    await sleep(8_000);
    const afterRedis = await Promise.all(seats.map((s) => statusOf(base, s.id)));
    result.sessions_ended_by_redis_restart =
      afterRedis.filter((s) => s.status === 'ended').length +
      (beforeRedis - seats.filter((s) => !s.endedBy).length);
    noteLoad('after_redis_restart');

    // 4. kill -9 the worker with the most sessions.
    const counts = workers.map((_, i) => seats.filter((s) => workerOf(s.workerPid) === i).length);
    const victim = counts[0]! >= counts[1]! ? 0 : 1;
    const survivor = 1 - victim;
    const lostSeats = seats.filter((s) => workerOf(s.workerPid) === victim);
    const otherSeats = seats.filter((s) => workerOf(s.workerPid) === survivor);
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
    const detection = builtinLost.filter((s) => s.endedBy).map((s) => s.endedBy!.atMs - killedAt);
    const gaps = livekitLost.map((seat) => {
      const before = seat.viewer!.videoFrames.filter((f) => f.at <= killedAt).at(-1)?.at ?? killedAt;
      const after = resumedFrameAt.get(seat.id);
      return after === undefined ? null : after - before;
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
          afterLoss.get(s.id)?.status === 'running' &&
          resumedFrameAt.has(s.id) &&
          workerOf(newOwners.get(s.id)) === survivor,
      ).length,
      livekit_video_gap_ms: gaps.map((g) => (g === null ? null : Math.round(g))),
    };
    // Sessions wrongly ended: any of the surviving worker's sessions that ended (they were never asked to).
    result.sessions_wrongly_ended = otherSeats.filter(
      (s) => s.endedBy || afterLoss.get(s.id)?.status === 'ended',
    ).length;
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
    for (const proc of procs) await stopProcess(proc);
    await db.end().catch(() => undefined);
    await livekit.stop();
    await redis.stop();
    postgres.stop();
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
