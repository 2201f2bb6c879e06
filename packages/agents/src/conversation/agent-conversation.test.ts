import type { TtsOptions } from '@agenthuman/media';
import { afterEach, describe, expect, it } from 'vitest';
import { BuiltinResponder } from '../llm/builtin/builtin-responder.js';
import type { LLM } from '../llm/llm.js';
import { ProviderError } from '../provider-error.js';
import { type FakeHttpServer, startFakeHttpServer } from '../testing/fake-http-server.js';
import { fakeElevenLabs } from '../testing/fake-tts-apis.js';
import { ElevenLabsTTS } from '../tts/elevenlabs/elevenlabs-tts.js';
import { FliteSpeech } from '../tts/flite/flite-speech.js';
import { AgentConversation } from './agent-conversation.js';
import type { AudioSegment, ConversationEvent } from './conversation-events.js';

const agent = {
  name: 'Ava',
  context: 'You are Ava, the support assistant of Acme Bikes.',
  knowledge: `# Opening hours
The shop is open Monday to Saturday from 9 am to 6 pm. It is closed on Sundays.

# Repairs
A standard service costs 49 dollars and takes two days. Book a repair by phone or in the shop.

# E-bikes
We sell e-bikes from three brands. Test rides are free and take about twenty minutes.

# Rentals
City bikes can be rented for 15 dollars a day. A deposit of 100 dollars is needed.`,
};

