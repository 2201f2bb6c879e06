/**
 * @module Voice input of an agent voice/video session: the viewers' microphones (sent up through the room) →
 * 16 kHz → VAD → STT → a user turn. Speech-start interrupts the agent at once (barge-in), so the avatar stops
 * while the user is still talking; the transcript marks what it had not said yet.
 *
 * One VAD per viewer (two people on two devices do not merge into one utterance). Echo: the avatar's voice
 * played by the viewer's speakers comes back through the microphone; browsers cancel it (the room page asks
 * getUserMedia for `echoCancellation: true`), so the server does not try to tell echo from speech. A page
 * without AEC (or speakers loud enough to beat it) will interrupt the agent with its own voice.
 */
import {
  type PreparedReplyHandle,
  type STT,
  type VAD,
  VoiceInput,
  type VoiceInputEvent,
} from '@agenthuman/agents';
import { StreamingResampler } from '@agenthuman/media';

const VAD_RATE = 16_000;
/** More viewers than this speaking at once are ignored (each costs a VAD and a resampler). */
const MAX_SPEAKERS = 8;

export type VoiceEvent =
  | { type: 'speech-started'; viewerId: string; atMs: number; interruptedAgent: boolean }
  /**
   * The end of an utterance, on this process's clock: after the VAD's hang-over, or (`early`) at a pause whose
   * text read as a finished turn.
   */
  | { type: 'speech-ended'; viewerId: string; atMs: number; early?: true }
  | { type: 'transcript'; viewerId: string; text: string }
  | { type: 'failed'; viewerId: string; code: string; message: string };

/** What the listener needs of the conversation (SessionConversation). */
export interface VoiceTurns {
  interrupt(): boolean;
  send(text: string, options: { source: 'voice' }): Promise<unknown>;
  /** Starts the reply to a pause's text before the turn ends (committed by the next `send` of it). */
  prepare?(text: string): PreparedReplyHandle | undefined;
}

export interface VoiceListenerOptions {
  makeVad: () => Promise<VAD>;
  stt: STT;
  turns: VoiceTurns;
  language?: string;
  /** End a turn at a pause when its text reads as finished (VoiceInput's `endTurnEarly`). */
  endTurnEarly?: boolean;
  onEvent?: (event: VoiceEvent) => void;
  onError: (error: unknown) => void;
}

interface Speaker {
  input: VoiceInput<unknown> | undefined;
  resampler: StreamingResampler | undefined;
}

/**
 * The agents package's VoiceInput per viewer (VAD, barge-in, transcription, turn), fed at 16 kHz whatever rate
 * the viewer's audio decodes at; the viewers' turns share one queue.
 */
export class VoiceListener {
  private readonly speakers = new Map<string, Speaker>();
  /** Inputs of viewers who left, still answering what they said last. */
  private readonly leaving = new Set<VoiceInput<unknown>>();
  private closed = false;
  /** Transcriptions and turns, in the order the utterances ended. */
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: VoiceListenerOptions) {}

  /** One chunk of a viewer's microphone, any rate (libwebrtc decodes at 48 kHz). */
  push(viewerId: string, samples: Int16Array, sampleRate: number): void {
    if (this.closed || samples.length === 0) return;
    let speaker = this.speakers.get(viewerId);
    if (!speaker) {
      if (this.speakers.size >= MAX_SPEAKERS) return;
      speaker = { input: undefined, resampler: undefined };
      this.speakers.set(viewerId, speaker);
      const made = speaker;
      // The first few chunks pass while the VAD loads (a one-off of a few ms): nobody starts a sentence then.
      this.options.makeVad().then(
        (vad) => {
          if (this.closed || this.speakers.get(viewerId) !== made) vad.dispose();
          else made.input = this.inputFor(viewerId, vad);
        },
        (error) => {
          this.speakers.delete(viewerId);
          this.options.onError(error);
        },
      );
    }
    if (!speaker.input) return;
    if (speaker.resampler?.inRate !== sampleRate) {
      speaker.resampler = sampleRate === VAD_RATE ? undefined : new StreamingResampler(sampleRate, VAD_RATE);
    }
    const pcm = speaker.resampler ? speaker.resampler.push(samples) : samples;
    if (pcm.length) speaker.input.push(pcm);
  }

  /** A viewer left: an utterance in progress is still answered. */
  drop(viewerId: string): void {
    const speaker = this.speakers.get(viewerId);
    if (!speaker) return;
    this.speakers.delete(viewerId);
    if (!speaker.input) return;
    const input = speaker.input;
    this.leaving.add(input);
    input.finish();
    // Its last turn is on the shared queue by now; once that is answered the input is done with.
    this.chain = this.chain.then(() => {
      this.leaving.delete(input);
    });
  }

  /** Waits for the utterances heard so far to be transcribed and answered. */
  idle(): Promise<void> {
    return this.chain;
  }

  close(): void {
    this.closed = true;
    for (const speaker of this.speakers.values()) speaker.input?.close();
    for (const input of this.leaving) input.close();
    this.speakers.clear();
    this.leaving.clear();
  }

  private inputFor(viewerId: string, vad: VAD): VoiceInput<unknown> {
    const turns = this.options.turns;
    return new VoiceInput<unknown>({
      vad,
      stt: this.options.stt,
      conversation: {
        interrupt: () => turns.interrupt(),
        send: (text) => turns.send(text, { source: 'voice' }),
        ...(turns.prepare ? { prepare: (text: string) => turns.prepare?.(text) } : {}),
      },
      ...(this.options.language ? { language: this.options.language } : {}),
      ...(this.options.endTurnEarly === undefined ? {} : { endTurnEarly: this.options.endTurnEarly }),
      enqueue: (job) => {
        this.chain = this.chain.then(job);
      },
      onEvent: (event) => this.forward(viewerId, event),
    });
  }

  private forward(viewerId: string, event: VoiceInputEvent): void {
    let out: VoiceEvent | undefined;
    // Barge-in is timed on this process's clock (the VAD's own times count from the viewer's first sample).
    if (event.type === 'user.speech-started')
      out = {
        type: 'speech-started',
        viewerId,
        atMs: performance.now(),
        interruptedAgent: event.interruptedAgent,
      };
    else if (event.type === 'user.speech-ended')
      out = {
        type: 'speech-ended',
        viewerId,
        atMs: performance.now(),
        ...(event.early ? { early: true as const } : {}),
      };
    else if (event.type === 'user.transcript') out = { type: 'transcript', viewerId, text: event.text };
    else if (event.type === 'user.turn-failed')
      out = { type: 'failed', viewerId, code: event.code, message: event.message };
    // VoiceInput keeps a listener's exceptions from stopping it.
    if (out) this.options.onEvent?.(out);
  }
}
