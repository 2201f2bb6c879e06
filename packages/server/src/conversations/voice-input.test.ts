// Voice input end to end on the server: a Node WebRTC viewer with a microphone joins an agent video session's
// built-in room and speaks (Flite); libwebrtc carries it as Opus, the room hands the PCM to the session's VAD,
// pocketsphinx transcribes it, and the agent answers from its knowledge. Speaking over the agent stops it.
import { FliteTTS } from '@agenthuman/engine';
import type { SegmentPlayed } from '@agenthuman/engine/live';
import { NodeViewer } from '@agenthuman/rooms/testing';
import { serverForSuite } from '@agenthuman/server/testing/server-fixture';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAgentVideoSession } from '../testing/agent-session.js';
import { joinRoomOverWhep } from '../testing/whep-viewer.js';
import type { VoiceEvent } from './voice-listener.js';

const KNOWLEDGE = `# Opening hours
The shop is open Monday to Saturday from 9 am to 6 pm. It is closed on Sundays and on public holidays, and on the first Monday of every month for the yearly inventory. During the summer months the shop stays open until 8 pm on Fridays, and in December it also opens on Sunday afternoons for the holiday season.

# Repairs
A standard service costs 49 dollars and takes two days. Express repairs are done the same day for 20 dollars more.`;

type Message = { role: string; text: string; interrupted: boolean; unsaid_text?: string; source?: string };

const words = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z ]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);

describe('voice input through the room', () => {
  const t = serverForSuite('pglite');
  let baseUrl: string;
  let key: string;
  const flite = new FliteTTS();

  beforeAll(async () => {
    baseUrl = await t().server.listen();
    key = (await t().newAccount('pro')).key;
  });

  async function start() {
    const session = await createAgentVideoSession(t(), key, {
      name: 'Ava',
      knowledge: KNOWLEDGE,
      custom_greeting: 'Hi.',
    });
    const { viewer } = await joinRoomOverWhep(baseUrl, session.room, {
      viewer: new NodeViewer({ microphone: true }),
    });
    const transcript = async () =>
      (await t().request({ method: 'GET', url: `/v1/sessions/${session.session_id}/messages`, key })).json()
        .messages as Message[];
    // The greeting comes first (and is short): wait for it so it does not count as the reply.
    await expect.poll(async () => (await transcript()).length, { timeout: 10_000 }).toBe(1);
    const conversation = await t().server.deps.conversations.find(session.session_id)!;
    expect(conversation.listening).toBe(true);
    const voice: (VoiceEvent & { at: number })[] = [];
    conversation.onVoice((event) => voice.push({ ...event, at: performance.now() }));
    const live = t().server.live.get(session.session_id)!;
    const end = async () => {
      viewer.close();
      await t().request({ method: 'POST', url: `/v1/sessions/${session.session_id}/end`, key });
    };
    return { session, viewer, transcript, voice, live, end };
  }

  it('hears a spoken question, transcribes it and answers from the knowledge', async () => {
    const { viewer, transcript, voice, end } = await start();
    // A question pocketsphinx hears word for word from clean Flite audio (a shorter one lost 2 of 7 words even
    // clean), so the floor below measures what the room's Opus path costs, with room for a loaded machine.
    const question = 'How much does a standard service repair cost in dollars?';
    const { pcm } = await flite.synthesize(question);
    await viewer.say(pcm).done;

    await expect.poll(async () => (await transcript()).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    const [, user, reply] = await transcript();
    expect(user).toMatchObject({ role: 'user', source: 'voice' });
    const heard = new Set(words(user!.text));
    const said = words(question);
    const recognised = said.filter((w) => heard.has(w)).length / said.length;
    console.log(`voice input: said "${question}", heard "${user!.text}" (${Math.round(recognised * 100)} %)`);
    expect(recognised).toBeGreaterThanOrEqual(0.5);
    expect(reply).toMatchObject({ role: 'agent' });
    expect(reply!.text).toContain('49 dollars');
    expect(voice.some((e) => e.type === 'transcript')).toBe(true);
    await end();
  });

  it('stops the avatar within 200 ms of the viewer starting to speak over it (barge-in)', async () => {
    const { session, viewer, transcript, voice, live, end } = await start();
    const started: string[] = [];
    const stopped: (SegmentPlayed & { at: number })[] = [];
    live.avatar.on('segment.started', ({ segmentId }) => started.push(segmentId));
    live.avatar.on('segment.played', (p) => stopped.push({ ...p, at: performance.now() }));
    const reply = await t().request({
      method: 'POST',
      url: `/v1/sessions/${session.session_id}/messages`,
      key,
      payload: { message: 'When are you open?' },
    });
    const replyText: string = reply.json().reply.text;
    expect(replyText).toContain('Monday to Saturday');
    await expect.poll(() => started.some((s) => s.startsWith('turn_2:')), { timeout: 5_000 }).toBe(true);

    const { pcm } = await flite.synthesize('How much is a service?');
    const spoken = viewer.say(pcm).started;
    await expect.poll(() => voice.some((e) => e.type === 'speech-started'), { timeout: 5_000 }).toBe(true);
    const speechStart = voice.find((e) => e.type === 'speech-started')!;
    expect(speechStart).toMatchObject({ interruptedAgent: true });
    await expect
      .poll(() => stopped.find((p) => p.interrupted && p.segmentId.startsWith('turn_2:')), { timeout: 2_000 })
      .toBeDefined();
    const cut = stopped.find((p) => p.interrupted && p.segmentId.startsWith('turn_2:'))!;
    const latency = cut.at - (speechStart as { atMs: number }).atMs;
    const onset = (speechStart as { atMs: number }).atMs - (await spoken);
    console.log(
      `barge-in: speaking.stopped ${latency.toFixed(1)} ms after VAD speech-start, ` +
        `which came ${onset.toFixed(0)} ms after the viewer's first speech sample left (Opus, jitter buffer, VAD)`,
    );
    expect(latency).toBeLessThan(200);

    await expect
      .poll(async () => (await transcript())[2], { timeout: 10_000 })
      .toMatchObject({ role: 'agent', interrupted: true });
    const cutReply = (await transcript())[2]!;
    expect(cutReply.unsaid_text?.length).toBeGreaterThan(0);
    expect(`${cutReply.text} ${cutReply.unsaid_text}`.trim()).toBe(replyText);
    await end();
  });
});
