import type { TTS } from '@agenthuman/media';
import { describe, expect, it } from 'vitest';
import { BuiltinResponder } from '../llm/builtin/builtin-responder.js';
import type { LLM } from '../llm/llm.js';
import { FliteSpeech } from '../tts/flite/flite-speech.js';
import { AgentConversation } from './agent-conversation.js';
import type { AudioSegment, ConversationEvent } from './conversation-events.js';

const agent = {
  name: 'Ava',
  knowledge: `# Opening hours
The shop is open Monday to Saturday from 9 am to 6 pm. It is closed on Sundays.

# Rentals
City bikes can be rented for 15 dollars a day. A deposit of 100 dollars is needed.`,
};

/** The real built-in responder and Flite, counting calls and keeping each call's signal. */
function counted(chunkDelayMs = 0) {
  const responder = new BuiltinResponder({ ...agent, chunkDelayMs });
  const flite = new FliteSpeech();
  const llmSignals: AbortSignal[] = [];
  const ttsTexts: string[] = [];
  const llm: LLM = {
    provider: 'builtin',
    chat: (messages, options) => {
      if (options?.signal) llmSignals.push(options.signal);
      return responder.chat(messages, options);
    },
  };
  const tts: TTS & { provider: string } = {
    provider: flite.provider,
    voices: flite.voices,
    synthesize: (text, options) => {
      ttsTexts.push(text);
      return flite.synthesize(text, options);
    },
  };
  return { llm, tts, llmSignals, ttsTexts };
}

function conversationWith(parts: ReturnType<typeof counted>) {
  const segments: AudioSegment[] = [];
  const events: ConversationEvent[] = [];
  const conversation = new AgentConversation({
    agent,
    llm: parts.llm,
    tts: parts.tts,
    onAudio: (s) => {
      segments.push(s);
    },
    onEvent: (e) => events.push(e),
  });
  return { conversation, segments, events };
}

const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

describe('AgentConversation.prepare (a reply started at the user pause)', () => {
  it('generates the reply and its first speech unheard, and speaks it when the same text is sent', async () => {
    const parts = counted();
    const { conversation, segments, events } = conversationWith(parts);
    conversation.prepare('When are you open?');
    await settle();
    // Generated and synthesised, but nothing said, emitted or written yet.
    expect(parts.llmSignals).toHaveLength(1);
    expect(parts.ttsTexts).toEqual(['The shop is open Monday to Saturday from 9 am to 6 pm.']);
    expect(segments).toHaveLength(0);
    expect(events).toHaveLength(0);
    expect(conversation.transcript).toHaveLength(0);

    const result = await conversation.send('When are you open?');
    expect(parts.llmSignals).toHaveLength(1); // no second model call
    expect(events[0]).toMatchObject({ type: 'turn.started', userText: 'When are you open?', prepared: true });
    expect(result.reply.text).toBe(
      'The shop is open Monday to Saturday from 9 am to 6 pm. It is closed on Sundays.',
    );
    expect(segments.map((s) => s.text)).toEqual([
      'The shop is open Monday to Saturday from 9 am to 6 pm.',
      'It is closed on Sundays.',
    ]);
    // The first sentence was synthesised once, at the pause; the opening pause is still cut.
    expect(parts.ttsTexts.filter((t) => t.startsWith('The shop'))).toHaveLength(1);
    expect(segments[0]!.pcm.length).toBeGreaterThan(0);
    expect(conversation.transcript.map((m) => m.role)).toEqual(['user', 'agent']);
  });

  it('prepares a first sentence that opens with a clause in its two pieces, the clause first', async () => {
    const parts = counted();
    const { conversation, segments } = conversationWith(parts);
    conversation.prepare('Can you recommend a pizza place?');
    await settle();
    expect(parts.ttsTexts).toEqual(["I'm sorry,", "I don't have information about that."]);
    await conversation.send('Can you recommend a pizza place?');
    // Both pieces come from the prepared speech: neither is synthesised again.
    expect(parts.ttsTexts.filter((t) => t === "I'm sorry,")).toHaveLength(1);
    expect(parts.ttsTexts.filter((t) => t.startsWith("I don't"))).toHaveLength(1);
    expect(segments.slice(0, 2).map((s) => s.text)).toEqual([
      "I'm sorry,",
      "I don't have information about that.",
    ]);
  });

  it('a discarded reply (the user went on) is never heard, and its model call aborts', async () => {
    const parts = counted(30);
    const { conversation, segments, events } = conversationWith(parts);
    const handle = conversation.prepare('When are you');
    await settle(40);
    handle?.discard();
    await settle();
    expect(parts.llmSignals[0]!.aborted).toBe(true);
    expect(segments).toHaveLength(0);
    expect(events).toHaveLength(0);

    const result = await conversation.send('When are you open?');
    expect(parts.llmSignals).toHaveLength(2);
    expect(events[0]).toMatchObject({ type: 'turn.started' });
    expect(events[0]).not.toHaveProperty('prepared');
    expect(result.reply.text).toContain('Monday to Saturday');
    expect(conversation.transcript.filter((m) => m.role === 'user').map((m) => m.text)).toEqual([
      'When are you open?',
    ]);
  });

  it('is dropped when another text is sent or the conversation changed since it was prepared', async () => {
    const parts = counted();
    const { conversation, events } = conversationWith(parts);
    conversation.prepare('Can I rent a bike?');
    const other = await conversation.send('When are you open?');
    expect(parts.llmSignals[0]!.aborted).toBe(true);
    expect(other.reply.text).toContain('Monday to Saturday');

    // Prepared, then a typed message answered first: the history the model saw is stale.
    conversation.prepare('Can I rent a bike?');
    await conversation.send('Are you open on Sundays?');
    const late = await conversation.send('Can I rent a bike?');
    expect(late.reply.text).toContain('15 dollars a day');
    expect(events.filter((e) => e.type === 'turn.started' && e.prepared)).toHaveLength(0);
    expect(parts.llmSignals).toHaveLength(5);
  });

  it('barge-in during a committed prepared reply stops its generation and keeps what was heard', async () => {
    const parts = counted(40);
    const { conversation } = conversationWith(parts);
    conversation.prepare('Can I rent a bike?');
    const turn = conversation.send('Can I rent a bike?');
    await settle(60);
    expect(conversation.interrupt()).toBe(true);
    const result = await turn;
    expect(result.interrupted).toBe(true);
    expect(parts.llmSignals).toHaveLength(1);
    expect(parts.llmSignals[0]!.aborted).toBe(true);
    expect(result.reply.interrupted).toBe(true);
    expect(`${result.reply.text} ${result.reply.unsaidText ?? ''}`.trim().length).toBeGreaterThan(0);
  });
});
