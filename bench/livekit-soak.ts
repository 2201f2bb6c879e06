import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type ListeningServer, startListeningServer } from '@agenthuman/sdk/testing';
import { RoomEvent } from '@livekit/rtc-node';
import { CuttableProxy } from '../e2e/livekit/cuttable-proxy.js';
import { type LiveKitServer, startLiveKitServer } from '../e2e/livekit/livekit-server.js';
import type { SpokenSegment } from './livekit-peers.js';
import { openSeat, Peers } from './livekit-peers-client.js';

const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
};
const MINUTES = arg('minutes', 10);
const CUT_MS = arg('cut-ms', 1500);
/** --refuse=1: reset connections made during the cut (rtc-node then gives up resuming: a full reconnect). */
const REFUSE = arg('refuse', 0) === 1;
const SAMPLE_MS = 10_000;
const SPEAK_MS = 2000;
const PAUSE_MS = 4000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const now = () => performance.timeOrigin + performance.now();
const round = (value: number) => Math.round(value * 10) / 10;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Least-squares slope of `y` over minutes. */
function slopePerMinute(points: { atMin: number; y: number }[]): number | null {
  if (points.length < 2) return null;
  const mx = points.reduce((s, p) => s + p.atMin, 0) / points.length;
  const my = points.reduce((s, p) => s + p.y, 0) / points.length;
  const num = points.reduce((s, p) => s + (p.atMin - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.atMin - mx) ** 2, 0);
  return den === 0 ? null : round(num / den);
}

type Sample = {
  atMin: number;
  rssMb: number;
  heapMb: number;
  externalMb: number;
  viewerFrames: number;
  longestGapMs: number;
  load1: number;
};

