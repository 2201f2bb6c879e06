// A reply generated ahead of its turn. A voice turn ends after the VAD's hang-over, but the recogniser's text is
// usually ready at the pause before it; starting the LLM and the first sentence's speech there hides them inside
// the hang-over. The turn takes the prepared reply only if its text and the history the model saw are still the
// same (AgentConversation checks); otherwise, or if the user went on speaking, it is discarded and its calls abort.
import type { TTS, TtsResult } from '@agenthuman/media';
import type { ChatMessage, LLM } from '../llm/llm.js';
import { AsyncQueue } from './async-queue.js';
import { SentenceChunker } from './sentence-splitter.js';

/** What a caller of `AgentConversation.prepare` holds: drop the reply when the user goes on. */
export interface PreparedReplyHandle {
  readonly text: string;
  discard(): void;
}

export interface PreparedReplyOptions {
  text: string;
  /** The model's input as it was when prepared; the turn compares its own. */
  key: string;
  history: ChatMessage[];
  llm: LLM;
  tts?: TTS;
  voice?: string;
}

export class PreparedReply {
  readonly text: string;
  readonly key: string;
  private readonly controller = new AbortController();
  private readonly deltas = new AsyncQueue<string>();
  private failure: unknown;
  private firstSpeech: { text: string; audio: Promise<TtsResult> } | undefined;
  private taken = false;

  constructor(private readonly options: PreparedReplyOptions) {
    this.text = options.text;
    this.key = options.key;
    void this.generate();
  }

  /**
   * The reply's text for the turn that commits it, buffered deltas first. From here the turn owns the
   * generation: its abort (a barge-in) stops the prepared LLM and TTS calls.
   */
  async *take(signal: AbortSignal): AsyncGenerator<string> {
    this.taken = true;
    const stop = () => this.controller.abort(signal.reason);
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
    try {
      for await (const delta of this.deltas) yield delta;
      if (this.failure) throw this.failure;
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  /** The first sentence's speech, already under way, if `text` is that sentence. */
  speechFor(text: string): Promise<TtsResult> | undefined {
    return this.firstSpeech?.text === text ? this.firstSpeech.audio : undefined;
  }

  discard(): void {
    if (this.taken) return;
    this.controller.abort(new DOMException('the prepared reply was dropped', 'AbortError'));
  }

  private async generate(): Promise<void> {
    const { llm, history, tts } = this.options;
    const signal = this.controller.signal;
    const chunker = tts ? new SentenceChunker() : undefined;
    try {
      for await (const delta of llm.chat(history, { signal })) {
        signal.throwIfAborted();
        if (!delta) continue;
        this.deltas.push(delta);
        if (chunker && !this.firstSpeech) this.speakFirst(chunker.push(delta)[0]);
      }
      signal.throwIfAborted();
      if (chunker && !this.firstSpeech) this.speakFirst(chunker.flush()[0]);
    } catch (error) {
      this.failure = error;
    } finally {
      this.deltas.close();
    }
  }

  private speakFirst(sentence: string | undefined): void {
    if (!sentence || !this.options.tts) return;
    const audio = this.options.tts.synthesize(sentence, {
      signal: this.controller.signal,
      ...(this.options.voice ? { voice: this.options.voice } : {}),
    });
    audio.catch(() => {}); // awaited by the turn, or dropped with the reply
    this.firstSpeech = { text: sentence, audio };
  }
}
