// Turn-taking for voice sessions: microphone PCM → VAD. When the user starts speaking the agent is
// interrupted at once (barge-in); when they stop, the utterance is transcribed and sent as a user turn.
import type { STT } from '../stt/stt.js';
import type { VAD } from '../vad/vad.js';
import type { AgentConversation } from './agent-conversation.js';
import type { TurnResult } from './conversation-events.js';

export type VoiceInputEvent =
  | { type: 'user.speech-started'; atMs: number; interruptedAgent: boolean }
  | { type: 'user.speech-ended'; startMs: number; endMs: number }
  | { type: 'user.transcript'; text: string; startMs: number; endMs: number }
  | { type: 'user.turn-failed'; code: string; message: string };

export interface VoiceInputOptions {
  vad: VAD;
  stt: STT;
  conversation: AgentConversation;
  language?: string;
  onEvent?: (event: VoiceInputEvent) => void;
  /** Receives each reply the spoken turns produce. */
  onTurn?: (result: TurnResult) => void;
}

export class VoiceInput {
  private chain: Promise<void> = Promise.resolve();
  private readonly controller = new AbortController();

  constructor(private readonly options: VoiceInputOptions) {}

  /** Feeds 16 kHz mono microphone audio. */
  push(pcm: Int16Array): void {
    if (this.controller.signal.aborted) return;
    for (const event of this.options.vad.push(pcm)) {
      if (event.type === 'speech-start') {
        const interruptedAgent = this.options.conversation.interrupt();
        this.emit({ type: 'user.speech-started', atMs: event.atMs, interruptedAgent });
      } else {
        this.emit({ type: 'user.speech-ended', startMs: event.startMs, endMs: event.endMs });
        const audio = event.audio;
        if (audio) this.chain = this.chain.then(() => this.turn(audio, event.startMs, event.endMs));
      }
    }
  }

  /** Waits for the utterances heard so far to be transcribed and answered. */
  idle(): Promise<void> {
    return this.chain;
  }

  close(): void {
    this.controller.abort();
    this.options.vad.dispose();
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
