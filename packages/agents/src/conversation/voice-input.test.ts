import { describe, expect, it } from 'vitest';
import { BuiltinResponder } from '../llm/builtin/builtin-responder.js';
import { PocketsphinxSTT } from '../stt/pocketsphinx/pocketsphinx-stt.js';
import type { STT } from '../stt/stt.js';
import { FliteSpeech } from '../tts/flite/flite-speech.js';
import { createVAD } from '../vad/create-vad.js';
import { AgentConversation } from './agent-conversation.js';
import type { AudioSegment, TurnResult } from './conversation-events.js';
import { VoiceInput, type VoiceInputEvent } from './voice-input.js';

const agent = {
  name: 'Sam',
  knowledge: `The museum opens at ten in the morning and closes at five in the evening.

Tickets cost twelve dollars for adults. Tickets for children under twelve cost nothing.`,
};

describe('VoiceInput (real VAD, real pocketsphinx, built-in responder, Flite)', () => {
  it('interrupts the speaking agent when the user starts talking, then answers what they said', async () => {
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
    // The agent has said its two-sentence answer, but the room has played only the first sentence.
    const first = await conversation.send('How much are tickets?');
    expect(first.reply.text).toContain('twelve dollars');
    // Two sentences, so one is still unplayed when the user barges in.
    expect(segments.length).toBeGreaterThanOrEqual(2);
    conversation.markPlayed(segments[0]!.id);

    const events: VoiceInputEvent[] = [];
    const turns: TurnResult[] = [];
    const input = new VoiceInput({
      vad: await createVAD(),
      stt: new PocketsphinxSTT(),
      conversation,
      onEvent: (e) => events.push(e),
      onTurn: (t) => turns.push(t),
    });
    const question = await new FliteSpeech().synthesize('When does the museum open in the morning?');
    const mic = new Int16Array(16000 + question.pcm.length + 16000);
    mic.set(question.pcm, 16000);
    for (let at = 0; at < mic.length; at += 320) input.push(mic.subarray(at, at + 320));
    await input.idle();

    expect(events[0]).toMatchObject({ type: 'user.speech-started', interruptedAgent: true });
    const cut = conversation.transcript[1]!;
    expect(cut).toMatchObject({
      role: 'agent',
      interrupted: true,
      text: 'Tickets cost twelve dollars for adults.',
    });
    expect(cut.unsaidText).toBe('Tickets for children under twelve cost nothing.');

    const heard = events.find((e) => e.type === 'user.transcript');
    expect(heard && 'text' in heard ? heard.text : '').toMatch(/museum/);
    expect(turns).toHaveLength(1);
    expect(turns[0]!.reply.text).toContain('opens at ten in the morning');
    input.close();
  });
});

/** Real pocketsphinx, counting how it is used: streams, batch decodes, and when each stream was finished. */
function countingStt(isEnded: () => boolean) {
  const pocketsphinx = new PocketsphinxSTT();
  const calls = { stream: 0, transcribe: 0, pushedBeforeEnd: 0, finishedBeforeEnd: 0 };
  const finished: Promise<unknown>[] = [];
  const stt: STT = {
    provider: 'pocketsphinx',
    transcribe: (pcm, options) => {
      calls.transcribe++;
      return pocketsphinx.transcribe(pcm, options);
    },
    stream: (options) => {
      calls.stream++;
      const stream = pocketsphinx.stream(options);
      return {
        push: (pcm) => {
          if (!isEnded()) calls.pushedBeforeEnd += pcm.length;
          stream.push(pcm);
        },
        finish: () => {
          if (!isEnded()) calls.finishedBeforeEnd++;
          const result = stream.finish();
          finished.push(result);
          return result;
        },
        abort: () => stream.abort(),
      };
    },
  };
  return { stt, calls, finished };
}

