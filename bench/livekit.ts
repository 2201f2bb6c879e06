/**
 * bench:livekit — speaking avatar sessions in LiveKit rooms through our real server (in-process, PGlite) and a
 * real LiveKit server, each session created as the LiveKit Agents plugin creates it (a customer room, a token
 * for agenthuman-avatar-agent publishing on behalf of the agent). An rtc-node agent per room speaks with
 * lk.audio_stream byte streams and answers the playback RPCs; an rtc-node viewer per room records what arrives.
 * Prints one JSON object.
 *
 *   npm run bench:livekit [-- --max=8 --speak-s=6]
 *   npm run bench:livekit -- --soak=10     (one session for 10 min, a forced signalling reconnect halfway)
 *
 * Figures: the most concurrent sessions whose avatars dropped no frame while all spoke (stepping 1, 2, 4, …),
 * create → first video frame at a viewer, speech arrival → first frame published (p95), lk.clear_buffer →
 * lk.playback_finished at the agent (p95), and the longest video gap at a viewer while speaking.
 */
import { type ListeningServer, startListeningServer } from '@agenthuman/sdk/testing';
import { Room } from '@livekit/rtc-node';
import { AVATAR_IDENTITY, chirpBytes, Subscriber, waitFor } from '../e2e/livekit/avatar-harness.js';
import { type LiveKitServer, mintToken, startLiveKitServer } from '../e2e/livekit/livekit-server.js';

const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
};
const MAX_SESSIONS = arg('max', 8);
const SPEAK_S = arg('speak-s', 6);
const CLEAR_TRIES = arg('clear-tries', 8);
/** --soak=<minutes>: one session speaking on and off, a forced signalling reconnect halfway. */
const SOAK_MIN = arg('soak', 0);

type Seat = {
  sessionId: string;
  room: string;
  agent: Room;
  viewer: Subscriber;
  finished: { at: number; payload: string }[];
  createdAt: number;
};

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
};

let counter = 0;

async function open(livekit: LiveKitServer, server: ListeningServer, key: string): Promise<Seat> {
  const room = `bench-${process.pid}-${++counter}`;
  const viewer = await Subscriber.join(livekit, room);
  const agent = new Room();
  await agent.connect(livekit.url, mintToken(livekit, { identity: 'agent', room, kind: 'agent' }), {
    autoSubscribe: false,
    dynacast: false,
  });
  const finished: Seat['finished'] = [];
  for (const method of ['lk.playback_started', 'lk.playback_finished']) {
    agent.localParticipant!.registerRpcMethod(method, async (data) => {
      if (method === 'lk.playback_finished') finished.push({ at: performance.now(), payload: data.payload });
      return 'ok';
    });
  }
  const token = mintToken(livekit, {
    identity: AVATAR_IDENTITY,
    room,
    kind: 'agent',
    attributes: { 'lk.publish_on_behalf': 'agent' },
  });
  const createdAt = performance.now();
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
  return { sessionId: session.session_id, room, agent, viewer, finished, createdAt };
}

/** One segment as DataStreamAudioOutput sends it: a byte stream in 20 ms chunks, faster than real time. */
async function speak(seat: Seat, ms: number): Promise<void> {
  const bytes = chirpBytes(ms, 16_000, 1);
  const writer = await seat.agent.localParticipant!.streamBytes({
    name: `AUDIO_${Math.random().toString(36).slice(2)}`,
    topic: 'lk.audio_stream',
    destinationIdentities: [AVATAR_IDENTITY],
    attributes: { sample_rate: '16000', num_channels: '1' },
  });
  for (let at = 0; at < bytes.length; at += 640) await writer.write(bytes.subarray(at, at + 640));
  await writer.close();
}

async function close(seat: Seat): Promise<void> {
  await seat.viewer.close();
  await seat.agent.disconnect().catch(() => undefined);
}

