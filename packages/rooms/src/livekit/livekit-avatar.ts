/**
 * The avatar as a participant of a LiveKit room, speaking the LiveKit Agents avatar protocol: it joins with the
 * token it was given (as the token's identity), publishes a camera and a microphone track fed by the session
 * pipeline, takes speech from the agent's `lk.audio_stream` byte streams, answers `lk.clear_buffer`, reports
 * `lk.playback_started` / `lk.playback_finished`, and announces its state on the `session.state` topic.
 */
import { EventEmitter } from 'node:events';
import type { SpeakingStarted, SpeakingStopped } from '@agenthuman/engine';
import {
  DisconnectReason,
  type RemoteParticipant,
  Room,
  RoomEvent,
  type RpcInvocationData,
} from '@livekit/rtc-node';
import { AgentWatch } from './agent-watch.js';
import {
  AUDIO_STREAM_TOPIC,
  AudioStreamSource,
  type AvatarSpeechInput,
  type StreamRejected,
} from './audio-stream-source.js';
import { LostSegmentWatch } from './lost-segment-watch.js';
import { LiveKitAudioSink, LiveKitVideoSink } from './media-sinks.js';
import { PlaybackReports } from './playback-reports.js';
import { PlaybackTracker } from './playback-tracker.js';
import { publishAvatarTracks } from './publish-tracks.js';
import { stopRtcLogCapture } from './rtc-log-capture.js';
import { startVideoCaptureThread } from './video-capture-thread.js';
import { withTimeout } from './with-timeout.js';

export const RPC_CLEAR_BUFFER = 'lk.clear_buffer';
export const SESSION_STATE_TOPIC = 'session.state';
export const PUBLISH_ON_BEHALF_ATTRIBUTE = 'lk.publish_on_behalf';
export const AGENT_STATE_ATTRIBUTE = 'lk.agent.state';

export type AvatarState = 'connecting' | 'ready' | 'speaking' | 'idle' | 'ended';

/** Why the avatar is no longer in the room (the server maps these to a session end_reason). */
export type LiveKitLeaveReason = 'room_closed' | 'removed' | 'disconnected';

export interface LiveKitAvatarOptions {
  url: string;
  token: string;
  /**
   * Frame size of the published video track (the renderer's), or a promise of it: the join then connects at once
   * and publishes once it resolves, so connecting overlaps a pipeline that is still starting (a rejection fails
   * the join).
   */
  size: FrameSize | Promise<FrameSize>;
  /** Where the agent's speech goes (the session pipeline's entrance). */
  input: AvatarSpeechInput;
  /**
   * The one identity that may send speech and call lk.clear_buffer. Default: the identity named by the
   * avatar's own `lk.publish_on_behalf` token attribute (LiveKit Agents' avatar plugins set it).
   */
  agentIdentity?: string;
  /** Default 10 s; the join fails with `room_join_failed` past it. */
  connectTimeoutMs?: number;
  /** Sample rate of the published audio track: the pipeline's output rate (16 kHz). */
  audioSampleRate?: number;
}

export interface FrameSize {
  width: number;
  height: number;
}

export interface LiveKitAvatarEvents {
  /** The agent's `lk.agent.state` attribute (initializing, idle, listening, thinking, speaking). */
  'agent-state': [string];
  'agent-joined': [string];
  /** The agent participant left the room: the session should end (`agent_left`). */
  'agent-left': [string];
  /** The avatar is out of the room for good; not emitted for a close() of our own. */
  left: [{ reason: LiveKitLeaveReason; detail: string }];
  /** Signalling or media was lost and rtc-node is reconnecting; the session must go on. */
  reconnecting: [];
  reconnected: [];
  /** lk.clear_buffer from the agent was applied. */
  cleared: [];
  'stream-rejected': [StreamRejected];
  /** A playback RPC that failed its three tries, a stream that broke, a chunk the input refused. */
  error: [unknown];
}

export class LiveKitJoinError extends Error {
  readonly code = 'room_join_failed';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LiveKitJoinError';
  }
}

