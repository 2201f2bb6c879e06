// One turn, start to settle: the reply's text streams from its source, is cut into sentences as it arrives and
// each sentence goes to the speaker; when the text and the speech are done (or the turn's signal aborted) the
// reply is settled as completed, interrupted (what was heard / unsaid) or failed.
import type { TtsResult } from '@agenthuman/media';
import type { ChatMessage } from '../llm/llm.js';
import { ProviderError } from '../provider-error.js';
import { AsyncQueue } from './async-queue.js';
import type { ConversationEvent, TurnResult, TurnTimings } from './conversation-events.js';
import { type QueuedSentence, type ReplySpeakerOptions, speakReply } from './reply-speaker.js';
import { newReply, type ReplyState, settleComplete, settleInterrupted } from './reply-state.js';
import { SentenceChunker } from './sentence-splitter.js';
import { copyMessage, type TranscriptMessage } from './transcript.js';

/** Where a turn's reply comes from; `speech` has the first sentence's audio when it was prepared. */
export interface ReplySource {
  text: (signal: AbortSignal, history: ChatMessage[]) => AsyncIterable<string>;
  speech?: (sentence: string) => Promise<TtsResult> | undefined;
  prepared?: boolean;
}

/** What a turn needs of its conversation. */
export interface TurnHost {
  now: () => number;
  emit: (event: ConversationEvent) => void;
  /** Absent for a text-only conversation. */
  speaker: ReplySpeakerOptions | undefined;
  /** Adds the user's message to the transcript. */
  appendUser: (text: string, createdAt: string) => TranscriptMessage;
  /** The reply being made: the latest, which a barge-in after generation may still cut. */
  replyStarted: (reply: ReplyState) => void;
  /** Puts the settled reply in the transcript (once). */
  commit: (reply: ReplyState) => void;
}

export interface TurnRequest {
  turnId: string;
  signal: AbortSignal;
  userText: string | undefined;
  /** The model's input, taken before the user's message joined the transcript. */
  history: ChatMessage[];
  source: ReplySource;
  greeting: boolean;
}

export async function runTurn(host: TurnHost, request: TurnRequest): Promise<TurnResult> {
  const { turnId, signal, userText, source } = request;
  const started = host.now();
  const since = () => Math.round((host.now() - started) * 10) / 10;
  const timings: Partial<TurnTimings> = {};
  const user = userText === undefined ? undefined : host.appendUser(userText, iso(started));
  const reply = newReply(turnId, iso(host.now()), request.greeting);
  host.replyStarted(reply);
  const text = source.text(signal, request.history);
  host.emit({
    type: 'turn.started',
    turnId,
    ...(userText === undefined ? {} : { userText }),
    ...(source.prepared ? { prepared: true as const } : {}),
  });

  const sentences = new AsyncQueue<QueuedSentence>();
  const speaking = host.speaker
    ? speakReply(host.speaker, {
        turnId,
        sentences,
        reply,
        signal,
        timings,
        since,
        ...(source.speech ? { prepared: source.speech } : {}),
      })
    : undefined;
  const chunker = new SentenceChunker();
  let cursor = 0;
  let index = 0;
  const enqueue = (texts: string[]) => {
    for (const text of texts) {
      const at = reply.fullText.indexOf(text, cursor);
      cursor = at === -1 ? reply.fullText.length : at + text.length;
      host.emit({ type: 'sentence', turnId, index, text });
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
      host.emit({ type: 'text.delta', turnId, delta });
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
    host.emit({ type: 'turn.failed', turnId, code, message: (failure as Error)?.message ?? String(failure) });
    if (reply.fullText.trim()) {
      settleInterrupted(reply, host.speaker !== undefined);
      host.commit(reply);
    }
    throw failure;
  }
  if (interrupted) settleInterrupted(reply, host.speaker !== undefined);
  else settleComplete(reply);
  host.commit(reply);
  const result: TurnResult = {
    turnId,
    ...(user ? { user: copyMessage(user) } : {}),
    reply: copyMessage(reply.message),
    interrupted,
    timings: { ...timings, doneMs: since() },
  };
  host.emit(
    interrupted
      ? { type: 'turn.interrupted', turnId, reply: result.reply }
      : { type: 'turn.completed', turnId, reply: result.reply },
  );
  return result;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
