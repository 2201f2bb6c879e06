/**
 * bench:cluster phase 2 — sessions over both workers: each worker's idle CPU, then the sessions opened, their
 * viewers joined, and over `measureMs` per worker: sessions held (running, viewer at ≥ 24 fps) and CPU per session.
 */
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import type { LiveKitServer } from '../../e2e/livekit/livekit-server.js';
import { sleep } from '../engine-setup.js';
import { ViewerProcess } from '../viewer-process.js';
import { ownerPids, round, statusOf } from './api-client.js';
import { cpuSeconds, type Proc } from './processes.js';
import { framesSince, openBuiltin, openLiveKit, type Seat, seatFps } from './seats.js';

export async function measureSpread(options: {
  base: string;
  workers: Proc[];
  livekit: LiveKitServer;
  db: pg.Client;
  builtinPerWorker: number;
  livekitPerWorker: number;
  measureMs: number;
  /** Filled as sessions open, so the caller closes them whatever happens here. */
  seats: Seat[];
  /** Set once started, so the caller stops it whatever happens here. */
  setViewers: (viewers: ViewerProcess) => void;
  noteLoad: (phase: string) => void;
}) {
  const { base, workers, seats, measureMs } = options;
  const workerOf = (pid: number | undefined) => workers.findIndex((w) => w.child.pid === pid);
  const result: Record<string, unknown> = {};
  const idleFrom = workers.map(cpuSeconds);
  await sleep(measureMs);
  const idleCpu = workers.map((w, i) => (cpuSeconds(w) - idleFrom[i]!) / (measureMs / 1000));
  const total = 2 * (options.builtinPerWorker + options.livekitPerWorker);
  for (let i = 0; i < 2 * options.builtinPerWorker; i++) seats.push(await openBuiltin(base, i));
  for (let i = 0; i < 2 * options.livekitPerWorker; i++)
    seats.push(await openLiveKit(base, options.livekit, i));
  const builtinSeats = seats.filter((s) => s.kind === 'builtin');
  // One werift viewer per built-in room, joined over WHEP through the API (relayed to the worker).
  const viewers = new ViewerProcess(
    base,
    builtinSeats.map((s) => s.room!),
    'werift',
  );
  options.setViewers(viewers);
  await viewers.joined(90_000);
  const deadline = Date.now() + 90_000;
  while (seats.some((s) => s.kind === 'livekit' && framesSince(s, 0) === 0)) {
    if (Date.now() > deadline) throw new Error('LiveKit viewers saw no avatar video within 90 s');
    await sleep(200);
  }
  const owners = await ownerPids(
    options.db,
    seats.map((s) => s.id),
  );
  for (const seat of seats) seat.workerPid = owners.get(seat.id);
  await sleep(2_000);
  options.noteLoad('sessions_running');
  const heldFrom = performance.now();
  const viewerFrom = viewers.sample();
  const cpuFrom = workers.map(cpuSeconds);
  await sleep(measureMs);
  const viewerTo = viewers.sample();
  const cpuBusy = workers.map((w, i) => (cpuSeconds(w) - cpuFrom[i]!) / (measureMs / 1000));
  const held = await Promise.all(
    seats.map(async (seat) => {
      const { status } = await statusOf(base, seat.id);
      const fps = seatFps(seat, builtinSeats, viewerFrom, viewerTo, heldFrom, measureMs / 1000);
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
  return { result, viewers, builtinSeats };
}
