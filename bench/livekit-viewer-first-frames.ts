/**
 * bench:livekit's wait for each new session's first frame at its viewer. A viewer that sees none within
 * FIRST_FRAME_WAIT_MS is a figure of the step (which session, how long it waited, what the avatar's video sink
 * had sent, what the viewer saw), not the end of the run: the step goes on with the sessions it has.
 */
import type { ListeningServer } from '@agenthuman/sdk/testing';
import type { Peers, Seat } from './livekit-peers-client.js';

/** Create → first frame was at most ~10 s at 8 sessions on a loaded machine; 30 s is a viewer that sees nothing. */
export const FIRST_FRAME_WAIT_MS = 30_000;

export interface FirstFrameMiss {
  sessionId: string;
  room: string;
  waitedMs: number;
  /** The avatar's video sink: frames handed to rtc-node, of them through the capture thread, skipped, failed. */
  sink: Record<string, unknown> | string;
  /** The viewer's room events, what it lists, libwebrtc's inbound-rtp (e2e/livekit/avatar-harness.ts). */
  viewer: unknown;
  /**
   * Frames the viewer's libwebrtc decoded all the same: the avatar's video reached the viewer and only rtc-node's
   * JavaScript never saw the track (its negotiation stall, ARCHITECTURE "bench:livekit"), so such a miss is the
   * subscriber SDK's, not the avatar's, and does not make the step unclean; it is still listed.
   */
  decodedAtViewer: number;
}

/** Create → first frame at the viewer per seat that got one, and the seats whose viewer got none. */
export async function viewerFirstFrames(
  seats: Seat[],
  peers: Peers,
  server: ListeningServer,
): Promise<{ firstFrames: number[]; misses: FirstFrameMiss[] }> {
  const firstFrames: number[] = [];
  const misses: FirstFrameMiss[] = [];
  await Promise.all(
    seats.map(async (seat) => {
      const reply = await peers.call<{ at: number | null; diagnosis?: unknown }>(seat.room, {
        op: 'first-frame',
        withinMs: FIRST_FRAME_WAIT_MS,
        report: true,
      });
      if (reply.at !== null) {
        firstFrames.push(reply.at - seat.createdAt);
        return;
      }
      misses.push({
        sessionId: seat.sessionId,
        room: seat.room,
        waitedMs: FIRST_FRAME_WAIT_MS,
        sink: videoSink(server, seat.sessionId),
        viewer: reply.diagnosis,
        decodedAtViewer: decodedFrames(reply.diagnosis),
      });
    }),
  );
  return { firstFrames, misses };
}

function decodedFrames(diagnosis: unknown): number {
  const inbound = (diagnosis as { inboundVideo?: { framesDecoded?: number } } | undefined)?.inboundVideo;
  return inbound?.framesDecoded ?? 0;
}

function videoSink(server: ListeningServer, sessionId: string): Record<string, unknown> | string {
  const livekit = server.server.live.get(sessionId)?.livekit;
  if (!livekit) return 'the session has no LiveKit avatar';
  try {
    const v = livekit.videoSink;
    return {
      state: livekit.state,
      frames: v.frames,
      threaded: v.threadedFrames,
      skipped: v.skipped,
      errors: v.captureErrors,
    };
  } catch (error) {
    return `${livekit.state}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
