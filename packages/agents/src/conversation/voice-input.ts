// Turn-taking for voice sessions: microphone PCM → VAD. When the user starts speaking the agent is
// interrupted at once (barge-in); when they stop, the utterance is transcribed and sent as a user turn.
// With a VAD that streams the utterance's audio and an STT that decodes streams, transcription runs while
// the user speaks, so the text is ready right after the end of speech rather than a whole decode later. With
// pause events too, the stream is finished at the pause (the text is then usually ready before the VAD's
// hang-over ends the turn); if the user goes on, a new stream takes the whole utterance so far. A conversation
// with `prepare` starts the reply to the pause's text at once, committed by the turn's `send` or dropped when
// the user goes on. When the pause's text reads as a finished turn (turn-completion.ts), the turn ends there
// rather than after the whole hang-over; if the user goes on after all, that is a new utterance and a barge-in,
// and when it starts within RESUME_MS of the early end its stream hears the ended utterance first, so the next
// turn answers everything the user said rather than only its tail.

import type { STT, SttResult, SttStream } from '../stt/stt.js';
import type { VAD, VadEvent } from '../vad/vad.js';
import type { TurnResult } from './conversation-events.js';
import type { PreparedReplyHandle } from './prepared-reply.js';
import { turnCompletion } from './turn-completion.js';

/** Speech this soon after an early end (last voiced sound → new speech-start) continues the same turn. */
const RESUME_MS = 1000;

export type VoiceInputEvent =
  | { type: 'user.speech-started'; atMs: number; interruptedAgent: boolean }
  /** `early`: ended at a pause because its text reads as a finished turn, not after the hang-over. */
  | { type: 'user.speech-ended'; startMs: number; endMs: number; early?: true }
  | { type: 'user.transcript'; text: string; startMs: number; endMs: number }
  | { type: 'user.turn-failed'; code: string; message: string };

/** What voice input needs of a conversation (AgentConversation fits as is). */
export interface VoiceTurns<R> {
  /** Stops the agent mid-reply; true when it was speaking. */
  interrupt(): boolean;
  send(text: string): Promise<R>;
  /** Starts the reply to `text` ahead of its `send` (AgentConversation.prepare). */
  prepare?(text: string): PreparedReplyHandle | undefined;
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
  /**
   * End the turn at a pause when its text reads as complete (default true; needs pause events and a VAD with
   * `endUtterance`). false: every turn waits for the VAD's hang-over.
   */
  endTurnEarly?: boolean;
}

export class VoiceInput<R = TurnResult> {
  private chain: Promise<void> = Promise.resolve();
  private readonly controller = new AbortController();
  private finished = false;
  /** The open utterance's transcription, fed as the VAD hands its audio out. */
  private stream: SttStream | undefined;
  /** The open utterance's audio so far, for a new stream when the user goes on after a pause. */
  private heard: Int16Array[] = [];
  /** The stream finished at a pause: the utterance's text unless the user goes on. */
  private early: Promise<SttResult> | undefined;
  /** The reply started for the pause's text; dropped if the user goes on. */
  private prepared: PreparedReplyHandle | undefined;
  /** Counts the user's resumptions after a pause, so a late text does not prepare a reply to a stale one. */
  private resumed = 0;
  /** The VAD's speech-end being handled was asked for at a pause (`endUtterance`). */
  private endingEarly = false;
  /** The audio of an utterance ended early, for a continuation that starts soon after. */
  private carried: { pieces: Int16Array[]; endMs: number } | undefined;

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
    this.stream?.abort();
    this.stream = undefined;
    this.prepared?.discard();
    this.prepared = undefined;
    if (!this.finished) this.options.vad.dispose();
  }

  private handle(events: VadEvent[]): void {
    for (const event of events) {
      if (event.type === 'speech-start') {
        const carried = this.carried;
        this.carried = undefined;
        if (carried && event.atMs - carried.endMs <= RESUME_MS) this.heard = carried.pieces;
        const interruptedAgent = this.options.conversation.interrupt();
        this.emit({ type: 'user.speech-started', atMs: event.atMs, interruptedAgent });
      } else if (event.type === 'speech-audio') {
        const stt = this.options.stt;
        if (!stt.stream) continue;
        if (!this.stream) {
          this.stream = stt.stream(this.sttOptions());
          // The utterance so far: before a pause the user went on after, or a turn ended early they continue.
          for (const piece of this.heard) this.stream.push(piece);
          // More audio after a pause's finish: the user went on, so that text was not the utterance's.
          if (this.early) {
            this.resumed++;
            this.prepared?.discard();
            this.prepared = undefined;
          }
          this.early = undefined;
        }
        this.heard.push(event.audio);
        this.stream.push(event.audio);
      } else if (event.type === 'speech-pause') {
        if (!this.stream) continue;
        this.early = this.stream.finish();
        this.early.catch(() => {}); // awaited by the turn, or dropped if the user goes on
        this.stream = undefined;
        this.atPause(this.early);
      } else {
        this.emit({
          type: 'user.speech-ended',
          startMs: event.startMs,
          endMs: event.endMs,
          ...(this.endingEarly ? { early: true as const } : {}),
        });
        // Finished now, not when the turn's job runs: the recogniser works while earlier turns are answered.
        const result = this.early ?? this.stream?.finish();
        this.stream = undefined;
        this.early = undefined;
        this.prepared = undefined; // the turn's send commits it
        this.carried = this.endingEarly && result ? { pieces: this.heard, endMs: event.endMs } : undefined;
        this.heard = [];
        let text: () => Promise<SttResult>;
        if (result) {
          result.catch(() => {}); // awaited by the job
          text = () => result;
        } else if (event.audio) {
          const audio = event.audio;
          text = () => this.options.stt.transcribe(audio, this.sttOptions());
        } else continue;
        const job = () => this.turn(text, event.startMs, event.endMs);
        if (this.options.enqueue) this.options.enqueue(job);
        else this.chain = this.chain.then(job);
      }
    }
  }

  /** The pause's text: start the reply to it, and end the turn now if the text reads as a finished one. */
  private atPause(result: Promise<SttResult>): void {
    const resumed = this.resumed;
    result.then(
      ({ text }) => {
        // The user went on, or the input closed: the reply would answer words that are not the utterance.
        if (resumed !== this.resumed || this.controller.signal.aborted || !text.trim()) return;
        const handle = this.options.conversation.prepare?.(text);
        // Ready after the turn ended: its send has this text already, and takes the reply or drops it.
        if (this.early !== result) return;
        this.prepared = handle;
        const vad = this.options.vad;
        if (this.options.endTurnEarly === false || this.finished || !vad.endUtterance || !vad.speaking)
          return;
        if (turnCompletion(text, this.options.language) !== 'complete') return;
        this.endingEarly = true;
        try {
          this.handle(vad.endUtterance());
        } finally {
          this.endingEarly = false;
        }
      },
      () => {},
    );
  }

  private sttOptions() {
    return {
      signal: this.controller.signal,
      ...(this.options.language ? { language: this.options.language } : {}),
    };
  }

  private async turn(transcribe: () => Promise<SttResult>, startMs: number, endMs: number): Promise<void> {
    const signal = this.controller.signal;
    if (signal.aborted) return;
    try {
      const { text } = await transcribe();
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
