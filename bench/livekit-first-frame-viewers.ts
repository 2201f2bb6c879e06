/**
 * bench/livekit-first-frame.ts's viewers, in a child process of their own (as bench:livekit's peers are): many
 * rtc-node viewers (the tests' `Subscriber`) of many rooms in one process, each timed from its join to its first
 * decoded video frame, and on a miss diagnosed (room events, tracks listed, libwebrtc's inbound-rtp).
 * Driven over IPC (livekit-common.ts's `serveParent`); times are absolute (performance.timeOrigin + now).
 */

import { stopRtcLogCapture } from '@agenthuman/rooms/livekit';
import { Subscriber } from '../e2e/livekit/avatar-harness.js';
import { ffiEventRate } from './ffi-event-rate.js';
import { serveParent } from './livekit-common.js';

export type ViewerCommand =
  /** Joins `room` as `name` (resolves once connected). */
  | { op: 'join'; room: string; name: string }
  /** Waits up to `withinMs` from the join for the first frame; a miss answers the viewer's diagnosis. */
  | { op: 'first-frame'; name: string; withinMs: number }
  | { op: 'leave'; name: string };
type Message = ViewerCommand & { id: number };

export type FirstFrame = {
  /** Join → first decoded frame, ms; undefined on a miss. */
  ms: number | undefined;
  diagnosis?: Awaited<ReturnType<Subscriber['diagnosis']>>;
};

const livekit = JSON.parse(process.env.BENCH_LIVEKIT ?? '{}') as {
  url: string;
  apiKey: string;
  apiSecret: string;
};
const viewers = new Map<string, Subscriber>();
const LEAVE_BOUND_MS = 15_000;

async function firstFrame(name: string, withinMs: number): Promise<FirstFrame> {
  const viewer = viewers.get(name);
  if (!viewer) throw new Error(`no viewer ${name}`);
  while (viewer.videoFrames.length === 0 && performance.now() < viewer.joinedAt + withinMs)
    await new Promise((resolve) => setTimeout(resolve, 20));
  const first = viewer.videoFrames[0];
  if (first) return { ms: first.at - viewer.joinedAt };
  return { ms: undefined, diagnosis: await viewer.diagnosis() };
}

// FF_DEBUG=1: this process's event loop and FFI events every 5 s.
const debug = process.env.FF_DEBUG ? ffiEventRate('viewers', () => `${viewers.size} viewers,`) : undefined;

serveParent<Message>(async (command) => {
  switch (command.op) {
    case 'join':
      viewers.set(command.name, await Subscriber.join(livekit, command.room, command.name));
      // FF_LOG_CAPTURE=1 keeps rtc-node's own setting (every Rust/libwebrtc record an FFI event), for A/B runs.
      if (!process.env.FF_LOG_CAPTURE) stopRtcLogCapture();
      debug?.watch();
      return {};
    case 'first-frame':
      return firstFrame(command.name, command.withinMs);
    case 'leave': {
      const viewer = viewers.get(command.name);
      viewers.delete(command.name);
      if (!viewer) return {};
      // rtc-node's disconnect can wait for good (its Rust side never answers): bounded, and said.
      const closed = await Promise.race([
        viewer.close().then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), LEAVE_BOUND_MS)),
      ]);
      if (closed) return {};
      console.error(
        `[viewers] ${command.name}: disconnect unanswered after ${LEAVE_BOUND_MS} ms: ${viewer.events.slice(-4).join(' | ')}`,
      );
      return { hung: true };
    }
  }
});
