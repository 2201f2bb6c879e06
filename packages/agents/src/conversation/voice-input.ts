// Turn-taking for voice sessions: microphone PCM → VAD. When the user starts speaking the agent is
// interrupted at once (barge-in); when they stop, the utterance is transcribed and sent as a user turn.
import type { STT } from '../stt/stt.js';
import type { VAD, VadEvent } from '../vad/vad.js';
import type { TurnResult } from './conversation-events.js';

export type VoiceInputEvent =
  | { type: 'user.speech-started'; atMs: number; interruptedAgent: boolean }
  | { type: 'user.speech-ended'; startMs: number; endMs: number }
  | { type: 'user.transcript'; text: string; startMs: number; endMs: number }
  | { type: 'user.turn-failed'; code: string; message: string };

/** What voice input needs of a conversation (AgentConversation fits as is). */
export interface VoiceTurns<R> {
  /** Stops the agent mid-reply; true when it was speaking. */
  interrupt(): boolean;
  send(text: string): Promise<R>;
}

export interface VoiceInputOptions<R = TurnResult> {
  vad: VAD;
  stt: STT;
  conversation: VoiceTurns<R>;
  language?: string;
  onEvent?: (event: VoiceInputEvent) => void;
  /** Receives each reply the spoken turns produce. */
  onTurn?: (result: R) => void;
  /**
   * Runs each utterance's transcription and turn. Default: one after another for this input; several inputs
   * (one per speaker) pass a shared queue so their turns keep the order the utterances ended in.
   */
  enqueue?: (job: () => Promise<void>) => void;
}

export class VoiceInput<R = TurnResult> {
  private chain: Promise<void> = Promise.resolve();
  private readonly controller = new AbortController();
  private finished = false;

  constructor(private readonly options: VoiceInputOptions<R>) {}

  /** Feeds 16 kHz mono microphone audio. */
  push(pcm: Int16Array): void {
    if (this.controller.signal.aborted || this.finished) return;
    this.handle(this.options.vad.push(pcm));
  }

  /** The microphone went away: an utterance in progress is still transcribed and answered. */
  finish(): void {
    if (this.controller.signal.aborted || this.finished) return;
    this.finished = true;
    this.handle(this.options.vad.flush());
    this.options.vad.dispose();
  }

  /** Waits for the utterances heard so far to be transcribed and answered. */
  idle(): Promise<void> {
    return this.chain;
  }

  /** Stops listening and abandons the turns not yet answered. */
  close(): void {
    if (this.controller.signal.aborted) return;
    this.controller.abort();
    if (!this.finished) this.options.vad.dispose();
  }

  private handle(events: VadEvent[]): void {
    for (const event of events) {
      if (event.type === 'speech-start') {
        const interruptedAgent = this.options.conversation.interrupt();
        this.emit({ type: 'user.speech-started', atMs: event.atMs, interruptedAgent });
      } else {
        this.emit({ type: 'user.speech-ended', startMs: event.startMs, endMs: event.endMs });
        const audio = event.audio;
        if (!audio) continue;
        const job = () => this.turn(audio, event.startMs, event.endMs);
        if (this.options.enqueue) this.options.enqueue(job);
        else this.chain = this.chain.then(job);
      }
    }
  }

  private async turn(audio: Int16Array, startMs: number, endMs: number): Promise<void> {
    const signal = this.controller.signal;
    if (signal.aborted) return;
    try {
      const { text } = await this.options.stt.transcribe(audio, {
        signal,
        ...(this.options.language ? { language: this.options.language } : {}),
      });
      if (!text.trim() || signal.aborted) return;
      this.emit({ type: 'user.transcript', text, startMs, endMs });
      const result = await this.options.conversation.send(text);
      this.options.onTurn?.(result);
    } catch (error) {
      if (signal.aborted) return;
      this.emit({
        type: 'user.turn-failed',
        code: (error as { code?: string })?.code ?? 'VOICE_TURN_FAILED',
        message: (error as Error)?.message ?? String(error),
      });
    }
  }

  private emit(event: VoiceInputEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A listener's bug must not stop listening.
    }
  }
}
