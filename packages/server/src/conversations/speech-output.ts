/**
 * @module The port between an agent's conversation and the room its avatar speaks in. The live session runtime
 * (the built-in WebRTC room) implements it for voice and video sessions; chat sessions have none. The
 * conversation hands over one sentence of speech at a time, in order, and counts a sentence as said only once
 * the room reports it played, so a barge-in marks exactly what was not heard.
 */
import type { AudioSegment } from '@agenthuman/agents';
import type { SessionRow } from '@agenthuman/store';

export interface ViewerAudio {
  viewerId: string;
  samples: Int16Array;
  sampleRate: number;
}

export interface AgentSpeechOutput {
  /** Queues one sentence of speech; resolves once accepted (its first frame is on its way to the room). */
  speak(segment: AudioSegment): void | Promise<void>;
  /**
   * Stops the avatar now and drops everything queued (barge-in, a new message). Every `onInterrupted` listener
   * hears it before this returns.
   */
  interrupt(): void;
  /** The avatar was interrupted, by this output's caller or any other source (the WebSocket's agent.interrupt). */
  onInterrupted(listener: () => void): () => void;
  /** The room has played a segment to its end. */
  onPlayed(listener: (segmentId: string) => void): () => void;
  /** A viewer (the end user) joined the room: the greeting waits for this. */
  onViewerJoined(listener: () => void): () => void;
  /**
   * Microphone audio the room's viewers send up (voice input). Optional: outputs that have no room to listen
   * in (tests without media) leave it out.
   */
  onViewerAudio?(listener: (chunk: ViewerAudio) => void): () => void;
  /** A viewer left the room (its voice input stops). */
  onViewerLeft?(listener: (viewerId: string) => void): () => void;
  /** A turn started and its reply is being prepared (a LiveKit room shows `lk.agent.state` thinking). Optional. */
  showThinking?(): void;
  /** Someone is already watching. */
  readonly hasViewer: boolean;
  /** The conversation is over; release what was attached. */
  close(): void;
}

/** Finds the output of a voice or video session (undefined: this session speaks nowhere). */
export interface SpeechOutputs {
  attach(session: SessionRow): AgentSpeechOutput | undefined;
}
