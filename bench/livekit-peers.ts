/**
 * bench:livekit's room peers, in a child process of their own so that their rtc-node (decoding the avatar's
 * video, its per-10 ms audio events, the agent's byte streams) never runs on the measured server's threads nor
 * shares its FFI event dispatch: per room an rtc-node agent that speaks with lk.audio_stream byte streams and
 * answers the playback RPCs, and an rtc-node viewer that records what a subscriber really receives. Driven over
 * IPC (`PeerCommand` → a reply; livekit-common.ts's `serveParent`); times are absolute (performance.timeOrigin + now), comparable across
 * processes on one machine.
 */

import { stopRtcLogCapture } from '@agenthuman/rooms/livekit';
import { Room } from '@livekit/rtc-node';
import { AVATAR_IDENTITY, chirpBytes, Subscriber, waitFor } from '../e2e/livekit/avatar-harness.js';
import { mintToken } from '../e2e/livekit/livekit-server.js';
import { serveParent, ttsFrames } from './livekit-common.js';

export type PeerCommand =
  | { op: 'open' }
  /**
   * Waits up to `withinMs` (default 60 s) for the viewer's first frame: `{at}`. A miss fails with the viewer's
   * diagnosis, or with `report` answers `{at: null, diagnosis}`.
   */
  | { op: 'first-frame'; withinMs?: number; report?: boolean }
  | { op: 'speak'; ms: number }
  | { op: 'clear'; tries: number }
  | { op: 'longest-gap'; since: number }
  | { op: 'close' };
type Message = PeerCommand & { id: number; room: string };

/** What one speech segment looked like at the agent and the viewer. */
export interface SpokenSegment {
  /** When the first byte-stream chunk was written. */
  sentAt: number;
  /** When lk.playback_finished arrived at the agent; undefined if it never came (waited `ms` + 20 s). */
  finishedAt: number | undefined;
  /** Longest gap between video frames at the viewer while the segment played. */
  maxGapMs: number;
  /** First 10 ms of received audio louder than the chirp's threshold (its onset), if heard. */
  audioOnsetAt: number | undefined;
  /** Video frames the viewer decoded from 1 s before sending to the end: arrival time and painted marker. */
  frames: { at: number; marker: number }[];
}

type Seat = { agent: Room; viewer: Subscriber; finished: { at: number; payload: string }[] };

const now = () => performance.timeOrigin + performance.now();
const livekit = JSON.parse(process.env.BENCH_LIVEKIT ?? '{}') as {
  url: string;
  apiKey: string;
  apiSecret: string;
};
const seats = new Map<string, Seat>();
let rooms: string[] = [];

async function open(room: string): Promise<Record<string, unknown>> {
  const viewer = await Subscriber.join(livekit, room);
  const agent = new Room();
  await agent.connect(livekit.url, mintToken(livekit, { identity: 'agent', room, kind: 'agent' }), {
    autoSubscribe: false,
    dynacast: false,
  });
  // 16 receiving rooms in this niced process: rtc-node's trace-level log events would saturate its event loop
  // (BENCH_RTC_LOG_CAPTURE=1 keeps them, for A/B runs).
  if (!process.env.BENCH_RTC_LOG_CAPTURE) stopRtcLogCapture();
  const finished: Seat['finished'] = [];
  agent.localParticipant!.registerRpcMethod('lk.playback_started', async () => 'ok');
  agent.localParticipant!.registerRpcMethod('lk.playback_finished', async (data) => {
    finished.push({ at: now(), payload: data.payload });
    return 'ok';
  });
  seats.set(room, { agent, viewer, finished });
  rooms.push(room);
  return {};
}

/** One segment as DataStreamAudioOutput sends it: a byte stream, one write per TTS frame, faster than real time. */
async function send(seat: Seat, ms: number): Promise<number> {
  const bytes = chirpBytes(ms, 16_000, 1);
  const writer = await seat.agent.localParticipant!.streamBytes({
    name: `AUDIO_${Math.random().toString(36).slice(2)}`,
    topic: 'lk.audio_stream',
    destinationIdentities: [AVATAR_IDENTITY],
    attributes: { sample_rate: '16000', num_channels: '1' },
  });
  const sentAt = now();
  for (const frame of ttsFrames(bytes, 16_000, 1)) await writer.write(frame);
  await writer.close();
  return sentAt;
}

