// The conversation runtime core, independent of servers and rooms. A user turn streams the LLM reply, cuts
// it into sentences as tokens arrive, and sends each sentence to TTS as soon as it is complete, so speech
// starts before the whole reply exists; audio segments go to the sink in order. `interrupt()` (barge-in)
// aborts the turn's signal, which stops the LLM and TTS calls, and marks the unsaid rest of the reply as
// interrupted in the transcript — "unsaid" meaning not yet played, as the sink reports with `markPlayed`.
import { randomUUID } from 'node:crypto';
import type { TTS, TtsResult } from '@agenthuman/media';
import type { ChatMessage, LLM } from '../llm/llm.js';
import { isAbortError, ProviderError } from '../provider-error.js';
import { hasPhonemes } from '../tts/speech-result.js';
import { trimLeadingSilence } from '../tts/trim-leading-silence.js';
import {
  type AgentProfile,
  agentProfileSchema,
  greetingFor,
  type ResolvedAgentProfile,
} from './agent-profile.js';
import { AsyncQueue } from './async-queue.js';
import type { AudioSegment, ConversationEvent, TurnResult, TurnTimings } from './conversation-events.js';
import { PreparedReply, type PreparedReplyHandle } from './prepared-reply.js';
import { SentenceChunker } from './sentence-splitter.js';
import { SystemPrompt } from './system-prompt.js';
import { copyMessage, type TranscriptMessage } from './transcript.js';

export interface AgentConversationOptions {
  agent: AgentProfile;
  llm: LLM;
  /** Absent for a text-only (chat) session. */
  tts?: TTS;
  /** Voice passed to every synthesis (e.g. the agent's `voice_id`). */
  voice?: string;
  /** The sink: receives each audio segment in order. A returned promise delays the next segment. */
  onAudio?: (segment: AudioSegment) => void | Promise<void>;
  onEvent?: (event: ConversationEvent) => void;
  /**
   * true: a segment counts as said only once `markPlayed(segment.id)` is called (the room reports playback);
   * false (default): once the sink has accepted it.
   */
  confirmPlayback?: boolean;
  /** Messages of this conversation said before (e.g. reloaded from storage after a restart), oldest first. */
  history?: TranscriptMessage[];
  /** Earlier messages the model sees (default 20). */
  maxHistoryMessages?: number;
  now?: () => number;
}

interface SegmentRecord {
  id: string;
  /** Offset in the reply text just past this segment's sentence. */
  endOffset: number;
  played: boolean;
}

/** Where a turn's reply comes from; `speech` has the first sentence's audio when it was prepared. */
interface ReplySource {
  text: (signal: AbortSignal, history: ChatMessage[]) => AsyncIterable<string>;
  speech?: (sentence: string) => Promise<TtsResult> | undefined;
  prepared?: boolean;
}

interface ActiveTurn {
  id: string;
  controller: AbortController;
  done: Promise<TurnResult>;
}

interface ReplyState {
  turnId: string;
  message: TranscriptMessage;
  fullText: string;
  segments: SegmentRecord[];
  /** Still generating or speaking. */
  open: boolean;
}

export class ConversationClosedError extends Error {
  readonly code = 'CONVERSATION_CLOSED';
  constructor() {
    super('the conversation has ended');
    this.name = 'ConversationClosedError';
  }
}

export class AgentConversation {
  readonly agent: ResolvedAgentProfile;
  private readonly options: AgentConversationOptions;
  private readonly messages: TranscriptMessage[] = [];
  private readonly systemPrompt: SystemPrompt;
  private readonly now: () => number;
  private active: ActiveTurn | undefined;
  /** The latest agent reply, kept so a barge-in after generation (while audio still plays) can mark it. */
  private lastReply: ReplyState | undefined;
  /** At most one reply generated ahead of its turn (`prepare`). */
  private prepared: PreparedReply | undefined;
  private turnCount = 0;
  private closed = false;

  constructor(options: AgentConversationOptions) {
    this.agent = agentProfileSchema.parse(options.agent);
    this.options = options;
    this.systemPrompt = new SystemPrompt(this.agent);
    this.now = options.now ?? (() => performance.timeOrigin + performance.now());
    for (const message of options.history ?? []) this.messages.push(copyMessage(message));
  }

