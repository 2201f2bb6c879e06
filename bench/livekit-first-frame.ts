/**
 * Does every subscriber get the avatar's video? Avatars (the engine's live avatar with the test renderer,
 * joined by `joinLiveAvatar` as the server joins them) in rooms of a real LiveKit server, and rtc-node viewers
 * in a niced child process (bench/livekit-first-frame-viewers.ts) that join each room at varied times: before
 * the avatar, right after its tracks are published, seconds later, and one that leaves after its first frame
 * and rejoins. Each must decode a first frame within --within-ms of its join; a miss is printed with its
 * viewer's trace (room events, libwebrtc's inbound-rtp) and the avatar's outbound-rtp. Prints one JSON object.
 *
 *   npx tsx bench/livekit-first-frame.ts [--rooms=4 --tries=5 --within-ms=10000 --late-ms=2500]
 */
import { loadavg } from 'node:os';
import type { Room } from '@livekit/rtc-node';
import { type AvatarSession, startAvatarSession } from '../e2e/livekit/avatar-harness.js';
import { type LiveKitServer, startLiveKitServer } from '../e2e/livekit/livekit-server.js';
import { arg, BenchChild, percentile, round, sleep } from './livekit-common.js';
import type { ViewerCommand, ViewerTrace } from './livekit-first-frame-viewers.js';

const ROOMS = arg('rooms', 4);
const TRIES = arg('tries', 5);
const WITHIN_MS = arg('within-ms', 10_000);
const LATE_MS = arg('late-ms', 2500);

class Viewers extends BenchChild {
  constructor(livekit: LiveKitServer) {
    super('./livekit-first-frame-viewers.ts', livekit, { name: 'viewers', nice: 10, timeoutMs: 90_000 });
  }
  call<T extends Record<string, unknown>>(command: ViewerCommand): Promise<T> {
    return this.request<T>(command, `${command.op} ${command.name}`);
  }
}

type Result = { kind: string; ms: number | undefined; trace: ViewerTrace };

/** One viewer's join and wait; `ms` is join → first frame, undefined on a miss. */
async function watch(viewers: Viewers, room: string, name: string, kind: string): Promise<Result> {
  await viewers.call({ op: 'join', room, name });
  const { trace } = await viewers.call<{ trace: ViewerTrace }>({
    op: 'first-frame',
    name,
    withinMs: WITHIN_MS,
  });
  return { kind, ms: trace.firstFrameAt === undefined ? undefined : trace.firstFrameAt - trace.joinedAt, trace };
}

async function oneRoom(livekit: LiveKitServer, viewers: Viewers, room: string): Promise<object[]> {
  const results: Result[] = [];
  const misses: object[] = [];
  const before = watch(viewers, room, `${room}-before`, 'before');
  // The bench's order: the viewer is in the room before the avatar joins.
  await sleep(300);
  let session: AvatarSession | undefined;
  try {
    session = await startAvatarSession(livekit, { room, agentIdentity: 'agent', width: 640, height: 480 });
    const after = watch(viewers, room, `${room}-after`, 'after');
    const late = sleep(LATE_MS * (0.5 + Math.random())).then(() =>
      watch(viewers, room, `${room}-late`, 'late'),
    );
    const first = await before;
    results.push(first);
    // Leave after the first frame and come back (same identity: a page reload).
    await viewers.call({ op: 'leave', name: `${room}-before` });
    await sleep(200 + Math.random() * 800);
    results.push(await watch(viewers, room, `${room}-before`, 'rejoin'));
    results.push(await after, await late);
    for (const r of results)
      if (r.ms === undefined)
        misses.push({ kind: r.kind, trace: r.trace, avatar: await outboundVideo(session.avatar.room) });
  } finally {
    for (const name of ['before', 'after', 'late'])
      await viewers.call({ op: 'leave', name: `${room}-${name}` }).catch(() => undefined);
    await session?.close();
  }
  return [{ results: results.map((r) => ({ kind: r.kind, ms: r.ms })) }, ...misses];
}

/** The publisher's video outbound-rtp: frames and keyframes encoded, PLIs/FIRs/NACKs it was sent. */
async function outboundVideo(room: Room): Promise<Record<string, number | string> | undefined> {
  const stats = await room.getRtcStats().catch(() => undefined);
  if (!stats) return undefined;
  for (const entry of [...stats.publisherStats, ...stats.subscriberStats]) {
    if (entry.stats.case !== 'outboundRtp' || entry.stats.value.stream?.kind !== 'video') continue;
    const out = entry.stats.value.outbound;
    return {
      framesEncoded: out?.framesEncoded ?? 0,
      keyFramesEncoded: out?.keyFramesEncoded ?? 0,
      framesSent: out?.framesSent ?? 0,
      pliCount: out?.pliCount ?? 0,
      firCount: out?.firCount ?? 0,
      nackCount: out?.nackCount ?? 0,
      encoder: out?.encoderImplementation ?? '',
    };
  }
  return undefined;
}

async function main(): Promise<void> {
  const load: number[] = [loadavg()[0]!];
  const livekit = await startLiveKitServer();
  const viewers = new Viewers(livekit);
  await viewers.ready;
  const byKind: Record<string, { ms: number[]; misses: number }> = {};
  const misses: object[] = [];
  try {
    for (let t = 0; t < TRIES; t++) {
      const outcomes = await Promise.all(
        Array.from({ length: ROOMS }, (_, r) => oneRoom(livekit, viewers, `ff-${process.pid}-${t}-${r}`)),
      );
      for (const [summary, ...missed] of outcomes) {
        for (const r of (summary as { results: { kind: string; ms: number | undefined }[] }).results) {
          byKind[r.kind] ??= { ms: [], misses: 0 };
          if (r.ms === undefined) byKind[r.kind]!.misses++;
          else byKind[r.kind]!.ms.push(r.ms);
        }
        misses.push(...missed);
      }
      load.push(loadavg()[0]!);
      console.error(`try ${t + 1}/${TRIES}: ${misses.length} missed so far, load ${loadavg()[0]}`);
    }
  } finally {
    viewers.close();
    await livekit.stop();
  }
  console.log(
    JSON.stringify({
      rooms: ROOMS,
      tries: TRIES,
      withinMs: WITHIN_MS,
      loadavg: { min: round(Math.min(...load)), max: round(Math.max(...load)) },
      joinToFirstFrameMs: Object.fromEntries(
        Object.entries(byKind).map(([kind, { ms, misses }]) => [
          kind,
          { viewers: ms.length + misses, misses, p50: percentile(ms, 50), max: percentile(ms, 100) },
        ]),
      ),
      misses,
    }),
  );
  // libwebrtc threads can keep the process alive once rooms existed.
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
