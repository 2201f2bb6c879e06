// Turns per-frame speech decisions into utterances: a start needs `minSpeechMs` of consecutive speech
// frames (one cough-length blip is not a turn) and is dated back to the first of them; an end needs
// `hangoverMs` of non-speech and is dated to the end of the last speech frame.
import { z } from 'zod';
import { parseProviderOptions } from '../provider-error.js';
import type { FrameClassifier, VAD, VadEvent } from './vad.js';

export const segmenterOptionsSchema = z.object({
  minSpeechMs: z.number().min(0).max(2000).default(60),
  hangoverMs: z.number().min(0).max(5000).default(600),
  /** Audio kept before the start and after the end of an utterance handed to STT. */
  paddingMs: z.number().min(0).max(1000).default(200),
  /** Longest utterance before it is ended regardless (default 30 s). */
  maxUtteranceMs: z.number().min(1000).max(300_000).default(30_000),
  keepAudio: z.boolean().default(true),
  /** Also hand the utterance's audio out while it is spoken (`speech-audio` events), for streaming STT. */
  streamAudio: z.boolean().default(false),
  /**
   * With streamAudio: a silence this long inside an utterance (shorter than the hangover) is reported as a
   * `speech-pause`, once per pause, after the audio that could still belong to the utterance has been handed
   * out: from `paddingMs` on, everything the utterance would end with has been. Unset: no pause events.
   */
  pauseMs: z.number().min(0).max(5000).optional(),
});

export type SegmenterOptions = z.input<typeof segmenterOptionsSchema>;

const RATE = 16000;

export class SpeechSegmenter implements VAD {
  readonly provider: string;
  private readonly o: z.output<typeof segmenterOptionsSchema>;
  private readonly frameMs: number;
  private readonly frame: Int16Array;
  private frameFill = 0;
  /** Frames classified so far. */
  private frameIndex = 0;
  private runStart = -1;
  private runLength = 0;
  private inSpeech = false;
  private speechStart = 0;
  private lastVoiced = 0;
  /** Recent audio (absolute sample `audioStart` onwards), for the utterance handed to STT. */
  private audio = new Int16Array(RATE * 4);
  private audioLength = 0;
  private audioStart = 0;
  /** With streamAudio: the absolute sample up to which the open utterance's audio has been handed out. */
  private streamedTo = 0;
  /** A speech-pause was reported for the current silence. */
  private paused = false;

  constructor(
    private readonly classifier: FrameClassifier,
    options: SegmenterOptions = {},
  ) {
    this.o = parseProviderOptions('VAD', classifier.provider, segmenterOptionsSchema, options);
    this.provider = classifier.provider;
    this.frame = new Int16Array(classifier.frameSamples);
    this.frameMs = (classifier.frameSamples / RATE) * 1000;
  }

  get speaking(): boolean {
    return this.inSpeech;
  }

  push(pcm: Int16Array): VadEvent[] {
    const events: VadEvent[] = [];
    if (this.o.keepAudio) this.keep(pcm);
    let at = 0;
    while (at < pcm.length) {
      const take = Math.min(this.frame.length - this.frameFill, pcm.length - at);
      this.frame.set(pcm.subarray(at, at + take), this.frameFill);
      this.frameFill += take;
      at += take;
      if (this.frameFill === this.frame.length) {
        this.frameFill = 0;
        this.step(this.classifier.isSpeech(this.frame), events);
      }
    }
    if (this.inSpeech && this.o.streamAudio && this.o.keepAudio) this.streamUpTo(this.certainEnd(), events);
    this.trimAudio();
    return events;
  }

  flush(): VadEvent[] {
    const events: VadEvent[] = [];
    if (this.inSpeech) this.end(events);
    this.frameFill = 0;
    return events;
  }

  endUtterance(): VadEvent[] {
    const events: VadEvent[] = [];
    if (this.inSpeech) this.end(events);
    return events;
  }

  reset(): void {
    this.classifier.reset();
    this.frameFill = 0;
    this.frameIndex = 0;
    this.runStart = -1;
    this.runLength = 0;
    this.inSpeech = false;
    this.audioLength = 0;
    this.audioStart = 0;
  }

  dispose(): void {
    this.classifier.dispose();
  }

