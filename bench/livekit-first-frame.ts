/**
 * Does every subscriber get the avatar's video? Avatars in rooms of a real LiveKit server, and rtc-node viewers
 * in a niced child process (bench/livekit-first-frame-viewers.ts) that join each room at varied times: before
 * the avatar, right after it joined, seconds later, and one that leaves after its first frame and rejoins. Each
 * must decode a first frame within --within-ms of its join; a miss is printed with its viewer's diagnosis (room
 * events, tracks listed, libwebrtc's inbound-rtp) and the avatar's outbound-rtp. Rooms of one try start at once.
 * Prints one JSON object; `before` is timed from its own join (--server=0) or from the session's create (=1).
 *
 *   [FF_DEBUG=1] npx tsx bench/livekit-first-frame.ts [--rooms=4 --tries=5 --within-ms=10000 --late-ms=2500
 *     --server=0 --python=0 --log-capture=0 --avatar-log-capture=0]
 *
 * FF_DEBUG=1: both processes print their event-loop use and FFI events every 5 s (bench/ffi-event-rate.ts).
 * --log-capture=1: the viewers keep rtc-node's log capture; --avatar-log-capture=1: the avatars' process keeps it (the product turns it off).
 *
 * --server=0: the engine's live avatar with the test renderer, joined by `joinLiveAvatar` in this process (cheap).
 * --server=1: sessions created through our server as bench:livekit creates them (PUBLIC kai, a customer room),
 * and the room's "before" viewer is bench:livekit's own peers (an rtc-node agent and viewer, livekit-peers.ts).
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { keepRtcLogCapture } from '@agenthuman/rooms/livekit';
import type { ListeningServer } from '@agenthuman/sdk/testing';
import { startListeningServer } from '@agenthuman/sdk/testing';
import type { Room } from '@livekit/rtc-node';
import { startAvatarSession } from '../e2e/livekit/avatar-harness.js';
import { type LiveKitServer, mintToken, startLiveKitServer } from '../e2e/livekit/livekit-server.js';
import { pythonPeersPath } from '../scripts/test-peers.mjs';
import { ffiEventRate } from './ffi-event-rate.js';
import { arg, BenchChild, now, percentile, round, sleep } from './livekit-common.js';
import type { FirstFrame, ViewerCommand } from './livekit-first-frame-viewers.js';
import { openSeat, Peers } from './livekit-peers-client.js';
import { closeStep } from './livekit-step.js';

const ROOMS = arg('rooms', 4);
const TRIES = arg('tries', 5);
const WITHIN_MS = arg('within-ms', 10_000);
const LATE_MS = arg('late-ms', 2500);
const VIA_SERVER = arg('server', 0) === 1;
/** --python=1: each room also gets a Python `livekit` viewer (livekit_first_frame_viewer.py), an independent client. */
const PYTHON = arg('python', 0) === 1;
/** --log-capture=1: the viewers keep rtc-node's log capture (every Rust/libwebrtc record an FFI event), for A/B. */
if (arg('log-capture', 0) === 1) process.env.FF_LOG_CAPTURE = '1';
/** --avatar-log-capture=1: the avatars' process keeps rtc-node's log capture (the product turns it off). */
const AVATAR_LOG_CAPTURE = arg('avatar-log-capture', 0) === 1;
// The avatar turns rtc-node's log capture off itself; =1 keeps rtc-node's default, for A/B.
keepRtcLogCapture(AVATAR_LOG_CAPTURE);

// FF_DEBUG=1: the avatars' process (the server's part) reports its event loop and FFI events too.
const avatarDebug = process.env.FF_DEBUG ? ffiEventRate('avatars') : undefined;

class Viewers extends BenchChild {
  constructor(livekit: LiveKitServer) {
    super('./livekit-first-frame-viewers.ts', livekit, { name: 'viewers', nice: 10, timeoutMs: 90_000 });
  }
  call<T extends Record<string, unknown>>(command: ViewerCommand): Promise<T> {
    return this.request<T>(command, `${command.op} ${command.name}`);
  }
}

type Result = { kind: string } & FirstFrame;