async function soak(livekit: LiveKitServer, server: ListeningServer, key: string) {
  const peers = new Peers(livekit, 10);
  await peers.ready;
  const { proxy, url: proxyUrl } = await CuttableProxy.before(livekit.url, REFUSE);
  try {
    const { room, sessionId } = await openSeat(livekit, server, key, peers, proxyUrl);
    await peers.call(room, { op: 'first-frame' });
    const live = server.server.live.get(sessionId);
    const avatar = live?.livekit;
    if (!avatar) throw new Error('the avatar is not in its LiveKit room');
    const events: { event: string; atS: number }[] = [];
    const startedAt = now();
    const mark = (event: string) => {
      events.push({ event, atS: round((now() - startedAt) / 1000) });
      console.error(JSON.stringify(events.at(-1)));
    };
    for (const event of ['reconnecting', 'reconnected', 'agent-left', 'left'] as const)
      avatar.on(event, () => mark(event));
    live.on('ending', (reason) => mark(`ending:${reason}`));
    avatar.on('error', (error) => mark(`error: ${error instanceof Error ? error.message : String(error)}`));
    // A full reconnect (resuming failed) publishes the tracks again: the viewer subscribes anew.
    avatar.room.on(RoomEvent.LocalTrackRepublished, () => mark('track-republished'));

    const endAt = startedAt + MINUTES * 60_000;
    let cut: { atS: number; droppedConnections: number } | undefined;
    let segments = 0;
    // When each segment was sent (s) and whether its lk.playback_finished reached the agent.
    const spoken: { atS: number; reported: boolean }[] = [];
    const speaking = (async () => {
      while (now() < endAt - SPEAK_MS - PAUSE_MS) {
        const { segment } = await peers.call<{ segment: SpokenSegment }>(room, { op: 'speak', ms: SPEAK_MS });
        spoken.push({
          atS: round((segment.sentAt - startedAt) / 1000),
          reported: segment.finishedAt !== undefined,
        });
        if (!spoken.at(-1)!.reported) console.error(JSON.stringify({ reportLost: spoken.at(-1) }));
        segments++;
        await sleep(PAUSE_MS);
        if (!cut && now() > startedAt + (endAt - startedAt) / 2) {
          const atS = round((now() - startedAt) / 1000);
          cut = { atS, droppedConnections: await proxy.cut(CUT_MS) };
          console.error(JSON.stringify({ cut }));
        }
      }
    })();

    // Awaited after the sampling; a failure meanwhile must not be an unhandled rejection (the finally cleans up).
    speaking.catch(() => undefined);
    const samples: Sample[] = [];
    let windowStart = now();
    while (now() < endAt) {
      await sleep(Math.min(SAMPLE_MS, endAt - now()));
      gc();
      const memory = process.memoryUsage();
      // The window reaches 1 s back so a gap across two windows is seen whole.
      const window = await peers.call<{ longestGapMs: number; frames: number }>(room, {
        op: 'longest-gap',
        since: windowStart - 1000,
      });
      windowStart = now();
      samples.push({
        atMin: round((now() - startedAt) / 60_000),
        rssMb: Math.round(memory.rss / 1e6),
        heapMb: round(memory.heapUsed / 1e6),
        externalMb: round(memory.external / 1e6),
        viewerFrames: window.frames,
        longestGapMs: Math.round(window.longestGapMs),
        load1: round(loadavg()[0]!),
      });
      console.error(JSON.stringify(samples.at(-1)));
    }
    await speaking;
    const whole = await peers.call<{ longestGapMs: number; frames: number }>(room, {
      op: 'longest-gap',
      since: startedAt,
    });
    const row = await (
      await fetch(`${server.url}/v1/sessions/${sessionId}`, { headers: { 'x-api-key': key } })
    ).json();
    const settled = samples.filter((s) => s.atMin >= 1);
    const cutWindow = cut && samples.find((s) => s.atMin * 60 >= cut!.atS);
    await peers.call(room, { op: 'close' });
    return {
      soakMinutes: MINUTES,
      sessionsEnded: row.session.status === 'ended' ? 1 : 0,
      endReason: row.session.end_reason ?? null,
      stillRunningHere: server.server.live.get(sessionId) !== undefined,
      speechSegments: segments,
      // Sent while the avatar was out of the room in a full reconnect: LiveKit drops it (ARCHITECTURE, LiveKit).
      segmentsWithoutPlaybackFinished: spoken.filter((s) => !s.reported).map((s) => s.atS),
      segmentsReportedAfterCut: cut ? spoken.filter((s) => s.reported && s.atS > cut!.atS).length : null,
      signallingCut: cut
        ? { ...cut, forMs: CUT_MS, refused: REFUSE, refusedConnections: proxy.refused }
        : null,
      signallingConnectionsThroughProxy: proxy.connections,
      avatarEvents: events,
      longestFrameGapAtViewerMs: Math.round(whole.longestGapMs),
      longestFrameGapAroundCutMs: cutWindow?.longestGapMs ?? null,
      framesAtViewer: whole.frames,
      framesPerSecondAtViewer: round(whole.frames / ((now() - startedAt) / 1000)),
      memory: {
        rssMb: {
          first: samples[0]?.rssMb,
          last: samples.at(-1)?.rssMb,
          max: Math.max(...samples.map((s) => s.rssMb)),
        },
        heapMbAfterGc: { first: samples[0]?.heapMb, last: samples.at(-1)?.heapMb },
        rssSlopeMbPerMinAfterMinute1: slopePerMinute(settled.map((s) => ({ atMin: s.atMin, y: s.rssMb }))),
        heapSlopeMbPerMinAfterMinute1: slopePerMinute(settled.map((s) => ({ atMin: s.atMin, y: s.heapMb }))),
      },
      samples,
      machine: { loadavg: loadavg().map(round) },
    };
  } finally {
    peers.close();
    proxy.close();
  }
}

async function main(): Promise<void> {
  const livekit = await startLiveKitServer();
  const server = await startListeningServer({
    server: { startMediaWithSession: true },
    env: { AGENTHUMAN_WARM_AVATARS: 'true' },
  });
  let failed = false;
  try {
    await server.server.live.warmed;
    const key = (await server.newAccount('enterprise')).key;
    console.log(JSON.stringify(await soak(livekit, server, key)));
  } catch (error) {
    console.error(error);
    failed = true;
  } finally {
    await server.close();
    await livekit.stop();
    // libwebrtc threads can keep the process alive (and crash on a natural exit) once peers existed.
    process.exit(failed ? 1 : 0);
  }
}

void main();
