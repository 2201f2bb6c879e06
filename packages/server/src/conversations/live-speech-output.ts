/**
 * @module The agent's speech output for voice and video sessions: the session's live media (pipeline + built-in
 * room, `live/`). Each reply sentence becomes one segment (its id is the conversation's segment id) with Flite's
 * phonemes for exact visemes when it has them; `segment.played` without `interrupted` marks it heard; a viewer
 * joining the room triggers the greeting. Media not running yet (lazy start) is started by the first sentence.
 */
import type { AudioSegment } from '@agenthuman/agents';
import type { SegmentPlayed } from '@agenthuman/engine/live';
import type { SessionRow } from '@agenthuman/store';
import type { LiveSession } from '../live/live-session.js';
import type { LiveSessions } from '../live/live-sessions.js';
import type { AgentSpeechOutput, SpeechOutputs, ViewerAudio } from './speech-output.js';

const WATCH_INTERVAL_MS = 100;

export class LiveSpeechOutput implements AgentSpeechOutput {
  private readonly played = new Set<(id: string) => void>();
  private readonly joined = new Set<() => void>();
  private readonly audio = new Set<(chunk: ViewerAudio) => void>();
  private readonly left = new Set<(viewerId: string) => void>();
  private attached: LiveSession | undefined;
  private readonly cleanup: (() => void)[] = [];
  private closed = false;
  private watch: NodeJS.Timeout | undefined;

  constructor(
    private readonly live: LiveSessions,
    private readonly session: SessionRow,
  ) {
    const running = live.get(session.id);
    if (running) this.attach(running);
  }

  get hasViewer(): boolean {
    return (this.live.get(this.session.id)?.viewers ?? 0) > 0;
  }

  async speak(segment: AudioSegment): Promise<void> {
    const media = this.live.get(this.session.id) ?? (await this.live.ensure(this.session));
    this.attach(media);
    media.avatar.speak(segment.pcm, {
      ...(segment.phonemes ? { phonemes: segment.phonemes } : {}),
      segmentId: segment.id,
    });
  }

  interrupt(): void {
    this.live.get(this.session.id)?.avatar.interrupt();
  }

  onPlayed(listener: (segmentId: string) => void): () => void {
    this.played.add(listener);
    return () => this.played.delete(listener);
  }

  onViewerJoined(listener: () => void): () => void {
    this.joined.add(listener);
    this.watchForMedia();
    return () => this.joined.delete(listener);
  }

  onViewerAudio(listener: (chunk: ViewerAudio) => void): () => void {
    this.audio.add(listener);
    this.watchForMedia();
    return () => this.audio.delete(listener);
  }

  onViewerLeft(listener: (viewerId: string) => void): () => void {
    this.left.add(listener);
    return () => this.left.delete(listener);
  }

  close(): void {
    this.closed = true;
    this.audio.clear();
    this.left.clear();
    clearInterval(this.watch);
    for (const off of this.cleanup.splice(0)) off();
    this.played.clear();
    this.joined.clear();
  }

  /**
   * The media starts on its own (with the session, or when the first viewer arrives): until it runs, look for
   * it a few times a second, without starting it (the registry has no start event to subscribe to yet).
   */
  private watchForMedia(): void {
    if (this.attached || this.watch || this.closed) return;
    this.watch = setInterval(() => {
      const media = this.live.get(this.session.id);
      if (media) this.attach(media);
    }, WATCH_INTERVAL_MS);
    this.watch.unref();
  }

  private attach(media: LiveSession): void {
    if (this.closed || this.attached === media) return;
    this.attached = media;
    clearInterval(this.watch);
    this.watch = undefined;
    const onPlayed = ({ segmentId, interrupted }: SegmentPlayed) => {
      if (interrupted) return;
      for (const listener of this.played) listener(segmentId);
    };
    media.avatar.on('segment.played', onPlayed);
    this.cleanup.push(() => media.avatar.off('segment.played', onPlayed));
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
}

export function createLiveSpeechOutputs(live: LiveSessions): SpeechOutputs {
  return {
    attach: (session) =>
      session.sessionType === 'agent_chat' ? undefined : new LiveSpeechOutput(live, session),
  };
}