/** An avatar in `room`, however it was started: its rtc-node room (for its stats) and how it ends. */
type Avatar = { room: () => Room | undefined; close(): Promise<void> };

/** Leaves that rtc-node never finished (its disconnect unanswered for 15 s), by viewer. */
const hungLeaves: string[] = [];

async function leave(viewers: Viewers, name: string): Promise<void> {
  const reply = await viewers.call<{ hung?: boolean }>({ op: 'leave', name }).catch(() => ({ hung: true }));
  if (reply.hung) hungLeaves.push(name);
}

/** One viewer's join and wait for its first frame. */
async function watch(viewers: Viewers, room: string, name: string, kind: string): Promise<Result> {
  await viewers.call({ op: 'join', room, name });
  return { kind, ...(await viewers.call<FirstFrame>({ op: 'first-frame', name, withinMs: WITHIN_MS })) };
}

/** The Python SDK's viewer (another client on the same Rust core, none of rtc-node's JavaScript), joined now. */
function pythonWatch(livekit: LiveKitServer, room: string, name: string): Promise<Result> {
  const script = fileURLToPath(new URL('./livekit_first_frame_viewer.py', import.meta.url));
  const token = mintToken(livekit, { identity: name, room, canPublish: false });
  const child = spawn(pythonPeersPath(), [script, livekit.url, token, name, String(WITHIN_MS)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: 'warn' },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-2000);
  });
  const kill = setTimeout(() => child.kill('SIGKILL'), WITHIN_MS + 30_000);
  return new Promise((resolve) => {
    child.once('exit', () => {
      clearTimeout(kill);
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line)
        return resolve({
          kind: 'python',
          ms: undefined,
          diagnosis: { events: [`no answer: ${err}`], listed: [] },
        });
      const { ms, events } = JSON.parse(line) as { ms: number | null; events?: string[] };
      resolve({
        kind: 'python',
        ms: ms ?? undefined,
        ...(events ? { diagnosis: { events, listed: [] } } : {}),
      });
    });
  });
}

/**
 * One room: a viewer (`before`) is in it before the avatar joins, `after` joins as soon as the avatar has
 * joined, `late` some seconds after, and `before` leaves after its first frame and comes back (`rejoin`).
 */
async function oneRoom(
  viewers: Viewers,
  startAvatar: () => Promise<{
    avatar: Avatar;
    before: Promise<Result>;
    room: string;
    python?: Promise<Result>;
  }>,
): Promise<{ results: Result[]; avatarVideo: object[]; room: string }> {
  const results: Result[] = [];
  const avatarVideo: object[] = [];
  const { avatar, before, room, python } = await startAvatar();
  try {
    const after = watch(viewers, room, `${room}-after`, 'after');
    const late = sleep(LATE_MS * (0.5 + Math.random())).then(() =>
      watch(viewers, room, `${room}-late`, 'late'),
    );
    results.push(await after);
    // Leave after the first frame and come back (the same identity: a page reload).
    await leave(viewers, `${room}-after`);
    await sleep(200 + Math.random() * 800);
    results.push({ ...(await watch(viewers, room, `${room}-after`, 'rejoin')) });
    results.push(await before, await late);
    if (python) results.push(await python);
    if (results.some((r) => r.ms === undefined)) {
      const lkRoom = avatar.room();
      if (lkRoom) avatarVideo.push({ room, outbound: await outboundVideo(lkRoom) });
    }
  } finally {
    for (const name of ['after', 'late']) await leave(viewers, `${room}-${name}`);
    await avatar.close();
  }
  return { results, avatarVideo, room };
}

/** The engine's live avatar with the test renderer, joined in this process; its `before` viewer is ours. */
function harnessAvatar(livekit: LiveKitServer, viewers: Viewers, room: string) {
  return async () => {
    const name = `${room}-before`;
    await viewers.call({ op: 'join', room, name });
    const python = PYTHON ? pythonWatch(livekit, room, `${room}-python`) : undefined;
    const before = viewers
      .call<FirstFrame>({ op: 'first-frame', name, withinMs: WITHIN_MS })
      .then((f): Result => ({ kind: 'before', ...f }));
    const session = await startAvatarSession(livekit, {
      room,
      agentIdentity: 'agent',
      width: 640,
      height: 480,
    });
    avatarDebug?.watch();
    const avatar: Avatar = {
      room: () => session.avatar.room,
      close: async () => {
        await leave(viewers, name);
        await session.close();
      },
    };
    return { avatar, before, room, python };
  };
}

