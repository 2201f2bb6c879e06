/**
 * A segment the agent sent wholly while the avatar was out of the room (a full reconnect: LiveKit drops byte
 * streams to an identity that is not a participant) is never seen here, yet LiveKit Agents' DataStreamAudioOutput
 * waits for its `lk.playback_finished`. The agent counts reports, it does not name segments (a report with none
 * owed is dropped with a warning; one too many finishes a later segment early), so one is sent only on the
 * agent's own word that it waits: ARCHITECTURE, LiveKit rooms.
 */

export interface LostSegmentWatchOptions {
  /** The agent's `lk.agent.state` attribute as the room lists it now (undefined: not known). */
  agentState: () => string | undefined;
  /** Whether a report is still owed or not yet answered (the agent may be speaking a segment we know). */
  owing: () => boolean;
  /** Sends `lk.playback_finished {0, interrupted}` for the lost segment. */
  report: () => void;
  /** How long the agent must say `speaking` while nothing is owed or open: 1.5 s. */
  graceMs?: number;
  /** How long after the rejoin the agent's word is looked for: 10 s. */
  watchMs?: number;
  /** How often the state is looked at meanwhile: 100 ms. */
  pollMs?: number;
}

export class LostSegmentWatch {
  readonly #options: LostSegmentWatchOptions;
  /** From a full reconnect to the next stream (or the report): a segment may have been lost meanwhile. */
  #mayBeLost = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: LostSegmentWatchOptions) {
    this.#options = options;
  }

  /** The avatar rejoined in full (its tracks were published again). */
  rejoined(): void {
    this.#mayBeLost = true;
    this.#watch();
  }

  /** A stream from the agent arrived: whatever the agent waits for now is a segment we know. */
  streamOpened(): void {
    this.#stop();
  }

  /**
   * `lk.clear_buffer` with no report owed: Python's DataStreamAudioOutput calls it only while it waits for one,
   * so after a full reconnect what it waits for is the lost segment. True when it is to be reported now.
   */
  clearedOwingNothing(): boolean {
    const lost = this.#mayBeLost;
    this.#stop();
    return lost;
  }

  close(): void {
    this.#stop();
  }

  #stop(): void {
    this.#mayBeLost = false;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * The agent says `speaking` for the whole grace while no stream opened, nothing is owed and every report was
   * answered. AgentSession announces `speaking` after the stream's header went out (default
   * `wait_playback_start=False`) and leaves it once our last report is in, so a segment it starts now is seen
   * long before the grace ends, and a report still in flight keeps `owing()` true until it was answered.
   */
  #watch(): void {
    clearInterval(this.#timer);
    const { graceMs = 1500, watchMs = 10_000, pollMs = 100 } = this.#options;
    const until = performance.now() + watchMs;
    let speakingSince: number | undefined;
    this.#timer = setInterval(() => {
      const now = performance.now();
      const waiting = this.#options.agentState() === 'speaking' && !this.#options.owing();
      speakingSince = waiting ? (speakingSince ?? now) : undefined;
      if (speakingSince !== undefined && now - speakingSince >= graceMs) {
        this.#stop();
        this.#options.report();
        return;
      }
      // Past the watch only the agent's lk.clear_buffer can still say it waits.
      if (now > until && speakingSince === undefined) {
        clearInterval(this.#timer);
        this.#timer = undefined;
      }
    }, pollMs);
    this.#timer.unref();
  }
}
