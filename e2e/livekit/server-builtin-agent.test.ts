/**
 * A built-in agent in a LiveKit room (AGENTHUMAN_ROOMS=livekit, a real LiveKit server): a user joins with the
 * session's viewer token and publishes a Flite-spoken question as their microphone (rtc-node); the agent hears it
 * there (pocketsphinx), answers from its knowledge through the avatar, and shows its state (`lk.agent.state`)
 * and captions (`lk.transcription`) the way LiveKit Agents do.
 */
import { FliteTTS } from '@agenthuman/engine/tts';
import { type ListeningServer, startListeningServer } from '@agenthuman/sdk/testing';
import { startLiveKitServer, type TestLiveKitServer } from '@agenthuman/server/testing/livekit';
import {
  AudioFrame,
  AudioSource,
  LocalAudioTrack,
  Room,
  RoomEvent,
  TrackPublishOptions,
  TrackSource,
} from '@livekit/rtc-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AVATAR_IDENTITY, Subscriber, waitFor } from './avatar-harness.js';

const KNOWLEDGE = `# Repairs
A standard service costs 49 dollars and takes two days. Express repairs are done the same day for 20 dollars more.`;

let livekit: TestLiveKitServer;
let server: ListeningServer;
let key: string;

beforeAll(async () => {
  livekit = await startLiveKitServer();
  server = await startListeningServer({
    env: { ...livekit.env, AGENTHUMAN_ROOMS: 'livekit' },
    server: { startMediaWithSession: true },
  });
  key = (await server.newAccount('pro')).key;
}, 60_000);
afterAll(async () => {
  await server?.close();
  await livekit?.stop();
});

const api = async (method: string, path: string, body?: unknown) =>
  (
    await fetch(`${server.url}/v1${path}`, {
      method,
      headers: { 'x-api-key': key, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
  ).json();

/**
 * Publishes `pcm` (16 kHz mono) as a microphone track in 10 ms frames at real time, then a second of silence
 * so the VAD sees the end of the turn; resolves with when the last sample of the speech itself was handed over.
 */
async function say(source: AudioSource, pcm: Int16Array): Promise<number> {
  let end = pcm.length;
  while (end > 0 && Math.abs(pcm[end - 1]!) < 64) end--; // Flite's closing pause is not speech
  let endOfSpeech = 0;
  for (let at = 0; at < pcm.length; at += 160) {
    const chunk = new Int16Array(160);
    chunk.set(pcm.subarray(at, at + 160));
    await source.captureFrame(new AudioFrame(chunk, 16_000, 1, 160));
    if (at + 160 >= end && !endOfSpeech) endOfSpeech = performance.now();
  }
  for (let i = 0; i < 100; i++)
    await source.captureFrame(new AudioFrame(new Int16Array(160), 16_000, 1, 160));
  return endOfSpeech;
}

describe('a built-in agent in a LiveKit room', () => {
  it('hears the user in the room, answers through the avatar, and shows its state and captions', async () => {
    const { agent } = await api('POST', '/agents', {
      name: 'Ava',
      knowledge: KNOWLEDGE,
      custom_greeting: 'Hi.',
    });
    const { session } = await api('POST', '/sessions', {
      agent_id: agent.agent_id,
      session_type: 'agent_video',
    });
    expect(session.room).toMatchObject({ platform: 'livekit', url: livekit.url });

    // The user: joins with the session's viewer token, hears the avatar, speaks into a microphone.
    const user = new Room();
    const captions: { text: string; attributes: Record<string, string> }[] = [];
    user.registerTextStreamHandler('lk.transcription', async (reader, participant) => {
      const text = await reader.readAll();
      if (participant.identity === AVATAR_IDENTITY)
        captions.push({ text, attributes: reader.info.attributes ?? {} });
    });
    const listener = await Subscriber.join(livekit, session.room.name, 'listener');
    await user.connect(session.room.url, session.room.token, { autoSubscribe: true, dynacast: false });
    // A 100 ms queue: captureFrame then paces at real time, so the end of speech is known to ±100 ms.
    const microphone = new AudioSource(16_000, 1, 100);
    const track = LocalAudioTrack.createAudioTrack('microphone', microphone);
    await user.localParticipant!.publishTrack(
      track,
      new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }),
    );
    try {
      const messages = async () =>
        (await api('GET', `/sessions/${session.session_id}/messages`)).messages as {
          role: string;
          text: string;
          source?: string;
        }[];
      // The greeting is said once a user is in the room.
      await expect.poll(async () => (await messages()).length, { timeout: 30_000 }).toBe(1);
      const avatarState = () => user.remoteParticipants.get(AVATAR_IDENTITY)?.attributes['lk.agent.state'];
      const states: string[] = [];
      user.on(RoomEvent.ParticipantAttributesChanged, (changed, participant) => {
        const state = changed['lk.agent.state'];
        if (participant.identity === AVATAR_IDENTITY && state) states.push(state);
      });
      await waitFor('the agent listening', () => avatarState() === 'listening', 15_000);

      const { pcm } = await new FliteTTS().synthesize('How much does a standard service cost?');
      const endOfSpeech = await say(microphone, pcm);
      await expect.poll(async () => (await messages()).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
      console.log(`[livekit agent] transcript: ${JSON.stringify((await messages()).map((m) => m.text))}`);
      const [, asked, reply] = await messages();
      expect(asked).toMatchObject({ role: 'user', source: 'voice' });
      expect(reply).toMatchObject({ role: 'agent' });
      expect(reply!.text).toContain('49 dollars');

      // The answer is heard in the room; how long after the user stopped speaking is the figure Tavus quotes
      // (per stage and over several turns: npm run bench:livekit-agent).
      const firstAnswerAudio = await waitFor(
        'the answer at the listener',
        () =>
          listener.audio.find(
            (chunk) => chunk.from === AVATAR_IDENTITY && chunk.at > endOfSpeech && rms(chunk.samples) > 1000,
          )?.at,
        20_000,
      );
      console.log(
        JSON.stringify({
          metric: 'end_of_user_speech_to_first_avatar_audio_ms',
          value: Math.round(firstAnswerAudio - endOfSpeech),
        }),
      );
      await waitFor(
        'the caption of the answer',
        () => captions.some((c) => c.text.includes('49 dollars')),
        10_000,
      );
      const caption = captions.find((c) => c.text.includes('49 dollars'))!;
      expect(caption.attributes['lk.segment_id']).toBeTruthy();
      expect(caption.attributes['lk.transcribed_track_id']).toMatch(/^TR_/);
      await waitFor('the agent listening again', () => avatarState() === 'listening', 20_000);
      // listening → thinking (the question heard) → speaking (the answer) → listening.
      const thinking = states.lastIndexOf('thinking');
      expect(thinking).toBeGreaterThanOrEqual(0);
      expect(states.slice(thinking)).toEqual(expect.arrayContaining(['speaking', 'listening']));
    } finally {
      await track.close().catch(() => undefined);
      await listener.close();
      await user.disconnect();
    }
  }, 150_000);
});

function rms(samples: Int16Array): number {
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return Math.sqrt(sum / Math.max(1, samples.length));
}