  /** Copies of the transcript's messages, oldest first. */
  get transcript(): TranscriptMessage[] {
    return this.messages.map(copyMessage);
  }

  get busy(): boolean {
    return this.active !== undefined;
  }

  /** Says the greeting (custom_greeting, or one made from the agent's name) as the agent's first message. */
  greet(): Promise<TurnResult> {
    const text = greetingFor(this.agent);
    return this.startTurn(undefined, { text: () => singleChunk(text) }, true);
  }

  /** A user turn: interrupts any reply in progress, then answers. Rejects if the model fails. */
  send(userText: string): Promise<TurnResult> {
    const text = userText.trim();
    if (!text) {
      return Promise.reject(
        Object.assign(new Error('the message is empty'), { code: 'MESSAGE_EMPTY', field: 'text' }),
      );
    }
    let prepared: PreparedReply | undefined;
    const source: ReplySource = {
      text: (signal, history) => {
        prepared = this.takePrepared(text, history);
        if (prepared) source.prepared = true;
        return prepared ? prepared.take(signal) : this.options.llm.chat(history, { signal });
      },
      speech: (sentence) => prepared?.speechFor(sentence),
    };
    return this.startTurn(text, source, false);
  }

  /**
   * Starts the reply to `userText` now (LLM, and the first sentence's speech) without saying it: the next
   * `send` of the same text uses it if the conversation has not changed meanwhile, so the model and the voice
   * run while the user's pause is still being timed. A newer `prepare` replaces it; `discard()` drops it (the
   * user went on). Nothing is heard, emitted or written to the transcript until that `send`.
   */
  prepare(userText: string): PreparedReplyHandle | undefined {
    const text = userText.trim();
    if (!text || this.closed) return undefined;
    this.prepared?.discard();
    const history = this.history(text);
    const prepared = new PreparedReply({
      text,
      key: JSON.stringify(history),
      history,
      llm: this.options.llm,
      ...(this.options.tts ? { tts: this.options.tts } : {}),
      ...(this.options.voice ? { voice: this.options.voice } : {}),
    });
    this.prepared = prepared;
    return {
      text,
      discard: () => {
        if (this.prepared === prepared) this.prepared = undefined;
        prepared.discard();
      },
    };
  }

  /**
   * Barge-in: stops the turn in progress (its LLM and TTS calls abort; the turn's promise then resolves with
   * `interrupted: true`) and marks what was not yet heard as interrupted. With `confirmPlayback`, it also
   * applies to a finished reply whose audio has not all been played. Returns whether anything was cut off.
   */
  interrupt(): boolean {
    const active = this.active;
    if (active) {
      active.controller.abort(new DOMException('interrupted by the user', 'AbortError'));
      return true;
    }
    const reply = this.lastReply;
    if (!reply || reply.open || reply.message.interrupted) return false;
    if (this.options.tts && this.options.confirmPlayback && reply.segments.some((s) => !s.played)) {
      this.settleInterrupted(reply);
      this.emit({ type: 'turn.interrupted', turnId: reply.turnId, reply: copyMessage(reply.message) });
      return true;
    }
    return false;
  }

  /** The sink reports that a segment has been heard in full. */
  markPlayed(segmentId: string): void {
    const segment = this.lastReply?.segments.find((s) => s.id === segmentId);
    if (segment) segment.played = true;
  }

  /** Ends the conversation: stops the turn in progress and refuses new ones. */
  async close(): Promise<void> {
    this.closed = true;
    this.prepared?.discard();
    this.prepared = undefined;
    const active = this.active;
    this.interrupt();
    await active?.done.catch(() => {});
  }

  /** The prepared reply, if it answers this text with the same model input; any other is dropped. */
  private takePrepared(text: string, history: ChatMessage[]): PreparedReply | undefined {
    const prepared = this.prepared;
    this.prepared = undefined;
    if (prepared && prepared.text === text && prepared.key === JSON.stringify(history)) return prepared;
    prepared?.discard();
    return undefined;
  }

