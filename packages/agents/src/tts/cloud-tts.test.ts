import { afterEach, describe, expect, it } from 'vitest';
import { type FakeHttpServer, startFakeHttpServer } from '../testing/fake-http-server.js';
import { type FakeSpeechBehaviour, fakeElevenLabs, fakeOpenAiSpeech } from '../testing/fake-tts-apis.js';
import { ElevenLabsTTS } from './elevenlabs/elevenlabs-tts.js';
import { OpenAiTTS } from './openai/openai-tts.js';
import { hasPhonemes } from './speech-result.js';

let server: FakeHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Dominant frequency by zero crossings. */
function frequency(pcm: Int16Array, rate: number): number {
  let crossings = 0;
  for (let i = 1; i < pcm.length; i++) if (pcm[i - 1]! < 0 !== pcm[i]! < 0) crossings++;
  return crossings / 2 / (pcm.length / rate);
}

describe('ElevenLabsTTS against a fake ElevenLabs API', () => {
  it('streams 16 kHz PCM for the voice, with no phonemes (audio lip-sync needed)', async () => {
    server = await startFakeHttpServer(fakeElevenLabs('el-key'));
    const tts = new ElevenLabsTTS({ apiKey: 'el-key', voiceId: 'voice123', baseUrl: server.url });
    let firstAudio = 0;
    const text = 'Hello from the cloud.';
    const result = await tts.synthesize(text, { onFirstAudio: () => firstAudio++ });
    expect(result.sampleRate).toBe(16000);
    expect(result.pcm.length).toBe(text.length * 60 * 16);
    expect(frequency(result.pcm, 16000)).toBeCloseTo(440, -1);
    expect(hasPhonemes(result)).toBe(false);
    expect(firstAudio).toBe(1);
    const req = server.requests[0]!;
    expect(req.path).toBe('/v1/text-to-speech/voice123/stream');
    expect(req.query.get('output_format')).toBe('pcm_16000');
    expect(JSON.parse(req.body.toString())).toMatchObject({ text, model_id: 'eleven_flash_v2_5' });

    await tts.synthesize('Other voice.', { voice: 'v-2' });
    expect(server.requests[1]!.path).toBe('/v1/text-to-speech/v-2/stream');
  });

  it('reports a bad key as TTS_AUTH_FAILED with ElevenLabs’ message, and empty text before any request', async () => {
    server = await startFakeHttpServer(fakeElevenLabs('el-key'));
    const tts = new ElevenLabsTTS({ apiKey: 'wrong-key', voiceId: 'v', baseUrl: server.url });
    const error = await tts.synthesize('Hi.').catch((e) => e);
    expect(error).toMatchObject({ code: 'TTS_AUTH_FAILED', status: 401 });
    expect(error.message).toContain('Invalid API key');
    expect(error.message).not.toContain('wrong-key');
    await expect(tts.synthesize(' ... ')).rejects.toMatchObject({ code: 'TTS_EMPTY_TEXT' });
    expect(server.requests).toHaveLength(1);
    expect(() => new ElevenLabsTTS({ apiKey: 'k', voiceId: '' })).toThrow(/voiceId/);
  });
});

describe('OpenAiTTS against a fake OpenAI speech API', () => {
  it('asks for 24 kHz pcm and resamples it to 16 kHz', async () => {
    const behaviour: FakeSpeechBehaviour = {};
    server = await startFakeHttpServer(fakeOpenAiSpeech('sk-oa', () => behaviour));
    const tts = new OpenAiTTS({ apiKey: 'sk-oa', baseUrl: `${server.url}/v1`, voice: 'nova' });
    const text = 'Resample me, please.';
    const result = await tts.synthesize(text);
    const ms = text.length * 60;
    expect(result.pcm.length).toBe(ms * 16);
    expect(frequency(result.pcm.subarray(800, -800), 16000)).toBeCloseTo(440, -1);
    expect(hasPhonemes(result)).toBe(false);
    expect(JSON.parse(server.requests[0]!.body.toString())).toMatchObject({
      model: 'gpt-4o-mini-tts',
      input: text,
      voice: 'nova',
      response_format: 'pcm',
    });

    behaviour.failWith = 503;
    await expect(tts.synthesize('Hi.')).rejects.toMatchObject({ code: 'TTS_HTTP_ERROR', status: 503 });
  });

  it('stops the download when the signal aborts', async () => {
    server = await startFakeHttpServer(fakeOpenAiSpeech('sk-oa', () => ({ msPerChar: 2000 })));
    const tts = new OpenAiTTS({ apiKey: 'sk-oa', baseUrl: `${server.url}/v1` });
    const controller = new AbortController();
    const pending = tts.synthesize('A very long text to speak slowly.', {
      signal: controller.signal,
      onFirstAudio: () => controller.abort(),
    });
    await expect(pending).rejects.toThrow(/abort/i);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.abortedResponses).toBe(1);
  });
});
