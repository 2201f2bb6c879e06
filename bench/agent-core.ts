// Agent core latency: from a user message to the first reply audio segment leaving the conversation (built-in
// responder + Flite, no server or room), and to the full text reply. Also the WebRTC VAD's speed.
// Prints one JSON object on its last line.
import { AgentConversation, BuiltinResponder, createVAD, FliteSpeech } from '@agenthuman/agents';
import { percentile } from './stats.js';

const agent = {
  name: 'Ava',
  context: 'You are Ava, the support assistant of Acme Bikes.',
  knowledge: `# Opening hours
The shop is open Monday to Saturday from 9 am to 6 pm. It is closed on Sundays and public holidays.

# Repairs
A standard service costs 49 dollars and takes two days. Book a repair by phone or in the shop. Express repairs are done the same day for 20 dollars more.

# E-bikes
We sell e-bikes from three brands. Test rides are free and take about twenty minutes.

# Rentals
City bikes can be rented for 15 dollars a day. A deposit of 100 dollars is needed.

# Delivery
We deliver bikes within 30 kilometres for 25 dollars. Delivery is free for e-bikes.`,
};

const questions = [
  'When are you open?',
  'How much does a service cost?',
  'And how long does it take?',
  'Do you sell e-bikes?',
  'Are test rides free?',
  'Can I rent a city bike?',
  'Do you deliver?',
  'What is the capital of France?',
  'Who are you?',
  'Thanks!',
];

const round = (v: number) => Math.round(v * 10) / 10;

async function measure() {
  let firstAudioAt = 0;
  let started = 0;
  const conversation = new AgentConversation({
    agent,
    llm: new BuiltinResponder(agent),
    tts: new FliteSpeech(),
    onAudio: () => {
      firstAudioAt ||= performance.now();
    },
  });
  // Cold: the first message also compiles Flite's WASM module.
  started = performance.now();
  await conversation.send('Hello!');
  const coldFirstAudioMs = firstAudioAt - started;

  const firstAudio: number[] = [];
  const text: number[] = [];
  const rounds = 5;
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) {
      firstAudioAt = 0;
      started = performance.now();
      const result = await conversation.send(q);
      firstAudio.push(firstAudioAt - started);
      text.push(result.timings.textCompleteMs ?? Number.NaN);
    }
  }

  const vad = await createVAD();
  const minute = new Int16Array(16000 * 60).map((_, i) =>
    Math.round(3000 * Math.sin(i / 7) * (Math.floor(i / 16000) % 2)),
  );
  const t0 = performance.now();
  for (let at = 0; at < minute.length; at += 320) vad.push(minute.subarray(at, at + 320));
  const vadMs = performance.now() - t0;
  vad.dispose();

  return {
    message_to_first_audio_ms: round(percentile(firstAudio, 50)),
    message_to_first_audio_p95_ms: round(percentile(firstAudio, 95)),
    message_to_first_audio_max_ms: round(Math.max(...firstAudio)),
    message_to_text_ms: round(percentile(text, 50)),
    message_to_text_p95_ms: round(percentile(text, 95)),
    cold_first_audio_ms: round(coldFirstAudioMs),
    turns: firstAudio.length,
    target_first_audio_ms: 300,
    vad_x_realtime: Math.round(60_000 / vadMs),
  };
}

const result = await measure();
console.log(JSON.stringify(result));