/** A session created through the server as bench:livekit creates it; its `before` viewer is bench:livekit's. */
function serverAvatar(livekit: LiveKitServer, server: ListeningServer, key: string, peers: Peers) {
  return async () => {
    const seat = await openSeat(livekit, server, key, peers);
    avatarDebug?.watch();
    type Reply = { at: number | null; diagnosis?: FirstFrame['diagnosis'] };
    const before = peers
      .call<Reply>(seat.room, { op: 'first-frame', withinMs: WITHIN_MS, report: true })
      .then(
        ({ at, diagnosis }): Result => ({
          kind: 'before',
          ms: at === null ? undefined : at - seat.createdAt,
          diagnosis,
        }),
      );
    const avatar: Avatar = {
      room: () => server.server.live.get(seat.sessionId)?.livekit?.room,
      close: () => closeStep([seat], peers, server),
    };
    const python = PYTHON ? pythonWatch(livekit, seat.room, `${seat.room}-python`) : undefined;
    return { avatar, before, room: seat.room, python };
  };
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
  // Free ports are picked before the server binds them: on a shared machine another run may take one first.
  const livekit = await startLiveKitServer().catch(() => startLiveKitServer());
  const viewers = new Viewers(livekit);
  let server: ListeningServer | undefined;
  let peers: Peers | undefined;
  let key = '';
  if (VIA_SERVER) {
    server = await startListeningServer({
      server: { startMediaWithSession: true },
      env: { AGENTHUMAN_WARM_AVATARS: 'true', AGENTHUMAN_MAX_LIVE_SESSIONS: String(ROOMS + 2) },
    });
    await server.server.live.warmed;
    key = (await server.newAccount('enterprise')).key;
    peers = new Peers(livekit, 10);
    await peers.ready;
  }
  await viewers.ready;
  const byKind: Record<string, { ms: number[]; misses: number }> = {};
  const misses: object[] = [];
  const startedAt = now();
  try {
    for (let t = 0; t < TRIES; t++) {
      const outcomes = await Promise.all(
        Array.from({ length: ROOMS }, (_, r) =>
          oneRoom(
            viewers,
            server && peers
              ? serverAvatar(livekit, server, key, peers)
              : harnessAvatar(livekit, viewers, `ff-${process.pid}-${t}-${r}`),
          ),
        ),
      );
      for (const { results, avatarVideo, room } of outcomes) {
        for (const r of results) {
          byKind[r.kind] ??= { ms: [], misses: 0 };
          if (r.ms === undefined) {
            byKind[r.kind]!.misses++;
            misses.push({ try: t, room, kind: r.kind, diagnosis: r.diagnosis, avatarVideo });
          } else byKind[r.kind]!.ms.push(r.ms);
        }
      }
      load.push(loadavg()[0]!);
      console.error(
        `try ${t + 1}/${TRIES}: ${misses.length} missed, ${hungLeaves.length} leaves hung so far, load ${loadavg()[0]}`,
      );
    }
  } finally {
    viewers.close();
    peers?.close();
    await server?.close();
    await livekit.stop();
  }
  console.log(
    JSON.stringify({
      mode: VIA_SERVER ? 'server' : 'harness',
      rooms: ROOMS,
      tries: TRIES,
      withinMs: WITHIN_MS,
      minutes: round((now() - startedAt) / 60_000),
      loadavg: { min: round(Math.min(...load)), max: round(Math.max(...load)) },
      joinToFirstFrameMs: Object.fromEntries(
        Object.entries(byKind).map(([kind, { ms, misses }]) => [
          kind,
          { viewers: ms.length + misses, misses, p50: percentile(ms, 50), max: percentile(ms, 100) },
        ]),
      ),
      hungLeaves,
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
