/**
 * @module One agent session's conversation: an AgentConversation whose transcript is written to the store as
 * it happens (the user's message when the turn starts, the reply when it is settled, and again if a barge-in
 * later cuts it off), and whose speech goes to the session's output, if it has one.
 *
 * Turns run one at a time. A new message while a reply is in progress interrupts that reply (its request then
 * answers with `interrupted: true` and the unsaid rest), then is answered. Events of the turn in progress go to
 * the listener of the request that started it (a streamed reply).
 */
import { randomUUID } from 'node:crypto';
import type {
  AgentConversation,
  ConversationEvent,
  PreparedReplyHandle,
  TranscriptMessage,
  TtsFallbackEvent,
} from '@agenthuman/agents';
import type { MessageRow, NewMessage, Store } from '@agenthuman/store';
import type { AgentSpeechOutput } from './speech-output.js';
import { type VoiceEvent, VoiceListener, type VoiceListenerOptions } from './voice-listener.js';

export type TurnListener = (event: ConversationEvent) => void;
export type MessageSource = 'text' | 'voice';

export type SessionConversationOptions = {
  sessionId: string;
  store: Store;
  create: (hooks: {
    onEvent: (event: ConversationEvent) => void;
    onFallback: (event: TtsFallbackEvent) => void;
    history: TranscriptMessage[];
  }) => AgentConversation;
  output: AgentSpeechOutput | undefined;
  history: MessageRow[];
  /** Listen to the room's microphones (voice and video sessions whose output has a room). */
  voice?: Pick<VoiceListenerOptions, 'makeVad' | 'stt' | 'language' | 'endTurnEarly'>;
  onError: (error: unknown) => void;
};

export type SentMessage = { message: MessageRow; reply: MessageRow; interrupted: boolean };

export class SessionConversation {
  readonly sessionId: string;
  readonly output: AgentSpeechOutput | undefined;
  private readonly conversation: AgentConversation;
  private readonly store: Store;
  private readonly onError: (error: unknown) => void;
  /** Store writes, in order (the reply is never written before the message it answers). */
  private writes: Promise<unknown> = Promise.resolve();
  /** Turns, one at a time. */
  private turns: Promise<unknown> = Promise.resolve();
  private listener: TurnListener | undefined;
  private pendingUser: { source: MessageSource; saved?: Promise<MessageRow> } | undefined;
  private readonly saved = new Map<string, Promise<MessageRow>>();
  private greeted: boolean;
  private readonly detach: (() => void)[] = [];
  private closed = false;
  /** Whether the last interrupt cut anything off (set by the output's interrupted event). */
  private cutOff = false;
  private readonly voice: VoiceListener | undefined;
  private readonly voiceListeners = new Set<(event: VoiceEvent) => void>();
  private readonly turnListeners = new Set<TurnListener>();

  constructor(options: SessionConversationOptions) {
    this.sessionId = options.sessionId;
    this.store = options.store;
    this.output = options.output;
    this.onError = options.onError;
    this.greeted = options.history.length > 0;
    this.conversation = options.create({
      onEvent: (event) => this.handle(event),
      onFallback: (event) => this.emit(event),
      history: options.history.map(toTranscript),
    });
    const output = options.output;
    if (output) {
      this.detach.push(output.onPlayed((id) => this.conversation.markPlayed(id)));
      // The avatar's interrupt, from any source, is the one interrupt: the agent's turn observes it here.
      this.detach.push(
        output.onInterrupted(() => {
          this.cutOff = this.conversation.interrupt() || this.cutOff;
        }),
      );
      this.detach.push(output.onViewerJoined(() => void this.greet().catch(this.onError)));
    }
    if (output?.onViewerAudio && options.voice) {
      const voice = new VoiceListener({
        ...options.voice,
        turns: this,
        onError: this.onError,
        onEvent: (event) => {
          for (const listener of this.voiceListeners) listener(event);
        },
      });
      this.voice = voice;
      this.detach.push(output.onViewerAudio((c) => voice.push(c.viewerId, c.samples, c.sampleRate)));
      if (output.onViewerLeft) this.detach.push(output.onViewerLeft((id) => voice.drop(id)));
    }
  }

  /** Voice input events (speech started, what was recognised, failures); returns the unsubscribe. */
  onVoice(listener: (event: VoiceEvent) => void): () => void {
    this.voiceListeners.add(listener);
    return () => this.voiceListeners.delete(listener);
  }

  /** Every turn's events, whoever started the turn (voice turns have no request listener); returns the unsubscribe. */
  onTurnEvent(listener: TurnListener): () => void {
    this.turnListeners.add(listener);
    return () => this.turnListeners.delete(listener);
  }