async function main(): Promise<void> {
  const livekit = await startLiveKitServer();
  const server = await startListeningServer({ server: { startMediaWithSession: true } });
  const key = (await server.newAccount('enterprise')).key;
  if (SOAK_MIN > 0) {
    try {
      console.log(JSON.stringify(await soak(livekit, server, key), null, 2));
    } finally {
      await server.close();
      await livekit.stop();
    }
    process.exit(0);
  }
  const live = server.server.deps.live;
  const result: Record<string, unknown> = { machine: { loadavg: (await import('node:os')).loadavg() } };
  const steps: {
    sessions: number;
    dropped: number;
    maxViewerGapMs: number;
    createToFirstFrameMaxMs: number;
  }[] = [];
  const createToFirstFrame: number[] = [];
  const speechToFrame: number[] = [];
  let clearToFinished: number[] = [];
  try {
    for (let n = 1; n <= MAX_SESSIONS; n *= 2) {
      const seats = await Promise.all(Array.from({ length: n }, () => open(livekit, server, key)));
      await Promise.all(
        seats.map((seat) =>
          waitFor('a first frame at the viewer', () => seat.viewer.videoFrames.length > 0, 60_000),
        ),
      );
      const firstFrames = seats.map((seat) => seat.viewer.videoFrames[0]!.at - seat.createdAt);
      // The target is for one session created on its own; steps with n creates at once are listed per step.
      if (n === 1) createToFirstFrame.push(...firstFrames);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const before = seats.map((seat) => live.get(seat.sessionId)!.avatar.stats.render.dropped);
      const speakingFrom = performance.now();
      await Promise.all(seats.map((seat) => speak(seat, SPEAK_S * 1000)));
      await Promise.all(
        seats.map((seat) =>
          waitFor('playback_finished', () => seat.finished.length > 0, SPEAK_S * 1000 + 20_000),
        ),
      );
      const dropped = seats.reduce(
        (sum, seat, i) => sum + live.get(seat.sessionId)!.avatar.stats.render.dropped - before[i]!,
        0,
      );
      let maxGap = 0;
      for (const seat of seats) {
        const frames = seat.viewer.videoFrames.filter((f) => f.at >= speakingFrom);
        for (let i = 1; i < frames.length; i++) maxGap = Math.max(maxGap, frames[i]!.at - frames[i - 1]!.at);
      }
      for (const seat of seats)
        speechToFrame.push(...live.get(seat.sessionId)!.avatar.stats.output.audioToFrameMs);
      steps.push({
        sessions: n,
        dropped,
        maxViewerGapMs: Math.round(maxGap),
        createToFirstFrameMaxMs: Math.round(Math.max(...firstFrames)),
      });
      if (n === 1) clearToFinished = await measureClear(seats[0]!);
      await Promise.all(seats.map(close));
      if (dropped > 0) break;
    }
  } finally {
    await server.close();
    await livekit.stop();
  }
  const clean = steps.filter((s) => s.dropped === 0).map((s) => s.sessions);
  Object.assign(result, {
    concurrentSessionsNoDroppedFrames: clean.length ? Math.max(...clean) : 0,
    steps,
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
    notMeasured: [
      'A/V offset at the viewer',
      'built-in agent end of speech → first audio (npm run bench:livekit-agent, per stage)',
    ],
  });
  console.log(JSON.stringify(result, null, 2));
  // libwebrtc threads can keep the process alive (and crash on a natural exit) once peers existed.
  process.exit(0);
}

async function soak(livekit: LiveKitServer, server: ListeningServer, key: string) {
  const mb = () => Math.round(process.memoryUsage().rss / 1e6);
  const seat = await open(livekit, server, key);
  await waitFor('a first frame at the viewer', () => seat.viewer.videoFrames.length > 0, 60_000);
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const rssStartMb = mb();
  const startedAt = performance.now();
  const endAt = startedAt + SOAK_MIN * 60_000;
  let reconnectedAt: number | undefined;
  let reconnects = 0;
  const livekitSeat = server.server.deps.live.get(seat.sessionId)?.livekit;
  livekitSeat?.on('reconnected', () => reconnects++);
  while (performance.now() < endAt) {
    await speak(seat, 2000);
    await new Promise((resolve) => setTimeout(resolve, 4000));
    if (reconnectedAt === undefined && performance.now() > startedAt + (endAt - startedAt) / 2) {
      reconnectedAt = performance.now();
      // SIMULATE_SIGNAL_RECONNECT: rtc-node closes its signal connection and resumes.
      await livekitSeat?.room.simulateScenario(0 as Parameters<Room['simulateScenario']>[0]);
    }
  }
  const frames = seat.viewer.videoFrames.filter((f) => f.at >= startedAt);
  let longestGap = 0;
  for (let i = 1; i < frames.length; i++)
    longestGap = Math.max(longestGap, frames[i]!.at - frames[i - 1]!.at);
  const row = await (
    await fetch(`${server.url}/v1/sessions/${seat.sessionId}`, { headers: { 'x-api-key': key } })
  ).json();
  const result = {
    soakMinutes: SOAK_MIN,
    sessionsEnded: row.session.status === 'ended' ? 1 : 0,
    forcedSignalReconnect: reconnectedAt !== undefined,
    reconnectsSeenByTheAvatar: reconnects,
    longestFrameGapAtViewerMs: Math.round(longestGap),
    framesAtViewer: frames.length,
    rssStartMb,
    rssEndMb: mb(),
    machine: { loadavg: (await import('node:os')).loadavg() },
  };
  await close(seat);
  return result;
}

/** lk.clear_buffer 1 s into a 4 s segment, timed to the playback_finished RPC at the agent. */
async function measureClear(seat: Seat): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < CLEAR_TRIES; i++) {
    const already = seat.finished.length;
    await speak(seat, 4000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const sentAt = performance.now();
    await seat.agent.localParticipant!.performRpc({
      destinationIdentity: AVATAR_IDENTITY,
      method: 'lk.clear_buffer',
      payload: '',
    });
    const finished = await waitFor('playback_finished after clear', () => seat.finished[already], 5000);
    latencies.push(finished.at - sentAt);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return latencies;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
