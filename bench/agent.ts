/**
 * `npm run bench:agent`: an agent voice session through the real API server over a real port (embedded
 * PGlite, built-in responder, Flite, the session's live media: pipeline + built-in room). Per message, from
 * sending `POST /v1/sessions/{id}/messages`:
 * - `message_to_first_audio_ms`: the reply's first audio frame leaves for the room (the live pipeline's
 *   `speaking.started` for the reply's first sentence; target ≤ 300 ms);
 * - `message_to_first_segment_ms`: the first sentence's speech handed to the live session;
 * - `message_to_text_ms`: the full text reply (its last sentence streamed).
 * Prints one JSON object on its last line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, loadConfig } from '@agenthuman/server';
import { percentile } from './stats.js';

const KEY = 'ah_test_BenchAgentKey0000000000000000000';
const KNOWLEDGE = `# Opening hours
The shop is open Monday to Saturday from 9 am to 6 pm. It is closed on Sundays and public holidays.

# Repairs
A standard service costs 49 dollars and takes two days. Express repairs are done the same day for 20 dollars more.

# Rentals
City bikes can be rented for 15 dollars a day. A deposit of 100 dollars is needed.

# Delivery
We deliver bikes within 30 kilometres for 25 dollars. Delivery is free for e-bikes.`;
const QUESTIONS = [
  'When are you open?',
  'How much does a service cost?',
  'And how long does it take?',
  'Can I rent a city bike?',
  'Do you deliver?',
  'What is the capital of France?',
  'Thanks!',
];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);

const dataDir = mkdtempSync(join(tmpdir(), 'agenthuman-bench-agent-'));
const server = await createServer(
  loadConfig({
    AGENTHUMAN_DATA_DIR: dataDir,
    AGENTHUMAN_BOOTSTRAP_KEY: KEY,
    AGENTHUMAN_RATE_LIMIT: '100000',
    AGENTHUMAN_LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
  }),
  { sweep: false },
);
try {
  const url = await server.listen();
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const agent = (await api('POST', '/v1/agents', { name: 'Ava', knowledge: KNOWLEDGE })).agent;
  const session = (
    await api('POST', '/v1/sessions', { agent_id: agent.agent_id, session_type: 'agent_voice' })
  ).session;
  let live = server.live.get(session.session_id);
  for (let i = 0; !live && i < 600; i++) {
    await new Promise((r) => setTimeout(r, 50));
    live = server.live.get(session.session_id);
  }
  if (!live) throw new Error('the session media did not start');
  const firstFrameAt = new Map<string, number>();
  live.avatar.on('segment.started', ({ segmentId }) => {
    if (!firstFrameAt.has(segmentId)) firstFrameAt.set(segmentId, performance.now());
  });
  const handedAt = new Map<string, number>();
  const speak = live.avatar.speak.bind(live.avatar);
  live.avatar.speak = (pcm, options) => {
    if (options?.segmentId && !handedAt.has(options.segmentId))
      handedAt.set(options.segmentId, performance.now());
    return speak(pcm, options);
  };
  let turn = 0;

  async function measure(message: string) {
    const segment = `turn_${++turn}:0`;
    const started = performance.now();
    const res = await fetch(`${url}/v1/sessions/${session.session_id}/messages`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ message }),
    });
    let textAt = 0;
    let buffer = '';
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      // Each `sentence` event: the text so far; the last one is the full reply.
      for (const match of buffer.matchAll(/event: (sentence|done)\n/g))
        if (match[1] === 'sentence') textAt = performance.now();
      buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 1);
    }
    for (let i = 0; !firstFrameAt.has(segment) && i < 200; i++) await new Promise((r) => setTimeout(r, 5));
    const frame = firstFrameAt.get(segment);
    const handed = handedAt.get(segment);
    if (frame === undefined || handed === undefined) throw new Error(`no audio in the room for "${message}"`);
    return { firstAudioMs: frame - started, segmentMs: handed - started, textMs: textAt - started };
  }

  await measure('Hello!'); // warm-up: Flite's WASM compiles on first use
  const firstAudio: number[] = [];
  const segments: number[] = [];
  const text: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const q of QUESTIONS) {
      const m = await measure(q);
      firstAudio.push(m.firstAudioMs);
      segments.push(m.segmentMs);
      text.push(m.textMs);
    }
  }
  console.log(
    JSON.stringify({
      message_to_first_audio_ms: percentile(firstAudio, 50),
      message_to_first_audio_p95_ms: percentile(firstAudio, 95),
      message_to_first_segment_ms: percentile(segments, 50),
      message_to_text_ms: percentile(text, 50),
      message_to_text_p95_ms: percentile(text, 95),
      turns: firstAudio.length,
      target_first_audio_ms: 300,
      pass: percentile(firstAudio, 50) <= 300,
    }),
  );
} finally {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