  private async startTurn(
    userText: string | undefined,
    source: ReplySource,
    greeting: boolean,
  ): Promise<TurnResult> {
    if (this.closed) throw new ConversationClosedError();
    const previous = this.active;
    if (previous) {
      this.interrupt();
      await previous.done.catch(() => {});
    }
    if (this.closed) throw new ConversationClosedError();
    const id = `turn_${++this.turnCount}`;
    const controller = new AbortController();
    const done = this.runTurn(id, controller.signal, userText, source, greeting);
    const turn: ActiveTurn = { id, controller, done };
    this.active = turn;
    try {
      return await done;
    } finally {
      if (this.active === turn) this.active = undefined;
    }
  }

  private async runTurn(
    turnId: string,
    signal: AbortSignal,
    userText: string | undefined,
    source: ReplySource,
    greeting: boolean,
  ): Promise<TurnResult> {
    const started = this.now();
    const since = () => Math.round((this.now() - started) * 10) / 10;
    const timings: Partial<TurnTimings> = {};
    const history = this.history(userText);
    let user: TranscriptMessage | undefined;
    if (userText !== undefined) {
      user = this.append({ role: 'user', text: userText, createdAt: iso(started), interrupted: false });
    }
    const reply: ReplyState = {
      turnId,
      message: {
        id: randomUUID(),
        role: 'agent',
        text: '',
        createdAt: iso(this.now()),
        interrupted: false,
        ...(greeting ? { greeting: true } : {}),
      },
      fullText: '',
      segments: [],
      open: true,
    };
    this.lastReply = reply;
    const text = source.text(signal, history);
    this.emit({
      type: 'turn.started',
      turnId,
      ...(userText === undefined ? {} : { userText }),
      ...(source.prepared ? { prepared: true as const } : {}),
    });

    const sentences = new AsyncQueue<{ index: number; text: string; endOffset: number }>();
    const speaking = this.options.tts
      ? this.speak(turnId, sentences, reply, signal, timings, since, source.speech)
      : undefined;
    const chunker = new SentenceChunker();
    let cursor = 0;
    let index = 0;
    const enqueue = (texts: string[]) => {
      for (const text of texts) {
        const at = reply.fullText.indexOf(text, cursor);
        cursor = at === -1 ? reply.fullText.length : at + text.length;
        this.emit({ type: 'sentence', turnId, index, text });
        sentences.push({ index: index++, text, endOffset: cursor });
      }
    };

    let failure: unknown;
    try {
      for await (const delta of text) {
        signal.throwIfAborted();
        if (!delta) continue;
        timings.firstTextMs ??= since();
        reply.fullText += delta;
        this.emit({ type: 'text.delta', turnId, delta });
        enqueue(chunker.push(delta));
      }
      signal.throwIfAborted();
      enqueue(chunker.flush());
      timings.textCompleteMs = since();
    } catch (error) {
      failure = error;
    } finally {
      sentences.close();
    }
    await speaking;
    reply.open = false;

    const interrupted = signal.aborted;
    if (failure && !interrupted) {
      // The model failed: keep what it did say, report the failure, and let the caller decide (HTTP 502, …).
      const code = failure instanceof ProviderError ? failure.code : 'LLM_FAILED';
      this.emit({
        type: 'turn.failed',
        turnId,
        code,
        message: (failure as Error)?.message ?? String(failure),
      });
      if (reply.fullText.trim()) this.settleInterrupted(reply);
      throw failure;
    }
    if (interrupted) this.settleInterrupted(reply);
    else this.settleComplete(reply);
    const result: TurnResult = {
      turnId,
      ...(user ? { user: copyMessage(user) } : {}),
      reply: copyMessage(reply.message),
      interrupted,
      timings: { ...timings, doneMs: since() },
    };
    this.emit(
      interrupted
        ? { type: 'turn.interrupted', turnId, reply: result.reply }
        : { type: 'turn.completed', turnId, reply: result.reply },
    );
    return result;
  }

