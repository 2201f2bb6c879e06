/**
 * bench:cluster phase 4 — kill -9 of the worker that holds the most sessions: its built-in sessions'
 * `session.ended worker_lost` time at the client, its LiveKit sessions resumed (the avatar back in the room,
 * the video gap at the viewer), and sessions of the other worker wrongly ended (target 0).
 */
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { sleep } from '../engine-setup.js';
import type { ViewerProcess } from '../viewer-process.js';
import { ownerPids, round, statusOf } from './api-client.js';
import type { Proc } from './processes.js';
import { type Seat, seatFps } from './seats.js';

export async function measureWorkerLoss(options: {
  base: string;
  workers: Proc[];
  db: pg.Client;
  seats: Seat[];
  builtinSeats: Seat[];
  viewers: ViewerProcess;
  /** Sessions already over, with their status (the API's view). */
  endedIds: () => Promise<Map<string, { status: string; endReason: string | null }>>;
}) {
  const { base, workers, seats, viewers } = options;
  const workerOf = (pid: number | undefined) => workers.findIndex((w) => w.child.pid === pid);
  const result: Record<string, unknown> = {};
  // Sessions nobody ended (no client end, no loss yet) that are over anyway, with their reasons.
  const endedBeforeKill = await options.endedIds();
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
  const survivorFps = otherSeats.map((seat) =>
    seatFps(seat, options.builtinSeats, survivorFrom, survivorTo, killedAt, lossSeconds),
  );
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
    options.db,
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
  return result;
}
