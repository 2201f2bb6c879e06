/**
 * bench:livekit --soak=<minutes>: one session speaking on and off in a LiveKit room, a forced signalling
 * reconnect halfway; no session may end, no frame gap at the viewer over 1 s, memory flat.
 */
import { loadavg } from 'node:os';
import type { ListeningServer } from '@agenthuman/sdk/testing';
import type { Room } from '@livekit/rtc-node';
import type { LiveKitServer } from '../e2e/livekit/livekit-server.js';
import { now, round, sleep } from './livekit-common.js';
import { openSeat, type Peers } from './livekit-peers-client.js';

export async function soak(
  livekit: LiveKitServer,
  server: ListeningServer,
  key: string,
  peers: Peers,
  minutes: number,
) {
  const mb = () => Math.round(process.memoryUsage().rss / 1e6);
  const seat = await openSeat(livekit, server, key, peers);
  await peers.call(seat.room, { op: 'first-frame' });
  await sleep(5000);
  const rssStartMb = mb();
  const startedAt = performance.now();
  const since = now();
  const endAt = startedAt + minutes * 60_000;
  let reconnectedAt: number | undefined;
  let reconnects = 0;
  const livekitSeat = server.server.live.get(seat.sessionId)?.livekit;
  livekitSeat?.on('reconnected', () => reconnects++);
  while (performance.now() < endAt) {
    await peers.call(seat.room, { op: 'speak', ms: 2000 });
    await sleep(4000);
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
    soakMinutes: minutes,
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