let server: FakeHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('AgentConversation with the built-in responder and Flite', () => {
  it('holds a multi-turn FAQ conversation, speaking every sentence with phoneme timings', async () => {
    const segments: AudioSegment[] = [];
    const conversation = new AgentConversation({
      agent,
      llm: new BuiltinResponder(agent),
      tts: new FliteSpeech(),
      onAudio: (s) => {
        segments.push(s);
      },
    });
    const greeting = await conversation.greet();
    expect(greeting.reply).toMatchObject({
      role: 'agent',
      text: "Hello! I'm Ava. How can I help you today?",
      greeting: true,
    });

    const hours = await conversation.send('When are you open?');
    expect(hours.reply.text).toContain('Monday to Saturday from 9 am to 6 pm');
    const service = await conversation.send('How much does a bike service cost?');
    expect(service.reply.text).toContain('49 dollars');
    const followUp = await conversation.send('And how long does it take?');
    expect(followUp.reply.text).toContain('takes two days');
    const unknown = await conversation.send('Can you recommend a good pizza place?');
    expect(unknown.reply.text).toMatch(/^I'm sorry, I don't have information about that\./);

    const transcript = conversation.transcript;
    expect(transcript.map((m) => m.role)).toEqual([
      'agent',
      'user',
      'agent',
      'user',
      'agent',
      'user',
      'agent',
      'user',
      'agent',
    ]);
    expect(transcript.every((m) => !m.interrupted && !Number.isNaN(Date.parse(m.createdAt)))).toBe(true);
    // Every reply was spoken sentence by sentence (the first one clause first when it opens with one): the
    // segments' texts make up the reply, in order.
    for (const turn of [greeting, hours, service, followUp, unknown]) {
      const spoken = segments.filter((s) => s.turnId === turn.turnId);
      const sentences = [...new Set(spoken.map((s) => s.index))];
      expect(sentences).toEqual(sentences.map((_, i) => i));
      expect(spoken.map((s) => s.text).join(' ')).toBe(turn.reply.text);
      for (const s of spoken) {
        expect(s.phonemes!.at(-1)!.endMs).toBeCloseTo(s.durationMs, 3);
        expect(s.pcm.length).toBe(Math.round((s.durationMs / 1000) * 16000));
      }
    }
    expect(segments.filter((s) => s.turnId === hours.turnId).length).toBeGreaterThanOrEqual(2);
  });

  it('speaks a first sentence that opens with a clause in two pieces, the clause synthesised first', async () => {
    const segments: AudioSegment[] = [];
    const synthesised: string[] = [];
    const flite = new FliteSpeech();
    const tts = {
      provider: flite.provider,
      voices: flite.voices,
      synthesize: (text: string, options?: TtsOptions) => {
        synthesised.push(text);
        return flite.synthesize(text, options);
      },
    };
    const conversation = new AgentConversation({
      agent,
      llm: new BuiltinResponder(agent),
      tts,
      confirmPlayback: true,
      onAudio: (s) => {
        segments.push(s);
      },
    });
    const result = await conversation.send('Can you recommend a good pizza place?');
    expect(result.reply.text).toMatch(/^I'm sorry, I don't have information about that\. /);
    expect(synthesised.slice(0, 2)).toEqual(["I'm sorry,", "I don't have information about that."]);
    expect(segments.slice(0, 3).map((s) => [s.id, s.index, s.text])).toEqual([
      [`${result.turnId}:0`, 0, "I'm sorry,"],
      [`${result.turnId}:0.1`, 0, "I don't have information about that."],
      [`${result.turnId}:1`, 1, expect.stringMatching(/^I can /)],
    ]);
    // Both pieces of the first sentence open 10 ms before their first sound (the clause's own closing pause
    // is the gap between them); later sentences keep their voice's opening pause.
    const firstSound = (s: AudioSegment) => s.pcm.findIndex((v) => Math.abs(v) >= 100) / 16;
    expect(firstSound(segments[0]!)).toBe(10);
    expect(firstSound(segments[1]!)).toBe(10);
    expect(firstSound(segments[2]!)).toBeGreaterThan(100);
    // What was heard is cut at the piece the room played.
    conversation.markPlayed(segments[0]!.id);
    expect(conversation.interrupt()).toBe(true);
    expect(conversation.transcript.at(-1)).toMatchObject({
      interrupted: true,
      text: "I'm sorry,",
      unsaidText: expect.stringMatching(/^I don't have information about that\. I can /),
    });
  });

  it('starts speaking before the model has finished the reply', async () => {
    const segmentsAt: number[] = [];
    const started = performance.now();
    const conversation = new AgentConversation({
      agent,
      // A model that streams a word every 15 ms, like a remote LLM.
      llm: new BuiltinResponder({ ...agent, chunkDelayMs: 15 }),
      tts: new FliteSpeech(),
      onAudio: () => {
        segmentsAt.push(performance.now() - started);
      },
    });
    const result = await conversation.send('Tell me about your e-bikes and test rides.');
    expect(result.reply.text).toContain('Test rides are free');
    expect(result.timings.firstAudioMs).toBeLessThan(result.timings.textCompleteMs!);
    expect(segmentsAt[0]).toBeLessThan(result.timings.textCompleteMs!);
  });
});

describe('AgentConversation barge-in', () => {
  it('aborts the LLM and the in-flight TTS request and marks the unsaid rest interrupted', async () => {
    // The cloud voice (a fake ElevenLabs) takes 150 ms per sentence before its first byte.
    server = await startFakeHttpServer(fakeElevenLabs('k', () => ({ delayMs: 150 })));
    const events: ConversationEvent[] = [];
    const segments: AudioSegment[] = [];
    let interruptedAt = 0;
    const conversation = new AgentConversation({
      agent,
      llm: new BuiltinResponder(agent),
      tts: new ElevenLabsTTS({ apiKey: 'k', voiceId: 'v', baseUrl: server.url }),
      onEvent: (e) => events.push(e),
      onAudio: (segment) => {
        segments.push(segment);
        // Barge in while the second sentence is being synthesised.
        if (segments.length === 1) {
          setTimeout(() => {
            interruptedAt = performance.now();
            expect(conversation.interrupt()).toBe(true);
          }, 60);
        }
      },
    });
    const result = await conversation.send('Tell me about rentals');
    const settledMs = performance.now() - interruptedAt;
    expect(result.interrupted).toBe(true);
    expect(settledMs).toBeLessThan(200);
    expect(segments).toHaveLength(1);
    expect(segments[0]!.phonemes).toBeNull();
    expect(result.reply).toMatchObject({
      interrupted: true,
      text: 'City bikes can be rented for 15 dollars a day.',
      unsaidText: 'A deposit of 100 dollars is needed.',
    });
    expect(conversation.transcript.at(-1)).toEqual(result.reply);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.abortedResponses).toBe(1);
    expect(events.some((e) => e.type === 'turn.interrupted')).toBe(true);
    expect(events.some((e) => e.type === 'turn.completed')).toBe(false);
  });

  it('with confirmed playback, cuts a finished reply at the last segment the room played', async () => {
    const segments: AudioSegment[] = [];
    const conversation = new AgentConversation({
      agent,
      llm: new BuiltinResponder(agent),
      tts: new FliteSpeech(),
      confirmPlayback: true,
      onAudio: (s) => {
        segments.push(s);
      },
    });
    const result = await conversation.send('What are your opening hours?');
    expect(result.interrupted).toBe(false);
    expect(segments).toHaveLength(2);
    conversation.markPlayed(segments[0]!.id);
    expect(conversation.interrupt()).toBe(true);
    expect(conversation.transcript.at(-1)).toMatchObject({
      interrupted: true,
      text: 'The shop is open Monday to Saturday from 9 am to 6 pm.',
      unsaidText: 'It is closed on Sundays.',
    });
    // The model sees only what was heard.
    expect(conversation.interrupt()).toBe(false);
  });

  it('a new message while the agent is answering interrupts the old reply first', async () => {
    const conversation = new AgentConversation({
      agent,
      llm: new BuiltinResponder({ ...agent, chunkDelayMs: 20 }),
    });
    const first = conversation.send('Tell me about rentals');
    await new Promise((r) => setTimeout(r, 70));
    const second = await conversation.send('When are you open?');
    const firstResult = await first;
    expect(firstResult.interrupted).toBe(true);
    expect(firstResult.reply.text.length).toBeGreaterThan(0);
    expect(firstResult.reply.unsaidText).toBe('');
    expect(second.reply.text).toContain('Monday to Saturday');
    expect(conversation.transcript.map((m) => [m.role, m.interrupted])).toEqual([
      ['user', false],
      ['agent', true],
      ['user', false],
      ['agent', false],
    ]);
  });
});