async function speak(seat: Seat, ms: number): Promise<SpokenSegment> {
  const already = seat.finished.length;
  const sentAt = await send(seat, ms);
  // Bounded: a report that never comes is a failure the bench reports, not a bench that waits forever.
  const finished = await waitFor('playback_finished', () => seat.finished[already], ms + 20_000).catch(
    () => undefined,
  );
  const endAt = finished?.at ?? now();
  const toAbs = (at: number) => performance.timeOrigin + at;
  const frames = seat.viewer.videoFrames
    .filter((f) => toAbs(f.at) >= sentAt - 1000 && toAbs(f.at) <= endAt)
    .map((f) => ({ at: toAbs(f.at), marker: f.marker }));
  let maxGapMs = 0;
  const playing = frames.filter((f) => f.at >= sentAt);
  for (let i = 1; i < playing.length; i++) maxGapMs = Math.max(maxGapMs, playing[i]!.at - playing[i - 1]!.at);
  return { sentAt, finishedAt: finished?.at, maxGapMs, audioOnsetAt: onsetAt(seat.viewer, sentAt), frames };
}

/** The first received 10 ms block louder than the threshold at or after `sinceAbs`. */
function onsetAt(viewer: Subscriber, sinceAbs: number, threshold = 1000): number | undefined {
  for (const chunk of viewer.audio) {
    const at = performance.timeOrigin + chunk.at;
    if (at < sinceAbs) continue;
    const step = chunk.sampleRate / 100;
    const blocks = chunk.samples.length / step;
    for (let b = 0; b < blocks; b++) {
      let sum = 0;
      for (let i = b * step; i < (b + 1) * step; i++) sum += (chunk.samples[i] ?? 0) ** 2;
      // A chunk's blocks were played out back to back ending at its arrival.
      if (Math.sqrt(sum / step) > threshold) return at - ((blocks - b - 1) * 1000) / 100;
    }
  }
  return undefined;
}

/** lk.clear_buffer 1 s into a 4 s segment, timed to the playback_finished RPC at the agent. */
async function clear(seat: Seat, tries: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < tries; i++) {
    const already = seat.finished.length;
    await send(seat, 4000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const sentAt = now();
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

async function handle(command: Message): Promise<Record<string, unknown>> {
  if (command.op === 'open') return open(command.room);
  const seat = seats.get(command.room);
  if (!seat) throw new Error(`no peers for room ${command.room}`);
  switch (command.op) {
    case 'first-frame': {
      const withinMs = command.withinMs ?? 60_000;
      const first = await waitFor('a first frame', () => seat.viewer.videoFrames[0], withinMs).catch(
        () => undefined,
      );
      if (!first) {
        const diagnosis = await seat.viewer.diagnosis();
        if (command.report) return { at: null, diagnosis };
        throw new Error(`no video frame at the viewer within ${withinMs} ms: ${JSON.stringify(diagnosis)}`);
      }
      return { at: performance.timeOrigin + first.at };
    }
    case 'speak':
      return { segment: await speak(seat, command.ms) };
    case 'clear':
      return { latencies: await clear(seat, command.tries) };
    case 'longest-gap': {
      const frames = seat.viewer.videoFrames.filter((f) => performance.timeOrigin + f.at >= command.since);
      let longestGapMs = 0;
      for (let i = 1; i < frames.length; i++)
        longestGapMs = Math.max(longestGapMs, frames[i]!.at - frames[i - 1]!.at);
      return { longestGapMs, frames: frames.length };
    }
    case 'close':
      seats.delete(command.room);
      rooms = rooms.filter((r) => r !== command.room);
      // rtc-node's disconnect can wait for good (a room whose negotiation is stuck never answers it): bounded,
      // and said, so a step's close does not hold the next step for the parent's 90 s call timeout.
      for (const [who, leave] of [
        ['viewer', () => seat.viewer.close()],
        ['agent', () => seat.agent.disconnect()],
      ] as const) {
        const left = await Promise.race([
          leave().then(
            () => true,
            () => true,
          ),
          new Promise<false>((resolve) => setTimeout(() => resolve(false), 10_000)),
        ]);
        if (!left) console.error(`[peers] ${command.room}: the ${who}'s disconnect unanswered after 10 s`);
      }
      return {};
  }
}

serveParent<Message>(handle);
