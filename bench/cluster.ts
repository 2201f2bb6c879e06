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
 * worker ≈ cores ÷ CPU per session), not a scaling curve. The phases and parts live in bench/cluster/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestRedis } from '@agenthuman/server/testing/redis';
import pg from 'pg';
import { type LiveKitServer, startLiveKitServer } from '../e2e/livekit/livekit-server.js';
import { startThrowawayPostgres } from '../scripts/throwaway-postgres.mjs';
import { api, KEY, round, statusOf } from './cluster/api-client.js';
import { type Proc, startProcess, stopProcess } from './cluster/processes.js';
import { interleavedRoundTrips } from './cluster/routed-latency.js';
import { closeSeat, type Seat } from './cluster/seats.js';
import { measureSpread } from './cluster/spread.js';
import { measureWorkerLoss } from './cluster/worker-loss.js';
import { percentile, sleep } from './engine-setup.js';
import type { ViewerProcess } from './viewer-process.js';

const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
};
const BUILTIN_PER_WORKER = arg('builtin-per-worker', 1);
const LIVEKIT_PER_WORKER = arg('livekit-per-worker', 1);
const PINGS = arg('pings', 200);
const MEASURE_MS = arg('measure-ms', 5_000);
const loads: Record<string, number> = {};
const noteLoad = (phase: string) => {
  loads[phase] = Number(loadavg()[0]!.toFixed(2));
};

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
    const spread = await measureSpread({
      base,
      workers,
      livekit,
      db,
      builtinPerWorker: BUILTIN_PER_WORKER,
      livekitPerWorker: LIVEKIT_PER_WORKER,
      measureMs: MEASURE_MS,
      seats,
      setViewers: (started) => {
        viewers = started;
      },
      noteLoad,
    });
    Object.assign(result, spread.result);

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
    Object.assign(
      result,
      await measureWorkerLoss({
        base,
        workers,
        db,
        seats,
        builtinSeats: spread.builtinSeats,
        viewers: spread.viewers,
        endedIds,
      }),
    );
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

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
