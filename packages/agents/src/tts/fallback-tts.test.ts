import { afterEach, describe, expect, it } from 'vitest';
import { type FakeHttpServer, startFakeHttpServer } from '../testing/fake-http-server.js';
import { type FakeSpeechBehaviour, fakeElevenLabs } from '../testing/fake-tts-apis.js';
import { createTTS } from './create-tts.js';
import { ElevenLabsTTS } from './elevenlabs/elevenlabs-tts.js';
import { FallbackTTS, type TtsFallbackEvent } from './fallback-tts.js';
import { hasPhonemes } from './speech-result.js';

let server: FakeHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('FallbackTTS', () => {
  it('speaks with the provider while it works, with Flite (and an event) when it fails, then retries later', async () => {
    const behaviour: FakeSpeechBehaviour = {};
    server = await startFakeHttpServer(fakeElevenLabs('k', () => behaviour));
    const events: TtsFallbackEvent[] = [];
    let clock = 1000;
    const tts = new FallbackTTS({
      primary: new ElevenLabsTTS({ apiKey: 'k', voiceId: 'v', baseUrl: server.url }),
      onEvent: (e) => events.push(e),
      cooldownMs: 10_000,
      now: () => clock,
    });
    const ok = await tts.synthesize('Cloud voice.');
    expect(hasPhonemes(ok)).toBe(false);
    expect(events).toHaveLength(0);

    behaviour.failWith = 500;
    const fallen = await tts.synthesize('Built in voice.');
    expect(hasPhonemes(fallen)).toBe(true);
    expect(fallen.phonemes.map((p) => p.phoneme)).toContain('v');
    expect(events).toEqual([
      expect.objectContaining({
        reason: 'error',
        provider: 'elevenlabs',
        fallback: 'flite',
        code: 'TTS_HTTP_ERROR',
        text: 'Built in voice.',
      }),
    ]);

    // Within the cooldown the provider is not asked again, but every fallback is still reported.
    behaviour.failWith = undefined;
    const requests = server.requests.length;
    await tts.synthesize('Still cooling.');
    expect(server.requests.length).toBe(requests);
    expect(events[1]).toMatchObject({ reason: 'cooldown' });
    clock += 10_001;
    expect(hasPhonemes(await tts.synthesize('Back in the cloud.'))).toBe(false);
    expect(events).toHaveLength(2);
  });

  it('falls back when the provider is silent past the first-audio timeout', async () => {
    server = await startFakeHttpServer(fakeElevenLabs('k', () => ({ delayMs: 5000 })));
    const events: TtsFallbackEvent[] = [];
    const tts = new FallbackTTS({
      primary: new ElevenLabsTTS({ apiKey: 'k', voiceId: 'v', baseUrl: server.url }),
      firstAudioTimeoutMs: 200,
      onEvent: (e) => events.push(e),
    });
    const started = performance.now();
    const result = await tts.synthesize('Hello there.');
    expect(performance.now() - started).toBeLessThan(1500);
    expect(hasPhonemes(result)).toBe(true);
    expect(events[0]).toMatchObject({ reason: 'first-audio-timeout', code: 'TTS_TIMEOUT' });
  });

  it('does not fall back on a cancelled turn or on bad input', async () => {
    server = await startFakeHttpServer(fakeElevenLabs('k', () => ({ delayMs: 300 })));
    const events: TtsFallbackEvent[] = [];
    const tts = new FallbackTTS({
      primary: new ElevenLabsTTS({ apiKey: 'k', voiceId: 'v', baseUrl: server.url }),
      onEvent: (e) => events.push(e),
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(tts.synthesize('Hello.', { signal: controller.signal })).rejects.toThrow(/abort/i);
    await expect(tts.synthesize('   ')).rejects.toMatchObject({ code: 'TTS_EMPTY_TEXT' });
    expect(events).toHaveLength(0);
  });

  it('is what createTTS builds for a cloud voice; a bad config names the field', async () => {
    server = await startFakeHttpServer(fakeElevenLabs('k', () => ({ failWith: 401 })));
    const events: TtsFallbackEvent[] = [];
    const tts = createTTS(
      { provider: 'elevenlabs', api_key: 'k', voice_id: 'v', base_url: server.url },
      { onEvent: (e) => events.push(e) },
    );
    expect(hasPhonemes(await tts.synthesize('Hi there.'))).toBe(true);
    expect(events[0]).toMatchObject({ code: 'TTS_AUTH_FAILED' });
    expect(createTTS().provider).toBe('flite');
    expect(() => createTTS({ provider: 'elevenlabs', api_key: 'k' } as never)).toThrow(
      expect.objectContaining({ code: 'TTS_INVALID_CONFIG', field: 'voice_id' }),
    );
  });
});
