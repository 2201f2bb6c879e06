/**
 * @module The avatar taking and giving up its seat in a session's LiveKit room, for the live-session registry: the
 * join (started while the pipeline starts), the room's events that end the session (the agent leaving, the room
 * closing, a failed join), and the hand-over to another worker at a graceful stop, during which leaving the room
 * ends nothing.
 */
import type { LiveAvatar } from '@agenthuman/engine/live';
import type { EndReason } from '@agenthuman/protocol';
import { joinLiveAvatar, type LiveKitAvatar, type LiveKitLeaveReason } from '@agenthuman/rooms/livekit';
import type { LiveSession } from './live-session.js';
import { idleStateOf, joinFailureDetail, type LiveKitSeat } from './livekit-seat.js';

export type LiveLogger = {
  info(object: unknown, message: string): void;
  warn(object: unknown, message: string): void;
  error(object: unknown, message: string): void;
};

/** How leaving a LiveKit room ends the session: the agent let the avatar go, or the room is gone. */
const endReasonOfLeave: Record<LiveKitLeaveReason, EndReason> = {
  removed: 'agent_left',
  room_closed: 'room_closed',
  disconnected: 'room_closed',
};

export type LiveKitSeatingOptions = {
  /** The registry's automatic end (announced to the session's clients, then ended and billed). */
  end: (sessionId: string, reason: EndReason, detail?: string) => Promise<void>;
  log: () => LiveLogger | undefined;
};

export type LiveKitSeating = ReturnType<typeof createLiveKitSeating>;

export function createLiveKitSeating({ end, log }: LiveKitSeatingOptions) {
  /** Sessions being handed to another worker: leaving the room or the row moving ends nothing. */
  const handingOver = new Set<string>();

  return {
    /** Starts joining `seat` with the live avatar while it is still starting (the slower half of the first frame). */
    join(starting: Promise<LiveAvatar>, seat: LiveKitSeat): Promise<LiveKitAvatar> {
      const joining = joinLiveAvatar(starting, {
        url: seat.url,
        token: seat.token,
        ...(seat.agentIdentity ? { agentIdentity: seat.agentIdentity } : {}),
      });
      // A failed start fails the join too; that failure is the start's, reported by the registry.
      joining.catch(() => undefined);
      return joining;
    },

    /**
     * Once the media runs: the joined avatar becomes the session's seat, and the session ends with the room (the
     * agent leaving or removing the avatar, the room closing, or a join that failed). Reconnects inside rtc-node
     * end nothing.
     */
    async seat(
      sessionId: string,
      live: LiveSession,
      seat: LiveKitSeat,
      joining: Promise<LiveKitAvatar>,
    ): Promise<void> {
      try {
        const livekit = await joining;
        if (live.closed) {
          await livekit.close();
          return;
        }
        live.attachLiveKit(livekit);
        livekit
          .on('agent-left', () => void end(sessionId, 'agent_left'))
          .on('agent-state', (state) => live.avatar.setIdleState(idleStateOf(state)))
          .on('left', ({ reason, detail }) => {
            log()?.info({ sessionId, reason, detail }, 'the avatar left its LiveKit room');
            // The new worker's avatar took the seat (same identity): LiveKit let this one go.
            if (handingOver.has(sessionId)) return;
            void end(sessionId, endReasonOfLeave[reason], detail);
          })
          .on('reconnecting', () => log()?.info({ sessionId }, 'LiveKit connection lost; reconnecting'))
          .on('reconnected', () => log()?.info({ sessionId }, 'LiveKit connection back'))
          .on('stream-rejected', (rejected) =>
            log()?.warn({ sessionId, ...rejected }, 'audio stream refused'),
          )
          .on('error', (error) => log()?.warn({ err: error, sessionId }, 'LiveKit avatar error'));
      } catch (error) {
        if (live.closed) return;
        const detail = joinFailureDetail(seat, error);
        log()?.warn({ sessionId, detail }, 'the avatar could not join its LiveKit room');
        await end(sessionId, 'room_join_failed', detail);
      }
    },

    isHandingOver(sessionId: string): boolean {
      return handingOver.has(sessionId);
    },

    /**
     * Graceful stop of a worker: `place` moves the session to another worker and starts it there; when it did,
     * `letGo` releases the media here without ending anything. False: nobody took it (or a hand-over is already
     * under way).
     */
    async handOver(
      sessionId: string,
      place: () => Promise<boolean>,
      letGo: () => Promise<void>,
    ): Promise<boolean> {
      if (handingOver.has(sessionId)) return false;
      handingOver.add(sessionId);
      try {
        if (!(await place())) return false;
        await letGo();
        return true;
      } finally {
        handingOver.delete(sessionId);
      }
    },
  };
}
