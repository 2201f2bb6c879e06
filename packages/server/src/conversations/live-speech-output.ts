/**
 * @module The agent's voice in voice and video sessions: the session's live avatar (`live/`). Each reply
 * sentence enters the avatar's entrance as one segment (its id is the conversation's segment id) with Flite's
 * phonemes for exact visemes when it has them. The avatar's own events come straight back: `segment.played`
 * without `interrupted` marks a sentence heard, and `interrupted` — whoever interrupted (a barge-in, a new
 * message, the WebSocket's `agent.interrupt`) — stops the agent's turn. A viewer joining the room triggers the
 * greeting. Media not running yet (lazy start) is started by the first sentence; until then the registry tells
 * this output when it starts. In a LiveKit room the users are its participants: their microphones are the
 * voice input, and the agent shows its state (`lk.agent.state`) and captions (`lk.transcription`) there.
 */
import type { AudioSegment } from '@agenthuman/agents';
import type { SegmentPlayed } from '@agenthuman/engine/live';
import {
  type AgentState,
  type LiveKitAvatar,
  LiveKitRoomListener,
  publishAgentState,
  publishTranscription,
} from '@agenthuman/rooms/livekit';
import type { SessionRow } from '@agenthuman/store';
import type { LiveSession } from '../live/live-session.js';
import type { LiveSessions } from '../live/live-sessions.js';
import type { AgentSpeechOutput, SpeechOutputs, ViewerAudio } from './speech-output.js';

class LiveSpeechOutput implements AgentSpeechOutput {
  private readonly played = new Set<(id: string) => void>();
  private readonly interrupted = new Set<() => void>();
  private readonly joined = new Set<() => void>();
  private readonly audio = new Set<(chunk: ViewerAudio) => void>();
  private readonly left = new Set<(viewerId: string) => void>();
  private attached: LiveSession | undefined;
  private listener: LiveKitRoomListener | undefined;
  private agentState: AgentState | undefined;
  private readonly cleanup: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly live: LiveSessions,
    private readonly session: SessionRow,
  ) {
    this.cleanup.push(
      live.onMediaStarted((media) => {
        if (media.sessionId === session.id) this.attach(media);
      }),
    );
    const running = live.get(session.id);
    if (running) this.attach(running);
  }

  get hasViewer(): boolean {
    return (this.live.get(this.session.id)?.viewers ?? 0) + (this.listener?.userCount ?? 0) > 0;
  }

  async speak(segment: AudioSegment): Promise<void> {
    const media = this.live.get(this.session.id) ?? (await this.live.ensure(this.session));
    this.attach(media);
    media.avatar.speak(segment.pcm, {
      ...(segment.phonemes ? { phonemes: segment.phonemes } : {}),
      segmentId: segment.id,
    });
    const room = media.livekit?.room;
    if (room) {
      this.setAgentState('speaking');
      publishTranscription(room, { text: segment.text, segmentId: segment.id, final: true }).catch(() => {
        // captions are best effort: the speech itself is already on its way
      });
    }
  }

  showThinking(): void {
    this.setAgentState('thinking');
  }

  /** One call: the avatar's interrupt, which every listener (the agent's turn too) hears before this returns. */
  interrupt(): void {
    const media = this.live.get(this.session.id);
    if (media && !media.closed) media.avatar.interrupt();
    else this.notifyInterrupted();
  }

  onPlayed(listener: (segmentId: string) => void): () => void {
    this.played.add(listener);
    return () => this.played.delete(listener);
  }

  onInterrupted(listener: () => void): () => void {
    this.interrupted.add(listener);
    return () => this.interrupted.delete(listener);
  }

  onViewerJoined(listener: () => void): () => void {
    this.joined.add(listener);
    return () => this.joined.delete(listener);
  }

  onViewerAudio(listener: (chunk: ViewerAudio) => void): () => void {
    this.audio.add(listener);
    return () => this.audio.delete(listener);
  }

  onViewerLeft(listener: (viewerId: string) => void): () => void {
    this.left.add(listener);
    return () => this.left.delete(listener);
  }

  close(): void {
    this.closed = true;
    void this.listener?.close();
    for (const off of this.cleanup.splice(0)) off();
    for (const listeners of [this.played, this.interrupted, this.joined, this.audio, this.left])
      listeners.clear();
  }

  private notifyInterrupted(): void {
    for (const listener of this.interrupted) listener();
  }

  private attach(media: LiveSession): void {
    if (this.closed || this.attached === media) return;
    this.attached = media;
    const avatar = media.avatar;
    const onPlayed = ({ segmentId, interrupted }: SegmentPlayed) => {
      if (!avatar.speaking) this.setAgentState('listening');
      if (interrupted) return;
      for (const listener of this.played) listener(segmentId);
    };
    const onInterrupted = () => {
      this.setAgentState('listening');
      this.notifyInterrupted();
    };
    avatar.on('segment.played', onPlayed).on('interrupted', onInterrupted);
    this.cleanup.push(() => avatar.off('segment.played', onPlayed).off('interrupted', onInterrupted));
    if (media.livekit) this.attachLiveKit(media.livekit);
    else {
      const onLiveKit = (livekit: LiveKitAvatar) => this.attachLiveKit(livekit);
      media.on('livekit', onLiveKit);
      this.cleanup.push(() => media.off('livekit', onLiveKit));
    }
    const room = media.room;
    if (room) {
      const onJoined = () => {
        for (const listener of this.joined) listener();
      };
      room.on('viewer-joined', onJoined);
      this.cleanup.push(() => room.off('viewer-joined', onJoined));
      if (room.viewerCount > 0) queueMicrotask(onJoined);
      const onAudio = (chunk: ViewerAudio) => {
        for (const listener of this.audio) listener(chunk);
      };
      const onLeft = ({ viewerId }: { viewerId: string }) => {
        for (const listener of this.left) listener(viewerId);
      };
      room.on('viewer-audio', onAudio);
      room.on('viewer-left', onLeft);
      this.cleanup.push(() => {
        room.off('viewer-audio', onAudio);
        room.off('viewer-left', onLeft);
      });
    }
  }

  /** The room's users are heard like the built-in room's viewers; the agent is listening once it is in. */
  private attachLiveKit(livekit: LiveKitAvatar): void {
    if (this.closed || this.listener) return;
    const listener = new LiveKitRoomListener(livekit.room);
    this.listener = listener;
    listener
      .on('user-joined', () => {
        for (const joined of this.joined) joined();
      })
      .on('user-audio', ({ identity, samples, sampleRate }) => {
        for (const audio of this.audio) audio({ viewerId: identity, samples, sampleRate });
      })
      .on('user-left', ({ identity }) => {
        for (const left of this.left) left(identity);
      });
    this.setAgentState('listening');
  }

  /** `lk.agent.state` of the avatar's participant, set when it changes (best effort: a room may be leaving). */
  private setAgentState(state: AgentState): void {
    const room = this.attached?.livekit?.room;
    if (!room || this.agentState === state) return;
    this.agentState = state;
    publishAgentState(room, state).catch(() => undefined);
  }
}

export function createLiveSpeechOutputs(live: LiveSessions): SpeechOutputs {
  return {
    attach: (session) =>
      session.sessionType === 'agent_chat' ? undefined : new LiveSpeechOutput(live, session),
  };
}