  /** The TTS worker: one sentence at a time, in order, each handed to the sink as soon as it is ready. */
  private async speak(
    turnId: string,
    sentences: AsyncQueue<{ index: number; text: string; endOffset: number }>,
    reply: ReplyState,
    signal: AbortSignal,
    timings: Partial<TurnTimings>,
    since: () => number,
    prepared?: (sentence: string) => Promise<TtsResult> | undefined,
  ): Promise<void> {
    const tts = this.options.tts!;
    for await (const sentence of sentences) {
      if (signal.aborted) continue; // drain without speaking
      let audio: Awaited<ReturnType<TTS['synthesize']>>;
      try {
        audio = await (prepared?.(sentence.text) ??
          tts.synthesize(sentence.text, {
            signal,
            ...(this.options.voice ? { voice: this.options.voice } : {}),
          }));
      } catch (error) {
        if (signal.aborted || isAbortError(error, signal)) continue;
        // Not silent: the text stays in the transcript and the failure is reported.
        const code = (error as { code?: string })?.code ?? 'TTS_FAILED';
        this.emit({
          type: 'tts.failed',
          turnId,
          index: sentence.index,
          text: sentence.text,
          code,
          message: (error as Error)?.message ?? String(error),
        });
        continue;
      }
      if (signal.aborted) continue;
      // The reply's opening pause is only delay after the user stopped; later ones are the gaps between sentences.
      if (sentence.index === 0) audio = trimLeadingSilence(audio);
      const segment: AudioSegment = {
        id: `${turnId}:${sentence.index}`,
        turnId,
        index: sentence.index,
        text: sentence.text,
        sampleRate: 16000,
        pcm: audio.pcm,
        durationMs: (audio.pcm.length / 16000) * 1000,
        phonemes: hasPhonemes(audio) ? audio.phonemes : null,
      };
      const record: SegmentRecord = {
        id: segment.id,
        endOffset: sentence.endOffset,
        played: !this.options.confirmPlayback,
      };
      timings.firstAudioMs ??= since();
      reply.segments.push(record);
      this.emit({
        type: 'audio',
        turnId,
        index: sentence.index,
        segmentId: segment.id,
        durationMs: segment.durationMs,
      });
      try {
        await this.options.onAudio?.(segment);
      } catch (error) {
        record.played = false;
        this.emit({
          type: 'tts.failed',
          turnId,
          index: sentence.index,
          text: sentence.text,
          code: 'AUDIO_SINK_FAILED',
          message: (error as Error)?.message ?? String(error),
        });
      }
    }
  }

  private settleComplete(reply: ReplyState): void {
    reply.message.text = reply.fullText.trim();
    reply.message.interrupted = false;
    this.commit(reply);
  }

  /** Splits the reply into what was heard and what was not, and marks it interrupted. */
  private settleInterrupted(reply: ReplyState): void {
    let saidEnd = reply.fullText.length;
    if (this.options.tts) {
      saidEnd = 0;
      for (const segment of reply.segments) {
        if (!segment.played) break;
        saidEnd = segment.endOffset;
      }
    }
    reply.message.text = reply.fullText.slice(0, saidEnd).trim();
    reply.message.unsaidText = reply.fullText.slice(saidEnd).trim();
    reply.message.interrupted = true;
    this.commit(reply);
  }

  private commit(reply: ReplyState): void {
    if (!this.messages.includes(reply.message)) this.messages.push(reply.message);
  }

  private append(message: Omit<TranscriptMessage, 'id'>): TranscriptMessage {
    const full = { id: randomUUID(), ...message };
    this.messages.push(full);
    return full;
  }

  /** What the model sees: the system prompt, recent messages as they were heard, and the new message. */
  private history(userText: string | undefined): ChatMessage[] {
    if (userText === undefined) return [];
    const max = this.options.maxHistoryMessages ?? 20;
    const recent = this.messages
      .filter((m) => m.text)
      .slice(-max)
      .map((m): ChatMessage => ({ role: m.role === 'user' ? 'user' : 'assistant', content: m.text }));
    return [
      { role: 'system', content: this.systemPrompt.for(userText) },
      ...recent,
      { role: 'user', content: userText },
    ];
  }

  private emit(event: ConversationEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A listener's bug must not break the turn.
    }
  }
}

async function* singleChunk(text: string): AsyncGenerator<string> {
  yield text;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
