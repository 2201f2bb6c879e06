// The conversation runtime core, independent of servers and rooms. A user turn streams the LLM reply, cuts
// it into sentences as tokens arrive, and sends each sentence to TTS as soon as it is complete, so speech
// starts before the whole reply exists; audio segments go to the sink in order. `interrupt()` (barge-in)
// aborts the turn's signal, which stops the LLM and TTS calls, and marks the unsaid rest of the reply as
// interrupted in the transcript — "unsaid" meaning not yet played, as the sink reports with `markPlayed`.
// This class holds the transcript and the one turn in progress; a turn's run is run-turn.ts, its speech
// reply-speaker.ts, the heard/unsaid split reply-state.ts, a reply made ahead of its turn prepared-reply.ts.
import { randomUUID } from 'node:crypto';
import type { TTS } from '@agenthuman/media';
import type { ChatMessage, LLM } from '../llm/llm.js';
import {
  type AgentProfile,
  agentProfileSchema,
  greetingFor,
  type ResolvedAgentProfile,
} from './agent-profile.js';
import type { AudioSegment, ConversationEvent, TurnResult } from './conversation-events.js';
import { PreparedReply, type PreparedReplyHandle } from './prepared-reply.js';
import { type ReplyState, settleInterrupted } from './reply-state.js';
import { type ReplySource, runTurn, type TurnHost } from './run-turn.js';
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

interface ActiveTurn {
  id: string;
  controller: AbortController;
  done: Promise<TurnResult>;
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
  private readonly turnHost: TurnHost;

  constructor(options: AgentConversationOptions) {
    this.agent = agentProfileSchema.parse(options.agent);
    this.options = options;
    this.systemPrompt = new SystemPrompt(this.agent);
    this.now = options.now ?? (() => performance.timeOrigin + performance.now());
    for (const message of options.history ?? []) this.messages.push(copyMessage(message));
    const emit = (event: ConversationEvent) => this.emit(event);
    this.turnHost = {
      now: this.now,
      emit,
      speaker: options.tts
        ? {
            tts: options.tts,
            emit,
            ...(options.voice ? { voice: options.voice } : {}),
            ...(options.onAudio ? { onAudio: options.onAudio } : {}),
            ...(options.confirmPlayback ? { confirmPlayback: true } : {}),
          }
        : undefined,
      appendUser: (text, createdAt) => {
        const message: TranscriptMessage = {
          id: randomUUID(),
          role: 'user',
          text,
          createdAt,
          interrupted: false,
        };
        this.messages.push(message);
        return message;
      },
      replyStarted: (reply) => {
        this.lastReply = reply;
      },
      commit: (reply) => this.commit(reply),
    };
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
      settleInterrupted(reply, true);
      this.commit(reply);
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
    const done = runTurn(this.turnHost, {
      turnId: id,
      signal: controller.signal,
      userText,
      history: this.history(userText),
      source,
      greeting,
    });
    const turn: ActiveTurn = { id, controller, done };
    this.active = turn;
    try {
      return await done;
    } finally {
      if (this.active === turn) this.active = undefined;
    }
  }

  private commit(reply: ReplyState): void {
    if (!this.messages.includes(reply.message)) this.messages.push(reply.message);
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
