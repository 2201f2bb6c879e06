/**
 * The avatar's playback reports to the agent: `lk.playback_started` and `lk.playback_finished` RPCs, sent in
 * order, each after the previous one settled, with retries and bounds of our own.
 */
import { type PerformRpcParams, RpcError } from '@livekit/rtc-node';
import type { PlaybackFinished } from './playback-tracker.js';
import { withTimeout } from './with-timeout.js';

export const RPC_PLAYBACK_STARTED = 'lk.playback_started';
export const RPC_PLAYBACK_FINISHED = 'lk.playback_finished';

/** What sends an RPC: the room's local participant (a fake in unit tests). */
export interface RpcCaller {
  performRpc(params: PerformRpcParams): Promise<string>;
}

export interface PlaybackReportsOptions {
  /** The connected local participant; undefined once the avatar left or is closing (nothing more is sent). */
  caller: () => RpcCaller | undefined;
  /** The agent; undefined when nobody is (no report is owed then). */
  agent: () => string | undefined;
  /** The agent answered a call: it is in the room (agent-watch.ts). */
  onAnswered?: (identity: string) => void;
  /** A report that failed every try. */
  onError: (error: Error) => void;
  tries?: number;
  retryMs?: number;
  responseTimeoutMs?: number;
  ackSlackMs?: number;
}

const RPC_TRIES = 3;
const RPC_RETRY_MS = 100;
/**
 * An agent on a loaded machine can take over 2 s to answer (bench:livekit's 8-session step): a try that times
 * out is sent again, so a tight timeout turns slowness into duplicates and, after three, a lost report.
 */
const RPC_RESPONSE_TIMEOUT_MS = 5000;
/** libwebrtc's own acknowledgement wait comes on top of the response timeout. */
const RPC_ACK_SLACK_MS = 3000;

export class PlaybackReports {
  readonly #options: PlaybackReportsOptions;
  #chain: Promise<void> = Promise.resolve();
  #unsettled = 0;

  constructor(options: PlaybackReportsOptions) {
    this.#options = options;
  }

  started(): void {
    this.#call(RPC_PLAYBACK_STARTED, '');
  }

  finished(event: PlaybackFinished): void {
    this.#call(RPC_PLAYBACK_FINISHED, JSON.stringify(event));
  }

  /** Reports queued and not yet answered or given up. */
  get unsettled(): number {
    return this.#unsettled;
  }

  /** Settles once every report queued so far was answered or given up. */
  get idle(): Promise<void> {
    return this.#chain;
  }

  /**
   * Calls the agent, in order, each call after the previous one settled (and after the answer to an RPC that
   * caused it has left: the agent arms a fallback timer only once its lk.clear_buffer call returns). Each try is
   * bounded by our own timer too: a call whose callback never came would otherwise hold every later report.
   * During a reconnect rtc-node holds the request until it is back (a report due then arrives after it).
   */
  #call(method: string, payload: string): void {
    const destinationIdentity = this.#options.agent();
    if (!destinationIdentity) return;
    this.#unsettled++;
    this.#chain = this.#chain
      .then(() => this.#send(destinationIdentity, method, payload))
      .finally(() => {
        this.#unsettled--;
      });
  }

  async #send(destinationIdentity: string, method: string, payload: string): Promise<void> {
    const tries = this.#options.tries ?? RPC_TRIES;
    const responseTimeout = this.#options.responseTimeoutMs ?? RPC_RESPONSE_TIMEOUT_MS;
    const boundMs = responseTimeout + (this.#options.ackSlackMs ?? RPC_ACK_SLACK_MS);
    await new Promise((resolve) => setTimeout(resolve, 0));
    for (let attempt = 1; attempt <= tries; attempt++) {
      const caller = this.#options.caller();
      if (!caller) return;
      try {
        await withTimeout(
          caller.performRpc({ destinationIdentity, method, payload, responseTimeout }),
          boundMs,
          () => new Error(`no answer within ${boundMs} ms`),
        );
        this.#options.onAnswered?.(destinationIdentity);
        return;
      } catch (error) {
        const unsupported = error instanceof RpcError && error.code === RpcError.ErrorCode.UNSUPPORTED_METHOD;
        // An agent that does not wait for playback start does not register it: nothing to retry.
        if (unsupported && method === RPC_PLAYBACK_STARTED) return;
        if (attempt === tries) {
          this.#options.onError(new Error(`${method} failed ${tries} times: ${describe(error)}`));
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, this.#options.retryMs ?? RPC_RETRY_MS));
      }
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
