// A reply generated ahead of its turn. A voice turn ends after the VAD's hang-over, but the recogniser's text is
// usually ready at the pause before it; starting the LLM and the first sentence's speech there hides them inside
// the hang-over. The turn takes the prepared reply only if its text and the history the model saw are still the
// same (AgentConversation checks); otherwise, or if the user went on speaking, it is discarded and its calls abort.
import type { TTS, TtsResult } from '@agenthuman/media';
import type { ChatMessage, LLM } from '../llm/llm.js';
import { AsyncQueue } from './async-queue.js';
import { firstSentencePieces } from './opening-clause.js';
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
  /** The first sentence's pieces (opening-clause.ts), each synthesised after the one before. */
  private firstSpeech: { text: string; audio: Promise<TtsResult> }[] | undefined;
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

  /** The speech of a piece of the first sentence, already under way, if `text` is that piece. */
  speechFor(text: string): Promise<TtsResult> | undefined {
    return this.firstSpeech?.find((piece) => piece.text === text)?.audio;
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
    const tts = this.options.tts;
    if (!sentence || !tts) return;
    const synthesize = (text: string) =>
      tts.synthesize(text, {
        signal: this.controller.signal,
        ...(this.options.voice ? { voice: this.options.voice } : {}),
      });
    let previous: Promise<unknown> = Promise.resolve();
    this.firstSpeech = firstSentencePieces(tts, sentence).map(({ text }) => {
      // One after the other: the opening clause must not wait behind the rest on one synthesiser.
      const audio = previous.then(
        () => synthesize(text),
        () => synthesize(text),
      );
      audio.catch(() => {}); // awaited by the turn, or dropped with the reply
      previous = audio;
      return { text, audio };
    });
  }
}
