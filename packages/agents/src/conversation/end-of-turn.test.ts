// The early end of turn through the real parts: WebRTC VAD, streaming pocketsphinx, the built-in responder and
// Flite. The microphone is pushed faster than real time but waits at each pause for the recogniser's text, as a
// recogniser that keeps up with real time would have it; positions are in microphone time.
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
// The server's settings (conversation-registry.ts).
const VAD = { hangover_ms: 400, stream_audio: true, pause_ms: 200 } as const;
const FRAME = 320;

/** Flite speech without its silent edges, so the gaps between clips are exactly the ones given. */
async function spoken(text: string): Promise<Int16Array> {
  const { pcm } = await new FliteSpeech().synthesize(text);
  let from = 0;
  let to = pcm.length;
  while (from < to && Math.abs(pcm[from]!) < 64) from++;
  while (to > from && Math.abs(pcm[to - 1]!) < 64) to--;
  return pcm.slice(from, to);
}

/** `parts`: sentences to say and gaps (ms) between them. */
async function converse(parts: (string | number)[], options: { waitForReplyAudio?: boolean } = {}) {
  const clips = await Promise.all(
    parts.map((p) => (typeof p === 'number' ? new Int16Array((p / 1000) * 16000) : spoken(p))),
  );
  const mic = new Int16Array(8000 + clips.reduce((n, c) => n + c.length, 0) + 16000);
  let at = 8000;
  for (const clip of clips) {
    mic.set(clip, at);
    at += clip.length;
  }
  const segments: AudioSegment[] = [];
  const prepared: string[] = [];
  const committed: string[] = [];
  const conversation = new AgentConversation({
    agent,
    llm: new BuiltinResponder(agent),
    tts: new FliteSpeech(),
    // Nothing is reported played: a barge-in finds the whole reply unheard.
    confirmPlayback: true,
    onAudio: (segment) => {
      segments.push(segment);
    },
    onEvent: (e) => {
      if (e.type === 'turn.started' && e.prepared) committed.push(e.userText ?? '');
    },
  });
  const pocketsphinx = new PocketsphinxSTT();
  const finished: Promise<unknown>[] = [];
  const stt: STT = {
    provider: 'pocketsphinx',
    transcribe: (pcm, o) => pocketsphinx.transcribe(pcm, o),
    stream: (o) => {
      const stream = pocketsphinx.stream(o);
      return {
        push: (pcm) => stream.push(pcm),
        finish: () => {
          const result = stream.finish();
          finished.push(result);
          return result;
        },
        abort: () => stream.abort(),
      };
    },
  };
  let pushed = 0;
  const events: (VoiceInputEvent & { micMs: number })[] = [];
  const turns: TurnResult[] = [];
  const input = new VoiceInput({
    vad: await createVAD(VAD),
    stt,
    conversation: {
      interrupt: () => conversation.interrupt(),
      send: (text) => conversation.send(text),
      prepare: (text) => {
        prepared.push(text);
        return conversation.prepare(text);
      },
    },
    language: 'en',
    onEvent: (e) => events.push({ ...e, micMs: (pushed / 16000) * 1000 }),
    onTurn: (t) => turns.push(t),
  });
  let waited = 0;
  let endsSeen = 0;
  for (let i = 0; i < mic.length; i += FRAME) {
    pushed = i + FRAME;
    input.push(mic.subarray(i, i + FRAME));
    if (finished.length > waited) await finished[waited++]!.catch(() => {});
    const ends = events.filter((e) => e.type === 'user.speech-ended').length;
    if (options.waitForReplyAudio && ends > endsSeen) {
      // The user goes on only once the reply to what they said has started to play.
      const before = segments.length;
      for (let tries = 0; segments.length === before && tries < 500; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    endsSeen = ends;
  }
  await input.idle();
  input.close();
  return { events, turns, prepared, committed, transcript: conversation.transcript, segments };
}

/** Microphone time from the last voiced frame to the speech-end the VAD reported. */
const endDelays = (events: (VoiceInputEvent & { micMs: number })[]) =>
  events.flatMap((e) =>
    e.type === 'user.speech-ended' ? [{ after: e.micMs - e.endMs, early: e.early }] : [],
  );

describe('VoiceInput: the end of a turn at a pause when the text reads as finished', () => {
  it('commits the prepared reply at the pause when the question is complete, before the hang-over', async () => {
    const { events, turns, prepared, committed } = await converse([
      'When does the museum open in the morning?',
    ]);
    const ends = endDelays(events);
    expect(ends).toHaveLength(1);
    expect(ends[0]!.early).toBe(true);
    console.log(
      `[end of turn] last voiced sound → turn ended: ${Math.round(ends[0]!.after)} ms (hang-over 400)`,
    );
    // Ended at the pause (200 ms and a frame or two), where the hang-over alone would take 400 ms.
    expect(ends[0]!.after).toBeGreaterThanOrEqual(200);
    expect(ends[0]!.after).toBeLessThan(VAD.hangover_ms);
    expect(prepared).toHaveLength(1);
    expect(committed).toEqual(prepared);
    expect(turns).toHaveLength(1);
    expect(turns[0]!.reply.text).toContain('opens at ten in the morning');
  });

  it('keeps the hang-over when the text stops on a word no sentence ends on', async () => {
    const { events, prepared, committed } = await converse(['Can you tell me the price of']);
    const heard = events.find((e) => e.type === 'user.transcript');
    // The recogniser's text ends on "of" (what this test is about); then no early end.
    expect(heard && 'text' in heard ? heard.text : '').toMatch(/ of$/);
    const ends = endDelays(events);
    expect(ends).toHaveLength(1);
    expect(ends[0]!.early).toBeUndefined();
    expect(ends[0]!.after).toBeGreaterThanOrEqual(VAD.hangover_ms);
    // Prepared at the pause all the same, and committed at the hang-over's end.
    expect(committed).toEqual(prepared);
  });

  it('waits through a pause after an incomplete phrase, and answers the whole utterance', async () => {
    const { events, turns, prepared } = await converse([
      'My question is about the',
      300,
      'tickets for children.',
    ]);
    // At the first pause the text stopped on "the": a reply was prepared, but the turn went on.
    expect(prepared[0]).toMatch(/about the$/);
    // One turn, ended at the pause after the complete sentence.
    const ends = endDelays(events);
    expect(ends).toHaveLength(1);
    expect(ends[0]!.early).toBe(true);
    const heard = events.find((e) => e.type === 'user.transcript');
    expect(heard && 'text' in heard ? heard.text : '').toMatch(/question.*tickets/);
    expect(turns).toHaveLength(1);
  });

  it('a user who goes on after an early end barges in: the reply stops unheard, the next turn hears it all', async () => {
    const { events, turns, transcript } = await converse(
      ['Hello there.', 400, 'When does the museum open in the morning?'],
      { waitForReplyAudio: true },
    );
    const kinds = events.map((e) =>
      e.type === 'user.speech-ended'
        ? `ended${e.early ? ' early' : ''}`
        : e.type === 'user.speech-started'
          ? `started${e.interruptedAgent ? ' interrupting' : ''}`
          : e.type,
    );
    expect(kinds.filter((k) => k !== 'user.transcript')).toEqual([
      'started',
      'ended early',
      'started interrupting',
      'ended early',
    ]);
    expect(turns).toHaveLength(2);
    const [user1, agent1, user2, agent2] = transcript;
    expect(user1).toMatchObject({ role: 'user', text: expect.stringMatching(/hello/) });
    // Nothing of the first reply was played: all of it is unsaid, and the transcript says so.
    expect(agent1).toMatchObject({ role: 'agent', interrupted: true, text: '' });
    expect(agent1!.unsaidText).toBeTruthy();
    // Resumed within a second of the early end: the next turn's text is the whole of what the user said.
    expect(user2).toMatchObject({ role: 'user', text: expect.stringMatching(/hello.*museum/) });
    expect(agent2).toMatchObject({ role: 'agent', interrupted: false });
    expect(agent2!.text).toContain('opens at ten in the morning');
  });
});
