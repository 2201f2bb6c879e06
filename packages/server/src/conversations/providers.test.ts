// Agents on real provider paths: an OpenAI-compatible model served by a local FAKE server speaking the real
// streaming wire format, a FAKE ElevenLabs that fails (the reply falls back to Flite, reported as an event),
// and barge-in on a voice session whose room is the in-process speech output.
import { type FakeHttpServer, startFakeHttpServer } from '@agenthuman/agents/testing/fake-http-server';
import { parseChatRequest, streamChatReply } from '@agenthuman/agents/testing/fake-openai-chat';
import { fakeElevenLabs } from '@agenthuman/agents/testing/fake-tts-apis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseSse } from '../testing/sse.js';
import { describeOnBothStores } from '../testing/test-server.js';
import { createInProcessSpeechOutputs } from './in-process-speech-output.js';

const LLM_KEY = 'sk-fake-llm-key-0123456789';
const env: Record<string, string> = {};
let llm: FakeHttpServer;
let voice: FakeHttpServer;
const elevenLabsCalls = { failing: true };

beforeAll(async () => {
  llm = await startFakeHttpServer(async (req, res) => {
    if (req.headers.authorization !== `Bearer ${LLM_KEY}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } }),
      );
      return;
    }
    const body = parseChatRequest(req);
    const last = body.messages.at(-1)!.content;
    if (last.includes('delivery rules')) {
      const rules = Array.from(
        { length: 6 },
        (_, i) => `Delivery rule number ${i + 1} says that bikes arrive within ${10 + i} days. `,
      );
      await streamChatReply(res, rules);
      return;
    }
    await streamChatReply(res, ['Fake model ', 'heard: ', `"${last}". `, 'That is all.']);
  });
  voice = await startFakeHttpServer(
    fakeElevenLabs('el-key', () => (elevenLabsCalls.failing ? { failWith: 503 } : {})),
  );
  Object.assign(env, {
    AGENTHUMAN_LLM_BASE_URL: `${llm.url}/v1`,
    // The "elsewhere" agent below points at a private address: the operator allows it, so the test is
    // about keys (never sent elsewhere), not about the address guard (llm-ssrf.test.ts).
    AGENTHUMAN_ALLOWED_PRIVATE_HOSTS: '127.0.0.2',
    AGENTHUMAN_LLM_API_KEY: LLM_KEY,
    AGENTHUMAN_TTS_PROVIDER: 'elevenlabs',
    ELEVENLABS_API_KEY: 'el-key',
    ELEVENLABS_BASE_URL: voice.url,
  });
});
afterAll(async () => {
  await llm?.close();
  await voice?.close();
});

const outputs = createInProcessSpeechOutputs({ viewerPresent: true });

describeOnBothStores(
  'agent providers and barge-in',
  (t) => {
    async function session(key: string, agent: object, sessionType: string) {
      const created = await t().request({ method: 'POST', url: '/v1/agents', key, payload: agent });
      expect(created.statusCode, created.body).toBe(200);
      const res = await t().request({
        method: 'POST',
        url: '/v1/sessions',
        key,
        payload: { agent_id: created.json().agent.agent_id, session_type: sessionType },
      });
      return res.json().session.session_id as string;
    }

    it('streams a reply from an OpenAI-compatible server with the server-side key, never echoing it', async () => {
      const { key } = await t().newAccount('pro');
      const id = await session(
        key,
        {
          name: 'Remote',
          context: 'Answer briefly.',
          llm: { provider: 'openai-compatible', model: 'fake-model' },
        },
        'agent_chat',
      );
      const agentView = (await t().request({ method: 'GET', url: '/v1/agents', key })).body;
      expect(agentView).not.toContain(LLM_KEY);
      const res = await t().request({
        method: 'POST',
        url: `/v1/sessions/${id}/messages`,
        key,
        headers: { accept: 'text/event-stream' },
        payload: { message: 'ping' },
      });
      const events = parseSse(res.body);
      const done = events.at(-1)!;
      expect(done.event).toBe('done');
      expect((done.data as { reply: { text: string } }).reply.text).toBe(
        'Fake model heard: "ping". That is all.',
      );
      expect(events.filter((e) => e.event === 'text.delta').length).toBeGreaterThanOrEqual(4);
      const request = parseChatRequest(llm.requests.at(-1)!);
      expect(request).toMatchObject({ model: 'fake-model', stream: true });
      expect(request.messages[0]!.role).toBe('system');
      expect(request.messages[0]!.content).toContain('Answer briefly.');

      // Pointed anywhere else, the agent gets no key: the provider refuses, and the API says why (502).
      const elsewhere = await session(
        key,
        {
          name: 'Elsewhere',
          llm: { provider: 'openai-compatible', model: 'fake-model', base_url: 'http://127.0.0.2:9/v1' },
        },
        'agent_chat',
      );
      const failed = await t().request({
        method: 'POST',
        url: `/v1/sessions/${elsewhere}/messages`,
        key,
        payload: { message: 'ping' },
      });
      expect(failed.statusCode).toBe(502);
      expect(failed.json().error.code).toBe('AGENT_REPLY_FAILED');
      expect(failed.body).not.toContain(LLM_KEY);
    });

    it('speaks with the built-in voice when the cloud voice fails, and says so in the stream', async () => {
      const { key } = await t().newAccount('pro');
      const id = await session(
        key,
        { name: 'Voice', knowledge: 'Parking is free behind the shop.', voice_id: 'el-voice-1' },
        'agent_voice',
      );
      const res = await t().request({
        method: 'POST',
        url: `/v1/sessions/${id}/messages`,
        key,
        headers: { accept: 'text/event-stream' },
        payload: { message: 'Is parking free?' },
      });
      const events = parseSse(res.body);
      const fallback = events.find((e) => e.event === 'tts.fallback');
      // The greeting met the failure first ('error'); the reply then skips the provider for a while ('cooldown').
      expect(fallback?.data).toMatchObject({
        provider: 'elevenlabs',
        fallback: 'flite',
        code: expect.any(String),
      });
      expect(['error', 'cooldown']).toContain((fallback!.data as { reason: string }).reason);
      expect(voice.requests.some((r) => r.path === '/v1/text-to-speech/el-voice-1/stream')).toBe(true);
      const done = events.at(-1)!.data as { reply: { text: string } };
      expect(done.reply.text).toContain('Parking is free');
      // The room still got the whole reply as speech, with Flite's phoneme timings.
      const sent = outputs.outputs.get(id)!.sent;
      const reply = sent.filter((s) => s.segment.turnId !== sent[0]!.segment.turnId);
      expect(reply.map((s) => s.segment.text).join(' ')).toBe(done.reply.text);
      expect(reply.every((s) => s.segment.phonemes && s.segment.phonemes.length > 0)).toBe(true);
    });

    it('barge-in: a new message stops the avatar within 200 ms and marks the unsaid rest', async () => {
      const { key } = await t().newAccount('pro');
      const id = await session(
        key,
        { name: 'Talker', llm: { provider: 'openai-compatible', model: 'fake-model' } },
        'agent_video',
      );
      const output = outputs.outputs.get(id)!;
      // The greeting was said when the (simulated) viewer was there; wait for it to be heard.
      await until(() => !output.speaking && output.sent.length > 0);

      // The answer comes once the reply is generated and queued; the avatar then speaks it for seconds.
      const first = await t().request({
        method: 'POST',
        url: `/v1/sessions/${id}/messages`,
        key,
        payload: { message: 'Tell me about delivery rules' },
      });
      expect(first.json().reply.text).toContain('Delivery rule number 1');
      const replySegments = () =>
        output.sent.filter((s) => s.segment.turnId !== output.sent[0]!.segment.turnId);
      expect(replySegments().length).toBeGreaterThan(2);
      const played: string[] = [];
      output.onPlayed((segmentId) => played.push(segmentId));
      await until(() => played.length >= 1 && output.speaking);
      const bargeAt = performance.now();
      const second = await t().request({
        method: 'POST',
        url: `/v1/sessions/${id}/messages`,
        key,
        payload: { message: 'Thanks!' },
      });
      expect(second.statusCode).toBe(200);
      const stoppedAfter = output.interrupts.find((at) => at >= bargeAt)! - bargeAt;
      expect(stoppedAfter).toBeLessThan(200);
      expect(output.stoppedAtMs! - bargeAt).toBeLessThan(200);

      const messages = (await t().request({ method: 'GET', url: `/v1/sessions/${id}/messages`, key })).json()
        .messages;
      const stored = messages.find((m: { interrupted: boolean }) => m.interrupted);
      // What was heard stays as the text; the rest is marked unsaid, and together they are the whole reply.
      expect(stored.role).toBe('agent');
      expect(stored.text).toContain('Delivery rule number 1');
      expect(stored.unsaid_text).toContain('Delivery rule number 6');
      expect(`${stored.text} ${stored.unsaid_text}`).toBe(first.json().reply.text);
      expect(messages.at(-2)).toMatchObject({ role: 'user', text: 'Thanks!' });
    });
  },
  { env, server: { speechOutputs: outputs } },
);

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
