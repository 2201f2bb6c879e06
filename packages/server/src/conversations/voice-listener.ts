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
import type { STT, VAD, VadEvent } from '@agenthuman/agents';
import { StreamingResampler } from '@agenthuman/engine';

const VAD_RATE = 16_000;
/** More viewers than this speaking at once are ignored (each costs a VAD and a resampler). */
const MAX_SPEAKERS = 8;

export type VoiceEvent =
  | { type: 'speech-started'; viewerId: string; atMs: number; interruptedAgent: boolean }
  | { type: 'transcript'; viewerId: string; text: string }
  | { type: 'failed'; viewerId: string; code: string; message: string };

/** What the listener needs of the conversation (SessionConversation). */
export interface VoiceTurns {
  interrupt(): boolean;
  send(text: string, options: { source: 'voice' }): Promise<unknown>;
}

export interface VoiceListenerOptions {
  makeVad: () => Promise<VAD>;
  stt: STT;
  turns: VoiceTurns;
  language?: string;
  onEvent?: (event: VoiceEvent) => void;
  onError: (error: unknown) => void;
}

interface Speaker {
  vad: VAD | undefined;
  resampler: StreamingResampler | undefined;
}

export class VoiceListener {
  private readonly speakers = new Map<string, Speaker>();
  private readonly controller = new AbortController();
  /** Transcriptions and turns, in the order the utterances ended. */
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: VoiceListenerOptions) {}

  /** One chunk of a viewer's microphone, any rate (libwebrtc decodes at 48 kHz). */
  push(viewerId: string, samples: Int16Array, sampleRate: number): void {
    if (this.controller.signal.aborted || samples.length === 0) return;
    let speaker = this.speakers.get(viewerId);
    if (!speaker) {
      if (this.speakers.size >= MAX_SPEAKERS) return;
      speaker = { vad: undefined, resampler: undefined };
      this.speakers.set(viewerId, speaker);
      const made = speaker;
      // The first few chunks pass while the VAD loads (a one-off of a few ms): nobody starts a sentence then.
      this.options.makeVad().then(
        (vad) => {
          if (this.controller.signal.aborted || this.speakers.get(viewerId) !== made) vad.dispose();
          else made.vad = vad;
        },
        (error) => {
          this.speakers.delete(viewerId);
          this.options.onError(error);
        },
      );
    }
    if (!speaker.vad) return;
    if (speaker.resampler?.inRate !== sampleRate) {
      speaker.resampler = sampleRate === VAD_RATE ? undefined : new StreamingResampler(sampleRate, VAD_RATE);
    }
    const pcm = speaker.resampler ? speaker.resampler.push(samples) : samples;
    if (pcm.length) this.handle(viewerId, speaker.vad.push(pcm));
  }

  /** A viewer left: an utterance in progress is still answered. */
  drop(viewerId: string): void {
    const speaker = this.speakers.get(viewerId);
    if (!speaker) return;
    this.speakers.delete(viewerId);
    if (speaker.vad) {
      this.handle(viewerId, speaker.vad.flush());
      speaker.vad.dispose();
    }
  }

  /** Waits for the utterances heard so far to be transcribed and answered. */
  idle(): Promise<void> {
    return this.chain;
  }

  close(): void {
    this.controller.abort();
    for (const speaker of this.speakers.values()) speaker.vad?.dispose();
    this.speakers.clear();
  }

  private handle(viewerId: string, events: VadEvent[]): void {
    for (const event of events) {
      if (event.type === 'speech-start') {
        const atMs = performance.now();
        const interruptedAgent = this.options.turns.interrupt();
        this.emit({ type: 'speech-started', viewerId, atMs, interruptedAgent });
      } else if (event.audio) {
        const audio = event.audio;
        this.chain = this.chain.then(() => this.turn(viewerId, audio));
      }
    }
  }

  private async turn(viewerId: string, audio: Int16Array): Promise<void> {
    const signal = this.controller.signal;
    if (signal.aborted) return;
    try {
      const { text } = await this.options.stt.transcribe(audio, {
        signal,
        ...(this.options.language ? { language: this.options.language } : {}),
      });
      if (!text.trim() || signal.aborted) return;
      this.emit({ type: 'transcript', viewerId, text });
      await this.options.turns.send(text, { source: 'voice' });
    } catch (error) {
      if (signal.aborted) return;
      this.emit({
        type: 'failed',
        viewerId,
        code: (error as { code?: string })?.code ?? 'VOICE_TURN_FAILED',
        message: (error as Error)?.message ?? String(error),
      });
    }
  }

  private emit(event: VoiceEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A listener's bug must not stop listening.
    }
  }
}