describe('AgentConversation, text only and failures', () => {
  it('streams text deltas without TTS and uses a custom greeting', async () => {
    const deltas: string[] = [];
    const conversation = new AgentConversation({
      agent: { ...agent, customGreeting: 'Welcome to Acme Bikes!' },
      llm: new BuiltinResponder(agent),
      onEvent: (e) => {
        if (e.type === 'text.delta') deltas.push(e.delta);
      },
    });
    expect((await conversation.greet()).reply.text).toBe('Welcome to Acme Bikes!');
    deltas.length = 0;
    const reply = await conversation.send('Do you rent bikes?');
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.join('')).toBe(reply.reply.text);
    await expect(conversation.send('   ')).rejects.toMatchObject({ code: 'MESSAGE_EMPTY' });
  });

  it('reports a failing model as a rejected turn and an event, keeping the user message', async () => {
    const failing: LLM = {
      provider: 'broken',
      // biome-ignore lint/correctness/useYield: it fails before its first token
      async *chat() {
        throw new ProviderError('LLM', 'UNREACHABLE', 'broken', 'could not reach http://127.0.0.1:9');
      },
    };
    const events: ConversationEvent[] = [];
    const conversation = new AgentConversation({ agent, llm: failing, onEvent: (e) => events.push(e) });
    await expect(conversation.send('Hello?')).rejects.toMatchObject({ code: 'LLM_UNREACHABLE' });
    expect(events.at(-1)).toMatchObject({ type: 'turn.failed', code: 'LLM_UNREACHABLE' });
    expect(conversation.transcript.map((m) => m.role)).toEqual(['user']);
    expect(conversation.busy).toBe(false);
  });

  it('passes the system prompt with knowledge and the heard history to a real model', async () => {
    const seen: { role: string; content: string }[][] = [];
    const recording: LLM = {
      provider: 'recording',
      async *chat(messages) {
        seen.push([...messages]);
        yield 'Sure. ';
        yield 'Anything else?';
      },
    };
    const conversation = new AgentConversation({ agent, llm: recording });
    await conversation.send('first question');
    await conversation.send('second question');
    const [system, ...rest] = seen[1]!;
    expect(system!.role).toBe('system');
    expect(system!.content).toContain('You are Ava, the support assistant of Acme Bikes.');
    expect(system!.content).toContain('A standard service costs 49 dollars');
    expect(rest).toEqual([
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: 'Sure. Anything else?' },
      { role: 'user', content: 'second question' },
    ]);
  });
});