  private step(voiced: boolean, events: VadEvent[]): void {
    const f = this.frameIndex++;
    const minFrames = Math.max(1, Math.ceil(this.o.minSpeechMs / this.frameMs));
    if (!this.inSpeech) {
      if (!voiced) {
        this.runStart = -1;
        this.runLength = 0;
        return;
      }
      if (this.runStart === -1) this.runStart = f;
      if (++this.runLength >= minFrames) {
        this.inSpeech = true;
        this.speechStart = this.runStart;
        this.lastVoiced = f;
        events.push({ type: 'speech-start', atMs: this.runStart * this.frameMs });
        this.streamedTo = this.utteranceFrom();
        this.paused = false;
      }
      return;
    }
    if (voiced) {
      this.lastVoiced = f;
      this.paused = false;
    }
    const silentMs = (f - this.lastVoiced) * this.frameMs;
    const longMs = (f + 1 - this.speechStart) * this.frameMs;
    if (silentMs >= this.o.hangoverMs || longMs >= this.o.maxUtteranceMs) this.end(events);
    else if (
      this.o.pauseMs !== undefined &&
      this.o.streamAudio &&
      !this.paused &&
      silentMs >= this.o.pauseMs
    ) {
      this.paused = true;
      if (this.o.keepAudio) this.streamUpTo(this.certainEnd(), events);
      events.push({ type: 'speech-pause', silentMs });
    }
  }

  /** Audio up to the last voiced frame plus the padding is in the utterance whenever it ends. */
  private certainEnd(): number {
    return Math.round((((this.lastVoiced + 1) * this.frameMs + this.o.paddingMs) / 1000) * RATE);
  }

  /** The absolute sample where the open utterance's audio (with its padding) begins. */
  private utteranceFrom(): number {
    const startMs = this.speechStart * this.frameMs;
    return Math.max(this.audioStart, Math.round(((startMs - this.o.paddingMs) / 1000) * RATE));
  }

  private end(events: VadEvent[]): void {
    const startMs = this.speechStart * this.frameMs;
    const endMs = (this.lastVoiced + 1) * this.frameMs;
    this.inSpeech = false;
    this.runStart = -1;
    this.runLength = 0;
    if (!this.o.keepAudio) {
      events.push({ type: 'speech-end', startMs, endMs });
      return;
    }
    const from = this.utteranceFrom();
    const to = Math.max(
      from,
      Math.min(this.audioStart + this.audioLength, Math.round(((endMs + this.o.paddingMs) / 1000) * RATE)),
    );
    if (this.o.streamAudio) this.streamUpTo(to, events);
    const audio = this.audio.slice(from - this.audioStart, to - this.audioStart);
    events.push({ type: 'speech-end', startMs, endMs, audio });
  }

  /** Hands out the open utterance's audio from where the last piece ended up to absolute sample `to`. */
  private streamUpTo(to: number, events: VadEvent[]): void {
    const end = Math.min(to, this.audioStart + this.audioLength);
    if (end <= this.streamedTo) return;
    events.push({
      type: 'speech-audio',
      audio: this.audio.slice(this.streamedTo - this.audioStart, end - this.audioStart),
    });
    this.streamedTo = end;
  }

  private keep(pcm: Int16Array): void {
    if (this.audioLength + pcm.length > this.audio.length) {
      const grown = new Int16Array(Math.max(this.audio.length * 2, this.audioLength + pcm.length));
      grown.set(this.audio.subarray(0, this.audioLength));
      this.audio = grown;
    }
    this.audio.set(pcm, this.audioLength);
    this.audioLength += pcm.length;
  }

  /** Outside speech, keep only what a coming utterance could need (its padding and pending start). */
  private trimAudio(): void {
    if (!this.o.keepAudio || this.inSpeech) return;
    const pendingFrames = this.runStart === -1 ? 0 : this.frameIndex - this.runStart;
    const keepMs = this.o.paddingMs + (pendingFrames + 1) * this.frameMs;
    const keep = Math.min(this.audioLength, Math.ceil((keepMs / 1000) * RATE) + this.frameFill);
    const drop = this.audioLength - keep;
    if (drop <= 0) return;
    this.audio.copyWithin(0, drop, this.audioLength);
    this.audioLength = keep;
    this.audioStart += drop;
  }
}