export class LiveKitAvatar {
  readonly room: Room;
  readonly audioSink: LiveKitAudioSink;
  #videoSink: LiveKitVideoSink | undefined;
  readonly #events = new EventEmitter<LiveKitAvatarEvents>();
  readonly #source: AudioStreamSource;
  readonly #tracker: PlaybackTracker;
  readonly #input: AvatarSpeechInput;
  readonly #watch: AgentWatch;
  #agentIdentity: string | undefined;
  #state: AvatarState = 'connecting';
  readonly #reports: PlaybackReports;
  /** What the agent sent while a full reconnect kept us out of the room (lost-segment-watch.ts). */
  readonly #lost: LostSegmentWatch;
  #closing: Promise<void> | undefined;
  #connecting: Promise<void> | undefined;
  #left = false;

  /** Joins the room and publishes both tracks; rejects with LiveKitJoinError (and leaves nothing behind). */
  static async join(options: LiveKitAvatarOptions): Promise<LiveKitAvatar> {
    const avatar = new LiveKitAvatar(options);
    try {
      await avatar.#connect(options);
    } catch (error) {
      await avatar.close();
      if (error instanceof LiveKitJoinError) throw error;
      throw new LiveKitJoinError(`could not join the LiveKit room: ${describe(error)}`, { cause: error });
    }
    return avatar;
  }

