// The built-in default "LLM": no model and no outside service. It answers from the agent's knowledge (and the
// facts in its context, where legacy agents keep them) by sentence-level BM25 retrieval with synonyms, says plainly when it does not know, handles social turns, and carries the topic into follow-up
// questions ("and how much does it cost?"). Replies stream in word-sized chunks like a real model's tokens.
import { parseProviderOptions } from '../../provider-error.js';
import type { ChatMessage, ChatOptions, LLM } from '../llm.js';
import { type BuiltinResponderOptions, builtinResponderOptionsSchema } from './builtin-options.js';
import { contextFacts } from './context-facts.js';
import { KnowledgeRetriever, type Retrieved } from './knowledge-retriever.js';
import { describeCapabilities, describeSelf, knowledgeTopics } from './self-description.js';
import { readSocial, socialReplies } from './small-talk.js';
import { words } from './text-terms.js';

const FOLLOW_UP_START = /^(and|also|so|but|what about|how about|what if|then|plus|or)\b/;
const REFERS_BACK = /\b(it|its|that|this|they|them|those|these|one|ones)\b/;
/** How much a follow-up borrows from the previous topic. */
const TOPIC_WEIGHT = 0.5;

export class BuiltinResponder implements LLM {
  readonly provider = 'builtin';
  private readonly options: ReturnType<typeof builtinResponderOptionsSchema.parse>;
  private readonly retriever: KnowledgeRetriever;
  private readonly topics: string[];

  constructor(options: BuiltinResponderOptions = {}) {
    this.options = parseProviderOptions('LLM', 'builtin', builtinResponderOptionsSchema, options);
    const knowledge = [this.options.knowledge, contextFacts(this.options.context)]
      .filter(Boolean)
      .join('\n\n');
    this.retriever = new KnowledgeRetriever(knowledge, {
      minCoverage: this.options.minCoverage,
    });
    this.topics = knowledgeTopics(this.retriever.passages);
  }

  async *chat(messages: readonly ChatMessage[], options: ChatOptions = {}): AsyncGenerator<string> {
    options.signal?.throwIfAborted();
    const reply = this.reply(messages);
    for (const chunk of tokenChunks(reply)) {
      options.signal?.throwIfAborted();
      yield chunk;
      // Yield to the event loop between chunks, as a networked model would, so an abort can land mid-reply.
      await new Promise<void>((resolve) =>
        this.options.chunkDelayMs > 0
          ? setTimeout(resolve, this.options.chunkDelayMs)
          : setImmediate(resolve),
      );
    }
    options.signal?.throwIfAborted();
  }

  /** The whole reply to the last user message, given the conversation so far. */
  reply(messages: readonly ChatMessage[]): string {
    const users = messages.filter((m) => m.role === 'user').map((m) => m.content);
    const question = users[users.length - 1]?.trim() ?? '';
    if (!question) return socialReplies.greeting(this.options.name);
    const social = readSocial(question);
    const has = (intent: string) => social.intents.includes(intent as never);

    if (has('identity'))
      return `${describeSelf(this.options.name, this.options.context)} ${describeCapabilities(this.topics)}`;
    if (has('capabilities')) return describeCapabilities(this.topics);
    if (!social.hasQuestion) {
      if (has('goodbye')) return socialReplies.goodbye();
      if (has('thanks')) return socialReplies.thanks();
      if (has('how-are-you')) return socialReplies.howAreYou();
      if (has('greeting')) return socialReplies.greeting(this.options.name);
      if (has('ack')) return socialReplies.ack();
    }

    const found = this.answerTurn(users);
    const lead = has('greeting') ? 'Hello! ' : '';
    if (found.length === 0) return `${lead}${this.dontKnow()}`;
    const [first, ...more] = found.map((r) => r.sentences.join(' '));
    return `${lead}${[first, ...more.map((m) => `Also, ${lowerFirst(m)}`)].join(' ')}`;
  }

  private answerTurn(users: string[]): Retrieved[] {
    // Walk the user turns, carrying a topic forward through follow-ups; social-only turns leave it alone.
    let topic = new Map<string, number>();
    let query = new Map<string, number>();
    let focus = new Map<string, number>();
    for (const text of users) {
      const own = this.retriever.queryOf(text);
      if (own.size === 0) {
        // "How much is that one?" is all about the previous topic; "Thanks!" leaves the topic for later.
        const social = readSocial(text);
        const bare = social.intents.length === 0 || social.hasQuestion;
        query = bare ? topic : new Map();
        focus = query;
        continue;
      }
      const followUp = isFollowUp(text, own.size) && topic.size > 0;
      query = followUp ? merge(own, topic, TOPIC_WEIGHT) : own;
      // "How long does it take?" has only weak words of its own: the topic must carry it.
      const strong = new Map([...own].filter(([, w]) => w >= 1));
      focus = followUp && strong.size === 0 ? query : own;
      topic = query;
    }
    if (query.size === 0) return [];
    return this.retriever.search(query, focus);
  }

  private dontKnow(): string {
    const offer =
      this.topics.length > 0
        ? ` ${describeCapabilities(this.topics).replace('What would you like to know?', '').trim()}`
        : ' Could you rephrase your question, or ask me something else?';
    return `I'm sorry, I don't have information about that.${offer}`;
  }
}

function isFollowUp(text: string, ownTerms: number): boolean {
  const normal = words(text).join(' ');
  return FOLLOW_UP_START.test(normal) || (REFERS_BACK.test(normal) && ownTerms <= 3) || ownTerms <= 1;
}

function merge(own: Map<string, number>, topic: Map<string, number>, weight: number): Map<string, number> {
  const out = new Map(own);
  for (const [t, w] of topic) out.set(t, Math.max(out.get(t) ?? 0, w * weight));
  return out;
}

/** Lower-cases a leading function word ("The …" → "the …"); names and acronyms stay as they are. */
function lowerFirst(text: string): string {
  return /^(The|Our|We|You|Your|It|Its|This|These|There|All|Each|Every|A|An|Most|Some|If|For|To|In|On)\b/.test(
    text,
  )
    ? text[0]!.toLowerCase() + text.slice(1)
    : text;
}

/** Word-sized chunks with their leading space, as a tokenizer-based model streams them. */
export function tokenChunks(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}