  /** Whether the session listens to its viewers' microphones. */
  get listening(): boolean {
    return this.voice !== undefined;
  }

  /** Says the greeting once, as the first message (chat: at once; voice/video: when a viewer is there). */
  greet(): Promise<void> {
    if (this.greeted || this.closed) return Promise.resolve();
    this.greeted = true;
    return this.enqueue(async () => {
      await this.conversation.greet();
      await this.writes;
    });
  }

  /** A user turn; a reply in progress is interrupted first. `listener` receives this turn's events. */
  send(
    text: string,
    options: { source?: MessageSource; listener?: TurnListener } = {},
  ): Promise<SentMessage> {
    this.greeted = true;
    this.interrupt();
    return this.enqueue(async () => {
      this.listener = options.listener;
      this.pendingUser = { source: options.source ?? 'text' };
      try {
        const result = await this.conversation.send(text);
        const pending = this.pendingUser;
        const message = await pending.saved!;
        const reply = await this.saveReply(result.reply);
        await this.writes;
        return { message, reply, interrupted: result.interrupted };
      } finally {
        this.listener = undefined;
        this.pendingUser = undefined;
      }
    });
  }

  /**
   * A voice turn's reply started at the user's pause (AgentConversation.prepare): generated now, said only if
   * the `send` of the same text comes before anything else changes the conversation.
   */
  prepare(text: string): PreparedReplyHandle | undefined {
    if (this.closed) return undefined;
    return this.conversation.prepare(text);
  }

  /** Barge-in: the avatar stops now; what it had not said yet is marked unsaid. */
  interrupt(): boolean {
    if (!this.output) return this.conversation.interrupt();
    this.cutOff = false;
    // The output's interrupted event reaches the conversation before this returns.
    this.output.interrupt();
    return this.cutOff;
  }

  get busy(): boolean {
    return this.conversation.busy;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const off of this.detach) off();
    this.voice?.close();
    this.voiceListeners.clear();
    this.turnListeners.clear();
    this.output?.interrupt();
    await this.conversation.close();
    await this.turns.catch(() => {});
    await this.writes.catch(() => {});
    this.output?.close();
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turns.then(work, work);
    this.turns = run.catch(() => {});
    return run;
  }

  private handle(event: ConversationEvent): void {
    // Between the user's words and the first sentence of the reply the agent is thinking (LLM, then TTS).
    if (event.type === 'turn.started') this.output?.showThinking?.();
    if (event.type === 'turn.started' && event.userText !== undefined && this.pendingUser) {
      this.pendingUser.saved = this.write({
        id: randomUUID(),
        sessionId: this.sessionId,
        role: 'user',
        text: event.userText,
        source: this.pendingUser.source,
        createdAt: new Date(),
      });
    } else if (event.type === 'turn.completed' || event.type === 'turn.interrupted') {
      // Also a reply cut off after its turn ended (its audio was still playing): stored again, updated.
      void this.saveReply(event.reply).catch(this.onError);
    }
    this.emit(event);
  }

  private emit(event: ConversationEvent): void {
    for (const listener of [this.listener, ...this.turnListeners]) {
      try {
        listener?.(event);
      } catch {
        // A disconnected stream (or an observer's bug) must not break the turn.
      }
    }
  }

  /** Writes the settled reply once per version (the event and the turn's result name the same one). */
  private saveReply(reply: TranscriptMessage): Promise<MessageRow> {
    const key = `${reply.id}:${reply.interrupted}:${reply.text.length}`;
    let saved = this.saved.get(key);
    if (!saved) {
      saved = this.write({
        id: reply.id,
        sessionId: this.sessionId,
        role: 'agent',
        text: reply.text,
        interrupted: reply.interrupted,
        unsaidText: reply.interrupted ? (reply.unsaidText ?? '') : null,
        greeting: reply.greeting ?? false,
        createdAt: new Date(reply.createdAt),
      });
      this.saved.set(key, saved);
    }
    return saved;
  }

  private write(message: NewMessage): Promise<MessageRow> {
    const run = this.writes.then(() => this.store.messages.save(message));
    this.writes = run.catch(this.onError);
    return run;
  }
}

function toTranscript(row: MessageRow): TranscriptMessage {
  return {
    id: row.id,
    role: row.role,
    text: row.text,
    createdAt: row.createdAt.toISOString(),
    interrupted: row.interrupted,
    ...(row.unsaidText ? { unsaidText: row.unsaidText } : {}),
    ...(row.greeting ? { greeting: true } : {}),
  };
}