  private constructor(options: LiveKitAvatarOptions) {
    this.room = new Room();
    this.#input = options.input;
    this.#agentIdentity = options.agentIdentity;
    this.audioSink = new LiveKitAudioSink({ sampleRate: options.audioSampleRate });
    this.#reports = new PlaybackReports({
      caller: () =>
        this.room.isConnected && !this.#closing ? (this.room.localParticipant ?? undefined) : undefined,
      agent: () => this.#agentIdentity,
      onAnswered: (identity) => this.#watch.heard(identity),
      onError: (error) => this.#emitError(error),
    });
    this.#tracker = new PlaybackTracker({
      playedPtsMs: () => this.audioSink.playedPtsMs,
      started: () => this.#reports.started(),
      finished: (_segmentId, event) => this.#reports.finished(event),
      onStuck: (segmentId, event) =>
        this.#emitError(
          new Error(
            `segment ${segmentId}: ${event.unplayedMs} ms of its audio never played; reported finished at ${event.playback_position} s`,
          ),
        ),
    });
    this.#lost = new LostSegmentWatch({
      agentState: () => {
        const agent = this.#agentIdentity ? this.room.remoteParticipants.get(this.#agentIdentity) : undefined;
        return agent?.attributes[AGENT_STATE_ATTRIBUTE];
      },
      owing: () => this.#tracker.pending > 0 || this.#reports.unsettled > 0,
      report: () => this.#reports.finished({ playback_position: 0, interrupted: true }),
    });
    this.#watch = new AgentWatch({
      room: this.room,
      agentIdentity: () => this.#agentIdentity,
      onGone: (identity) => this.#events.emit('agent-left', identity),
    });
    this.#source = new AudioStreamSource({
      input: options.input,
      allowedSender: () => this.#agentIdentity,
      onSegmentOpened: (id) => {
        this.#lost.streamOpened();
        this.#tracker.opened(id);
      },
      onPushed: (id, ms) => this.#tracker.pushed(id, ms),
      onSegmentClosed: (id, broken) => this.#tracker.closed(id, broken),
      onRejected: (event) => this.#events.emit('stream-rejected', event),
      onError: (error) => this.#emitError(error),
    });
  }

  /** The camera track's source; there from the end of the join (it is sized by the pipeline). */
  get videoSink(): LiveKitVideoSink {
    if (!this.#videoSink) throw new Error('the LiveKit avatar has not published its video yet');
    return this.#videoSink;
  }

  get identity(): string {
    return this.room.localParticipant?.identity ?? '';
  }

  /** The identity allowed to send speech (undefined when neither configured nor named by the token). */
  get agentIdentity(): string | undefined {
    return this.#agentIdentity;
  }

  get state(): AvatarState {
    return this.#state;
  }

  on<E extends keyof LiveKitAvatarEvents>(
    event: E,
    listener: (...args: LiveKitAvatarEvents[E]) => void,
  ): this {
    this.#events.on(event, listener as never);
    return this;
  }

  off<E extends keyof LiveKitAvatarEvents>(
    event: E,
    listener: (...args: LiveKitAvatarEvents[E]) => void,
  ): this {
    this.#events.off(event, listener as never);
    return this;
  }

  /**
   * Wire to the pipeline's `speaking.started`. Any speech sets `speaking` (also speech that did not come from a
   * byte stream, e.g. the WebSocket's agent.speak); only byte-stream segments get playback RPCs.
   */
  onSpeakingStarted(event: SpeakingStarted): void {
    this.#tracker.onSpeakingStarted(event);
    if (this.#state === 'ready' || this.#state === 'idle') void this.setState('speaking');
  }

  /** Wire to the pipeline's `speaking.stopped`. */
  onSpeakingStopped(event: SpeakingStopped): void {
    this.#tracker.onSpeakingStopped(event);
    if (this.#state === 'speaking') void this.setState('idle');
  }

  /** Publishes `{state, reason?}` on `session.state` to everyone in the room. */
  setState(state: AvatarState, reason?: string): Promise<void> {
    this.#state = state;
    const participant = this.room.localParticipant;
    if (!participant || !this.room.isConnected) return Promise.resolve();
    const payload = new TextEncoder().encode(JSON.stringify(reason ? { state, reason } : { state }));
    return participant
      .publishData(payload, { reliable: true, topic: SESSION_STATE_TOPIC })
      .catch((error) => this.#emitError(error));
  }

  /**
   * Leaves the room: sends `ended` (with the reason) while still connected, then unpublishes and disconnects.
   * Idempotent. Playback RPCs still owed are dropped: the agent stops waiting when the avatar leaves.
   * `handOver`: another process takes this seat (same identity) and goes on: leave without saying `ended`.
   */
  close(reason?: string, options: { handOver?: boolean } = {}): Promise<void> {
    this.#closing ??= this.#release(reason, options.handOver === true);
    return this.#closing;
  }

  async #release(reason: string | undefined, handOver: boolean): Promise<void> {
    this.#source.close();
    this.#tracker.close();
    this.#lost.close();
    this.#watch.close();
    // A join that timed out may still complete later: it must not leave a ghost avatar in the room.
    if (!this.room.isConnected)
      void this.#connecting?.then(
        () => this.room.disconnect(),
        () => undefined,
      );
    if (this.room.isConnected && !this.#left) {
      if (!handOver) await withTimeout(this.setState('ended', reason), 1000);
      await withTimeout(this.room.disconnect(), 3000).catch(() => undefined);
    }
    this.room.removeAllListeners();
    await Promise.allSettled([this.#videoSink?.close(), this.audioSink.close()]);
  }

  async #connect(options: LiveKitAvatarOptions): Promise<void> {
    const room = this.room;
    // Up before the first frame (~0.2 s), while the room connects: frames before it are captured on this thread.
    void startVideoCaptureThread();
    // Registered before connecting so that no stream sent right after the join is missed.
    // Whoever streams, calls or answers is in the room, listed or not (agent-watch.ts).
    room.registerByteStreamHandler(AUDIO_STREAM_TOPIC, (reader, participant) => {
      this.#watch.heard(participant.identity);
      this.#source.handle(reader, participant);
    });
    room.on(RoomEvent.ParticipantConnected, (participant) => this.#onParticipantConnected(participant));
    room.on(RoomEvent.ParticipantDisconnected, (participant) =>
      this.#watch.disconnected(participant.identity),
    );
    room.on(RoomEvent.ParticipantAttributesChanged, (changed, participant) => {
      const state = changed[AGENT_STATE_ATTRIBUTE];
      if (participant.identity === this.#agentIdentity && state !== undefined)
        this.#events.emit('agent-state', state);
    });
    room.on(RoomEvent.Reconnecting, () => {
      this.#watch.reconnecting();
      this.#events.emit('reconnecting');
    });
    // Only a full reconnect publishes the tracks again (a resumed session keeps them, and its data).
    room.on(RoomEvent.LocalTrackRepublished, () => this.#lost.rejoined());
    room.on(RoomEvent.Reconnected, () => {
      this.#watch.reconnected();
      this.#events.emit('reconnected');
    });
    room.on(RoomEvent.Disconnected, (reason) => this.#onDisconnected(reason));

    const timeoutMs = options.connectTimeoutMs ?? 10_000;
    this.#connecting = room.connect(options.url, options.token, { autoSubscribe: false, dynacast: false });
    await withTimeout(
      this.#connecting,
      timeoutMs,
      () =>
        new LiveKitJoinError(`no answer from the LiveKit server at ${options.url} within ${timeoutMs} ms`),
    );
    // rtc-node's trace-level log events would reach every room of this process (rtc-log-capture.ts).
    stopRtcLogCapture();
    const local = room.localParticipant;
    if (!local) throw new LiveKitJoinError('connected without a local participant');
    this.#agentIdentity ??= local.attributes[PUBLISH_ON_BEHALF_ATTRIBUTE] || undefined;
    await this.setState('connecting');
    local.registerRpcMethod(RPC_CLEAR_BUFFER, (data) => this.#onClearBuffer(data));

    const { width, height } = await options.size;
    if (this.#closing) throw new LiveKitJoinError('closed while joining');
    this.#videoSink = new LiveKitVideoSink(width, height);
    await publishAvatarTracks(local, this.#videoSink.source, this.audioSink.source);
    for (const participant of room.remoteParticipants.values()) this.#onParticipantConnected(participant);
    await this.setState('ready');
  }

  #onParticipantConnected(participant: RemoteParticipant): void {
    this.#watch.listed(participant.identity);
    if (participant.identity !== this.#agentIdentity) return;
    this.#events.emit('agent-joined', participant.identity);
    const state = participant.attributes[AGENT_STATE_ATTRIBUTE];
    if (state !== undefined) this.#events.emit('agent-state', state);
  }

  async #onClearBuffer(data: RpcInvocationData): Promise<string> {
    if (!this.#agentIdentity || data.callerIdentity !== this.#agentIdentity) return 'reject';
    this.#watch.heard(data.callerIdentity);
    this.#source.clearStreams();
    const owed = this.#tracker.pending;
    // Positions are read while the audio sink still knows what has played; then the pipeline stops at once (its
    // interrupt reaches the sink's clearQueue synchronously) and its own speaking.stopped finds nothing owed.
    this.#tracker.interruptAll();
    // Owing none after a full reconnect, what the agent waits for is a segment LiveKit dropped: one report,
    // interrupted at 0, ends that wait now and truly (Python's 2 s fallback would report it played whole; the Node
    // agent has no fallback). An agent waiting for nothing only logs a warning.
    if (owed === 0 && this.#lost.clearedOwingNothing())
      this.#reports.finished({ playback_position: 0, interrupted: true });
    try {
      this.#input.clear();
    } catch (error) {
      // The agent is still owed its answer: what played has been reported, and nothing more will.
      this.#emitError(error);
    }
    this.#events.emit('cleared');
    return 'ok';
  }

  #onDisconnected(reason: DisconnectReason): void {
    if (this.#closing || this.#left) return;
    this.#left = true;
    const detail = DisconnectReason[reason] ?? String(reason);
    const mapped: LiveKitLeaveReason =
      reason === DisconnectReason.ROOM_DELETED || reason === DisconnectReason.ROOM_CLOSED
        ? 'room_closed'
        : reason === DisconnectReason.PARTICIPANT_REMOVED
          ? 'removed'
          : 'disconnected';
    this.#events.emit('left', { reason: mapped, detail });
  }

  #emitError(error: unknown): void {
    if (this.#events.listenerCount('error') > 0) this.#events.emit('error', error);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