/** `waitAtPause`: the microphone waits for the text of a stream finished at a pause (a fast recogniser). */
async function listen(
  vad: Parameters<typeof createVAD>[0],
  text: string,
  waitAtPause = false,
  endTurnEarly?: boolean,
) {
  // Which replies were prepared at a pause, and which turns committed one.
  const prepared: string[] = [];
  const committed: string[] = [];
  const agentConversation = new AgentConversation({
    agent,
    llm: new BuiltinResponder(agent),
    onEvent: (e) => {
      if (e.type === 'turn.started' && e.prepared) committed.push(e.userText ?? '');
    },
  });
  const conversation = {
    interrupt: () => agentConversation.interrupt(),
    send: (said: string) => agentConversation.send(said),
    prepare: (said: string) => {
      prepared.push(said);
      return agentConversation.prepare(said);
    },
  };
  let ended = false;
  const { stt, calls, finished } = countingStt(() => ended);
  const events: VoiceInputEvent[] = [];
  const turns: TurnResult[] = [];
  const input = new VoiceInput({
    vad: await createVAD(vad),
    stt,
    conversation,
    onEvent: (e) => {
      if (e.type === 'user.speech-ended') ended = true;
      events.push(e);
    },
    onTurn: (t) => turns.push(t),
    ...(endTurnEarly === undefined ? {} : { endTurnEarly }),
  });
  const question = await new FliteSpeech().synthesize(text);
  const mic = new Int16Array(8000 + question.pcm.length + 16000);
  mic.set(question.pcm, 8000);
  for (let at = 0, waited = 0; at < mic.length; at += 320) {
    input.push(mic.subarray(at, at + 320));
    if (waitAtPause && finished.length > waited) await finished[waited++]!.catch(() => {});
  }
  await input.idle();
  input.close();
  const heard = events.find((e) => e.type === 'user.transcript');
  return {
    calls,
    prepared,
    committed,
    turns,
    events,
    spoken: question.pcm.length,
    heard: heard && 'text' in heard ? heard.text : '',
  };
}

describe('VoiceInput with streaming transcription', () => {
  it('decodes the utterance while it is spoken and answers from that text, with no batch decode', async () => {
    const { calls, turns, heard, spoken } = await listen(
      { hangover_ms: 400, stream_audio: true },
      'When does the museum open in the morning?',
    );
    expect(calls).toMatchObject({ stream: 1, transcribe: 0, finishedBeforeEnd: 0 });
    // All but the hangover's worth of the utterance reached the recogniser before the end was decided.
    expect(calls.pushedBeforeEnd).toBeGreaterThan(spoken - 16 * 600);
    expect(heard).toMatch(/museum/);
    expect(turns[0]!.reply.text).toContain('opens at ten in the morning');
  });

  it('with pause events, finishes the stream at the pause, before the hangover ends the turn', async () => {
    const { calls, turns, heard, prepared, committed } = await listen(
      { hangover_ms: 400, stream_audio: true, pause_ms: 200 },
      'When does the museum open in the morning?',
    );
    expect(calls).toMatchObject({ stream: 1, transcribe: 0, finishedBeforeEnd: 1 });
    // The reply to the pause's text was started then, and the turn said that one.
    expect(prepared).toEqual([heard]);
    expect(committed).toEqual([heard]);
    expect(heard).toMatch(/museum/);
    expect(turns).toHaveLength(1);
    expect(turns[0]!.reply.text).toContain('opens at ten in the morning');
  });

  it('when the user goes on after a pause, a new stream takes the whole utterance', async () => {
    // Flite pauses ~450 ms between sentences: a pause event, then more speech, then one turn (600 ms hangover).
    const { calls, turns, heard, events, prepared, committed } = await listen(
      { hangover_ms: 600, stream_audio: true, pause_ms: 200 },
      'Hello there. When does the museum open in the morning?',
    );
    expect(events.filter((e) => e.type === 'user.speech-ended')).toHaveLength(1);
    expect(calls.stream).toBeGreaterThanOrEqual(2);
    expect(calls.transcribe).toBe(0);
    expect(heard).toMatch(/hello/);
    expect(heard).toMatch(/museum/);
    expect(turns).toHaveLength(1);
    // No reply was prepared for the words before the user went on; the turn answered the whole utterance.
    expect(prepared.every((p) => p === heard)).toBe(true);
    expect(committed).toEqual([heard]);
  });

  it('a reply prepared at a pause is dropped when the user goes on, and the whole utterance is answered', async () => {
    // Without the early end of turn ("hello there" reads as a finished turn: end-of-turn.test.ts).
    const { turns, heard, prepared, committed } = await listen(
      { hangover_ms: 600, stream_audio: true, pause_ms: 200 },
      'Hello there. When does the museum open in the morning?',
      true,
      false,
    );
    // The first sentence's text was ready at its pause, so a reply to it was started, then dropped.
    expect(prepared.length).toBeGreaterThanOrEqual(2);
    expect(prepared[0]).toMatch(/hello/);
    expect(prepared[0]).not.toMatch(/museum/);
    expect(heard).toMatch(/museum/);
    expect(committed).toEqual([heard]);
    expect(turns).toHaveLength(1);
  });
});
